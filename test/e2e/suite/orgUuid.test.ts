// The org UUID from the org (issue #14) in real VS Code against the emulator
// the runner starts: with API keys stored for the emulator's site, the
// extension learns the org from /api/v2/current_user and hands it to the
// language server; a datadog.yaml and a .tf without org_uuid then offer the
// quick fix that writes the emulator org's UUID, and the hover of the written
// value says it is that org.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { EMULATOR_API_KEYS } from '../../../emulator/src/identities';
import { codeOf, emulatorControl as control, waitFor } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';
const SITE = 'datadoghq.com';
const EMULATOR = process.env.E2E_EMULATOR_API_URL;
const TITLE = "Set org_uuid to the org of your datadoghq.com keys, 'acme-prod'";

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'datadog-wif');

suite('org UUID from the org', function () {
  let orgUuid: string;
  let dir: string;

  suiteSetup(async function () {
    if (!EMULATOR) {
      console.log('[suite] org UUID: E2E_EMULATOR_API_URL is not set (the runner starts the emulator): skipped');
      this.skip();
    }
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
    await extension.activate();
    orgUuid = ((await control('GET', 'state')) as { orgUuid: string }).orgUuid;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-e2e-org-'));
    const { apiKey, appKey } = EMULATOR_API_KEYS.readWrite;
    const set = (await vscode.commands.executeCommand('datadogWif.setApiKeys', { site: SITE, apiKey, appKey })) as { ok: boolean };
    assert.ok(set.ok, JSON.stringify(set));
  });

  suiteTeardown(async () => {
    if (!EMULATOR) return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('datadogWif.clearApiKeys', { site: SITE, confirm: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `name` with `text` in a folder of the test's own and opens it. */
  async function openFile(name: string, text: string): Promise<{ uri: vscode.Uri; doc: vscode.TextDocument }> {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    const uri = vscode.Uri.file(file);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    return { uri, doc };
  }

  /** Opens `name` and waits for the finding `code`. */
  async function open(name: string, text: string, code: string): Promise<{ uri: vscode.Uri; doc: vscode.TextDocument; diag: vscode.Diagnostic }> {
    const { uri, doc } = await openFile(name, text);
    const diag = await waitFor(`${code} in ${name}`, () => ours(uri).find((d) => codeOf(d) === code));
    return { uri, doc, diag };
  }

  /** Applies the org fix once the server has the org (learnt in the background), then waits for the finding to go. */
  async function applyOrgFix(uri: vscode.Uri, diag: vscode.Diagnostic): Promise<void> {
    const fix = await waitFor(
      'the org UUID quick fix',
      async () => (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value)).find((a) => a.title === TITLE),
      30_000,
      250,
    );
    assert.strictEqual(fix.isPreferred, true);
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    await waitFor('the org UUID finding to clear', () => (ours(uri).some((d) => /org-uuid/.test(codeOf(d))) ? undefined : true));
  }

  async function hoverAt(uri: vscode.Uri, doc: vscode.TextDocument, needle: string): Promise<string> {
    const offset = doc.getText().indexOf(needle);
    assert.ok(offset >= 0, `${needle} in ${doc.getText()}`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, doc.positionAt(offset + 3));
    return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
  }

  test("datadog.yaml: the fix writes the emulator org's UUID; the hover says it is the org", async () => {
    const { uri, doc, diag } = await open('agent/datadog.yaml', 'api_key: x\ndelegated_auth:\n  provider: aws\n', 'agent/org-uuid-missing');
    await applyOrgFix(uri, diag);
    assert.strictEqual(doc.getText(), `api_key: x\ndelegated_auth:\n  org_uuid: ${orgUuid}\n  provider: aws\n`);
    assert.match(await hoverAt(uri, doc, orgUuid), /This is the org 'acme-prod' \(your keys for datadoghq\.com\)/);
  });

  test('main.tf: the fix writes org_uuid = "<the emulator org>" in the provider block', async () => {
    const { uri, doc, diag } = await open('infra/main.tf', 'provider "datadog" {\n  cloud_provider_type = "aws"\n}\n', 'tf/org-uuid-missing');
    await applyOrgFix(uri, diag);
    assert.strictEqual(doc.getText(), `provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid = "${orgUuid}"\n}\n`);
    assert.match(await hoverAt(uri, doc, orgUuid), /This is the org 'acme-prod'/);
  });

  test("without keys, a Test Login (Terraform) token tells the org: the hover says it is the org of that login", async () => {
    await vscode.commands.executeCommand('datadogWif.clearApiKeys', { site: SITE, confirm: true });
    const { uri, doc } = await openFile('token/datadog.yaml', `api_key: x\ndelegated_auth:\n  org_uuid: ${orgUuid}\n`);
    await waitFor('the keys\' org to be forgotten', async () => (/your keys for/.test(await hoverAt(uri, doc, orgUuid)) ? undefined : true), 30_000, 250);
    const login = await vscode.commands.executeCommand<{ ok: boolean }>('datadogWif.testLoginTerraform', { interactive: false, orgUuid, site: SITE, region: '' });
    assert.ok(login?.ok, JSON.stringify(login));
    const text = await waitFor('the org of the login in the hover', async () => {
      const h = await hoverAt(uri, doc, orgUuid);
      return /your Test Login for datadoghq\.com/.test(h) ? h : undefined;
    }, 30_000, 250);
    assert.match(text, /This is the org 'acme-prod' \(your Test Login for datadoghq\.com\)/);
  });

  test('a restarted language server gets the org at once (the client sends what it knows on every start)', async () => {
    const { uri, doc } = await openFile('restart/datadog.yaml', `api_key: x\ndelegated_auth:\n  org_uuid: ${orgUuid}\n`);
    await waitFor('the org in the hover before the restart', async () => (/This is the org 'acme-prod'/.test(await hoverAt(uri, doc, orgUuid)) ? true : undefined), 30_000, 250);
    await vscode.commands.executeCommand('datadogWif.restartServer');
    // No credential change, no request: only the cache the client sends on start can tell the new server.
    const text = await waitFor('the org in the hover after the restart', async () => {
      const h = await hoverAt(uri, doc, orgUuid);
      return /This is the org 'acme-prod'/.test(h) ? h : undefined;
    }, 30_000, 250);
    assert.match(text, /This is the org 'acme-prod'/);
  });
});
