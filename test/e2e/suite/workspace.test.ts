// The whole workspace in real VS Code: once the language server runs (a file
// of ours is open), a file no one opened has its findings in Problems, a file
// created on disk is checked (VS Code's file watcher, registered by the
// server, tells it) and a deleted one loses its findings.

import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { codeOf, waitFor, workspaceUri } from './util';

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'datadog-wif');
const isOpen = (uri: vscode.Uri) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
const BAD = ['api_key: 0123456789abcdef0123456789abcdef', 'delegated_auth:', '  org_uuid: not-a-uuid', ''].join('\n');

suite('the whole workspace (datadogWif.scope: workspace)', () => {
  suiteSetup(async () => {
    // The server starts once a document of ours is open.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri('datadog.yaml')));
  });

  test('Problems lists the finding of a file never opened', async () => {
    const uri = workspaceUri('never-opened', 'datadog.yaml');
    const diag = await waitFor('the never-opened file\'s diagnostics', () => ours(uri).find((d) => codeOf(d) === 'agent/org-uuid-invalid'), 45_000);
    assert.strictEqual(diag.range.start.line, 5);
    assert.ok(!isOpen(uri), 'the file was opened: this test must not open it');
  });

  test('Problems lists the finding of a Kubernetes manifest never opened (read by its content)', async () => {
    const uri = workspaceUri('never-opened', 'k8s', 'daemonset.yaml');
    const diag = await waitFor('the manifest\'s diagnostics', () => ours(uri).find((d) => codeOf(d) === 'agent/org-uuid-invalid'), 45_000);
    assert.strictEqual(diag.range.start.line, 14);
    assert.ok(!isOpen(uri), 'the file was opened: this test must not open it');
  });

  test('Problems lists agent/role-not-mapped on a manifest never opened (its role against a .tf\'s mappings); the quick fix edits the .tf', async () => {
    const uri = workspaceUri('role-not-mapped', 'k8s', 'datadog-agent.yaml');
    const tf = workspaceUri('role-not-mapped', 'terraform', 'mappings.tf');
    const diag = await waitFor('the manifest\'s role-not-mapped warning', () => ours(uri).find((d) => codeOf(d) === 'agent/role-not-mapped'), 45_000);
    assert.ok(!isOpen(uri), 'the file was opened: this test must not open it before its finding is listed');
    assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(diag.range.start.line, 11, 'on the IRSA annotation\'s value');
    // As the light bulb asks once Problems opened the file: the command needs the document loaded ("Illegal argument" otherwise).
    await vscode.workspace.openTextDocument(uri);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, diag.range);
    const fixes = actions.filter((a): a is vscode.CodeAction => 'edit' in a && !!a.edit && a.edit.entries().some(([u]) => u.toString() === tf.toString()));
    assert.strictEqual(fixes.length, 1, `no single action edits mappings.tf: ${JSON.stringify(actions.map((a) => a.title))}`);
    const edits = fixes[0].edit!.entries().find(([u]) => u.toString() === tf.toString())![1];
    assert.ok(edits.some((e) => e.newText.includes('datadog_aws_wif_intake_mapping') && e.newText.includes('arn:aws:sts::123456789012:assumed-role/datadog-agent-prod/*')), JSON.stringify(edits.map((e) => e.newText)));
  });

  test('a file created on disk is checked; deleted, its findings go', async () => {
    const uri = workspaceUri('never-opened', 'created', 'datadog.yaml');
    fs.mkdirSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true });
    try {
      fs.writeFileSync(uri.fsPath, BAD);
      await waitFor('the created file\'s diagnostics', () => ours(uri).find((d) => codeOf(d) === 'agent/org-uuid-invalid'), 45_000);
      assert.ok(!isOpen(uri));
    } finally {
      fs.rmSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true, force: true });
    }
    await waitFor('the deleted file\'s diagnostics to go', () => (ours(uri).length === 0 ? true : undefined), 45_000);
  });
});
