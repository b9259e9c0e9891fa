// A workspace whose only Agent files are matched by `datadogWif.agentConfigFiles`
// (set in its .vscode/settings.json): no datadog.yaml, no *.tf, no lock file, so
// no workspaceContains event fires. Only the agent-globs run of run-vscode.mjs
// (E2E_AGENT_GLOBS=1, fixture test/e2e/workspace-agent-globs) loads this file.
// The extension activates after startup (onStartupFinished) and stays dormant
// (client/src/extension.ts) until the matched file is opened; nothing is run
// from the command palette.

import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, languageServerPids, loadedBundles, waitFor, workspaceUri } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'datadog-wif');

suite('a workspace whose only Agent files match datadogWif.agentConfigFiles', () => {
  let ext: vscode.Extension<{ loaded: boolean }>;

  suiteSetup(() => {
    ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    assert.deepStrictEqual(vscode.workspace.getConfiguration('datadogWif').get('agentConfigFiles'), ['**/agent/*.yaml'], 'the run did not open test/e2e/workspace-agent-globs (E2E_AGENT_GLOBS=1)');
  });

  test('after startup the extension is active and dormant: only its gate loaded, no language server', async () => {
    await waitFor('the extension to activate after startup', () => (ext.isActive ? true : undefined), 45_000);
    assert.strictEqual(ext.exports.loaded, false);
    assert.deepStrictEqual(loadedBundles(ext), ['extension.js']);
    const pids = languageServerPids(ext);
    if (pids) assert.deepStrictEqual(pids, [], 'a language server runs');
  });

  test('an unrelated YAML file is not ours: it wakes nothing and gets no diagnostics', async () => {
    const uri = workspaceUri('notes', 'other.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await new Promise((r) => setTimeout(r, 2000));
    assert.strictEqual(ext.exports.loaded, false);
    assert.deepStrictEqual(ours(uri), []);
    const pids = languageServerPids(ext);
    if (pids) assert.deepStrictEqual(pids, []);
  });

  test('opening the matched file gets its diagnostics, without any command', async () => {
    const uri = workspaceUri('deploy', 'agent', 'main.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diag = await waitFor('the org_uuid diagnostic', () => ours(uri).find((d) => codeOf(d) === 'agent/org-uuid-invalid'));
    assert.strictEqual(diag.range.start.line, 4);
    assert.strictEqual(ext.exports.loaded, true);
    // The language client only: the cloud commands wait for one of them to run.
    assert.deepStrictEqual(loadedBundles(ext), ['extension.js', 'lintClient.js']);
    const pids = languageServerPids(ext);
    if (pids) assert.strictEqual(pids.length, 1, `language servers: ${pids.join(', ')}`);
  });
});
