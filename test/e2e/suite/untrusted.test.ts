// The extension in an UNTRUSTED workspace (Restricted Mode). Only the
// untrusted run of run-vscode.mjs (E2E_UNTRUSTED=1: workspace trust on, no
// prompt) loads this file; the normal run, in a trusted workspace, skips it
// (index.ts). package.json declares `untrustedWorkspaces.supported: "limited"`:
// linting works, but nothing that uses the AWS credentials or sends a proof
// runs (the commands refuse at run time, their palette entries are disabled,
// and the Test Login code lenses are not offered).

import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, waitFor, workspaceUri } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';
const API_URL = process.env.E2E_EMULATOR_API_URL ?? '';
const ORG = process.env.E2E_EMULATOR_ORG_UUID ?? '';
const LOGIN_COMMANDS = ['datadogWif.testLoginTerraform', 'datadogWif.testLoginAgent'];

interface Refusal {
  ok: boolean;
  code?: string;
  message?: string;
  outcome?: unknown;
}

/** Every request the emulator has seen (API and STS). */
async function emulatorRequests(): Promise<{ server: string; method: string; path: string; status: number }[]> {
  const res = await fetch(`${API_URL}/__emulator/state`);
  assert.ok(res.ok, `emulator state: HTTP ${res.status}`);
  return ((await res.json()) as { requests: { server: string; method: string; path: string; status: number }[] }).requests;
}

async function loginLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.filter((l) => LOGIN_COMMANDS.includes(l.command?.command ?? ''));
}

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'datadog-wif');

suite('untrusted workspace (Restricted Mode)', () => {
  suiteSetup(async () => {
    assert.ok(API_URL && ORG, 'run-vscode.mjs did not pass E2E_EMULATOR_API_URL / E2E_EMULATOR_ORG_UUID');
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  test('the workspace is not trusted, and the extension still activates (limited support)', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the run did not leave the folder untrusted (E2E_UNTRUSTED=1 in run-vscode.mjs)');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri('datadog.yaml')));
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    await waitFor('the extension to activate', () => (ext.isActive ? true : undefined));
    assert.strictEqual(ext.packageJSON.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  test('linting works: a datadog.yaml with a bad org_uuid gets its diagnostic', async () => {
    const uri = workspaceUri('datadog.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diags = await waitFor('the org_uuid diagnostic', () => {
      const d = ours(uri);
      return d.some((x) => codeOf(x) === 'agent/org-uuid-invalid') ? d : undefined;
    });
    const d = diags.find((x) => codeOf(x) === 'agent/org-uuid-invalid')!;
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.range.start.line, 3, '`  org_uuid: not-a-uuid` on line 4');
  });

  test('Test Login with every value given does not run: nothing reaches the emulator, and it says the workspace must be trusted', async () => {
    const before = await emulatorRequests();
    for (const [command, site] of [['datadogWif.testLoginTerraform', 'datadoghq.com'], ['datadogWif.testLoginAgent', 'datadoghq.com']]) {
      const r = await vscode.commands.executeCommand<Refusal | undefined>(command, { interactive: false, orgUuid: ORG, site, region: '' });
      assert.ok(r, `${command} returned nothing`);
      assert.strictEqual(r.ok, false, `${command} ran in an untrusted workspace: ${JSON.stringify(r)}`);
      assert.strictEqual(r.code, 'untrusted', JSON.stringify(r));
      assert.strictEqual(r.outcome, undefined, 'no login outcome: nothing was tried');
      assert.match(r.message ?? '', /disabled in an untrusted workspace/);
      assert.match(r.message ?? '', /Trust the workspace to use it/);
    }
    // Interactive (the palette form, no argument): refused before asking anything.
    const asked = await vscode.commands.executeCommand<Refusal | undefined>('datadogWif.testLoginTerraform');
    assert.strictEqual(asked?.code, 'untrusted', JSON.stringify(asked));
    // Show AWS Caller Identity reads the AWS credentials and calls STS: refused too.
    const identity = await vscode.commands.executeCommand<Refusal | undefined>('datadogWif.showCallerIdentity', { interactive: false });
    assert.strictEqual(identity?.code, 'untrusted', JSON.stringify(identity));
    // Let anything that did leave arrive before reading the log.
    await new Promise((r) => setTimeout(r, 1000));
    const after = await emulatorRequests();
    assert.deepStrictEqual(after.slice(before.length), [], 'requests reached the emulator (API or STS) from an untrusted workspace');
  });

  test('no Test Login code lens on a delegated_auth section or on provider "datadog", while the file is linted', async () => {
    const yaml = workspaceUri('login', 'datadog.yaml');
    const tf = workspaceUri('login', 'terraform', 'main.tf');
    for (const uri of [yaml, tf]) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // The language server has these files (its answers come back: a hover on the delegated_auth key).
    await waitFor('a hover from the language server', async () => {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', yaml, new vscode.Position(4, 4))) ?? [];
      return hovers.length ? true : undefined;
    });
    // Ask a few times over two seconds: a lens that comes late would still be caught.
    for (let i = 0; i < 5; i++) {
      for (const uri of [yaml, tf]) {
        const lenses = await loginLenses(uri);
        assert.deepStrictEqual(lenses.map((l) => `${l.range.start.line}: ${l.command?.title}`), [], `Test Login lenses in ${uri.path}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  });
});
