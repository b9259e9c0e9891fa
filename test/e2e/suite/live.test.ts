// The live checks (`datadogWif.live`) in real VS Code against the local
// emulator: turned on, the org's mappings (listed with the stored keys) reach
// the language server and a Terraform file shows org/mapping-exists with its
// import quick fix; a mapping created through our command shows up as
// org/mapping-conflict, and again after the server restarts; turned off, the
// findings go.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { DEFAULT_PATTERN, EMULATOR_API_KEYS } from '../../../emulator/src/identities';
import { codeOf, emulatorControl as control, waitFor, workspaceUri } from './util';

const SITE = 'datadoghq.com';
const EMULATOR = process.env.E2E_EMULATOR_API_URL;
const OURS = 'arn:aws:sts::123456789012:assumed-role/live-e2e/*';
// `bad` gets a finding of its own (arn/missing-session): proof the file was checked when no org/* finding is expected.
const TF = `resource "datadog_aws_wif_intake_mapping" "runner" {\n  arn_pattern = "${DEFAULT_PATTERN}"\n}\n\nresource "datadog_aws_wif_intake_mapping" "ours" {\n  arn_pattern = "${OURS}"\n}\n\nresource "datadog_aws_wif_intake_mapping" "bad" {\n  arn_pattern = "arn:aws:sts::123456789012:assumed-role/live-e2e-bad"\n}\n`;

const orgCodes = (uri: vscode.Uri) =>
  vscode.languages
    .getDiagnostics(uri)
    .map(codeOf)
    .filter((c) => c.startsWith('org/'))
    .sort();

async function waitForOrgCodes(uri: vscode.Uri, expected: string[]): Promise<void> {
  await waitFor(`org/* diagnostics ${JSON.stringify(expected)} on ${uri.path}`, () => (JSON.stringify(orgCodes(uri)) === JSON.stringify(expected) ? true : undefined), 30_000, 200);
}

suite('live checks', function () {
  const uri = workspaceUri('live', 'wif.tf');
  let restoreLive: (() => Promise<void>) | undefined;

  suiteSetup(async function () {
    if (!EMULATOR) {
      console.log('[suite] live checks: E2E_EMULATOR_API_URL is not set (the runner starts the emulator): skipped');
      this.skip();
    }
    await control('POST', 'reset');
    const { apiKey, appKey } = EMULATOR_API_KEYS.readWrite;
    await vscode.commands.executeCommand('datadogWif.setApiKeys', { site: SITE, apiKey, appKey });
    fs.mkdirSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true });
    fs.writeFileSync(uri.fsPath, TF);
  });

  suiteTeardown(async () => {
    if (!EMULATOR) return;
    await restoreLive?.();
    // The import fix left the file edited: revert it, so closing asks nothing.
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    // VS Code keeps a closed document open for extensions for minutes, and the language server
    // counts its text as declared (the mappings view's suite must see the org's intake mapping
    // "not in code"): emptied and saved first, it declares nothing once gone.
    const empty = new vscode.WorkspaceEdit();
    empty.delete(uri, new vscode.Range(0, 0, doc.lineCount, 0));
    await vscode.workspace.applyEdit(empty);
    await doc.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true, force: true });
    await vscode.commands.executeCommand('datadogWif.clearApiKeys', { site: SITE, confirm: true });
    await control('POST', 'reset');
  });

  test('off by default: no org/* finding', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await waitFor('the file checked', () => (vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'arn/missing-session') ? true : undefined));
    assert.deepStrictEqual(orgCodes(uri), []);
  });

  test('on: the org\'s mapping is seen on the resource that repeats it, and the import fix adopts it', async () => {
    const config = vscode.workspace.getConfiguration('datadogWif');
    const previous = config.inspect('live')?.globalValue;
    await config.update('live', true, vscode.ConfigurationTarget.Global);
    restoreLive = () => Promise.resolve(vscode.workspace.getConfiguration('datadogWif').update('live', previous, vscode.ConfigurationTarget.Global));

    await waitForOrgCodes(uri, ['org/mapping-exists']);
    const exists = vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'org/mapping-exists')!;
    assert.strictEqual(exists.severity, vscode.DiagnosticSeverity.Information);
    assert.strictEqual(exists.range.start.line, 1);
    const state = (await control('GET', 'state')) as { intakeMappings: { id: string; attributes: { arn_pattern: string } }[] };
    const id = state.intakeMappings.find((m) => m.attributes.arn_pattern === DEFAULT_PATTERN)!.id;
    assert.ok(exists.message.includes(id), exists.message);

    const actions = (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, exists.range)) as vscode.CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Import the existing mapping'));
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.ok(doc.getText().includes(`import {\n  to = datadog_aws_wif_intake_mapping.runner\n  id = "${id}"\n}`), doc.getText());
    await waitForOrgCodes(uri, []);
  });

  test('a mapping created through our command that overlaps a resource of the file: org/mapping-conflict, told again to a restarted server; off: the findings go', async () => {
    const created = (await vscode.commands.executeCommand('datadogWif.createIntakeMapping', { pattern: 'arn:aws:sts::123456789012:assumed-role/live-e2e/s-1', site: SITE, confirm: true })) as { ok: boolean };
    assert.ok(created.ok, JSON.stringify(created));
    await waitForOrgCodes(uri, ['org/mapping-conflict']);
    const conflict = vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'org/mapping-conflict')!;
    assert.strictEqual(conflict.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(conflict.message, /409/);
    assert.ok(conflict.message.includes('live-e2e/s-1'), conflict.message);

    // A restarted language server knows nothing of the org: it is told again.
    await vscode.commands.executeCommand('datadogWif.restartServer');
    await waitFor('the restarted server\'s diagnostics, org/mapping-conflict among them', () => {
      const codes = vscode.languages.getDiagnostics(uri).map(codeOf);
      return codes.includes('arn/missing-session') && codes.includes('org/mapping-conflict') ? true : undefined;
    }, 60_000, 200);

    await vscode.workspace.getConfiguration('datadogWif').update('live', false, vscode.ConfigurationTarget.Global);
    await waitForOrgCodes(uri, []);
  });
});
