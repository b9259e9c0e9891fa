// Settings take effect without a reload: a per-code severity changes the
// published diagnostic, and `datadogWif.agentConfigFiles` brings a file with
// another name under the server (the client restarts with the new selector).

import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor, workspaceUri, codeOf } from './util';

suite('settings', () => {
  test('datadogWif.severity changes a diagnostic, and `off` removes it', async () => {
    const uri = workspaceUri('datadog.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const find = () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'agent/org-uuid-invalid');
    await waitFor('the error', () => (find()?.severity === vscode.DiagnosticSeverity.Error ? true : undefined));
    const config = vscode.workspace.getConfiguration('datadogWif');
    try {
      await config.update('severity', { 'agent/org-uuid-invalid': 'warning' }, vscode.ConfigurationTarget.Workspace);
      await waitFor('the warning', () => (find()?.severity === vscode.DiagnosticSeverity.Warning ? true : undefined));
      await config.update('severity', { 'agent/*': 'off' }, vscode.ConfigurationTarget.Workspace);
      await waitFor('no diagnostic', () => (find() === undefined ? true : undefined));
    } finally {
      await config.update('severity', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('the error again', () => (find()?.severity === vscode.DiagnosticSeverity.Error ? true : undefined));
  });

  test('datadogWif.agentConfigFiles makes another file Agent configuration', async () => {
    const uri = workspaceUri('custom', 'agent-prod.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'datadog-wif').length, 0, 'not ours before the setting');
    const config = vscode.workspace.getConfiguration('datadogWif');
    const before = config.inspect<string[]>('agentConfigFiles')?.workspaceValue;
    try {
      await config.update('agentConfigFiles', [...(before ?? []), 'agent-*.yaml'], vscode.ConfigurationTarget.Workspace);
      const diag = await waitFor('the unknown-key diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'agent/unknown-key'));
      assert.deepStrictEqual([diag.range.start.line, diag.range.start.character], [4, 4]);
    } finally {
      await config.update('agentConfigFiles', before, vscode.ConfigurationTarget.Workspace);
    }
  });
});
