// The activation gate in the main run's workspace: before any test opens a
// file (this file sorts first) the extension is active but dormant; one of
// its commands, run from the palette or by another extension, loads the rest
// and runs with its arguments, and still no language server starts until a
// document of ours is open. (The agent-globs run covers waking on a document,
// the untrusted run waking on the view.)

import * as assert from 'assert';
import * as vscode from 'vscode';
import { languageServerPids, loadedBundles, waitFor } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';

suite('activation gate', () => {
  test('dormant until asked; a command then loads the extension and runs, with no language server yet', async () => {
    const ext = vscode.extensions.getExtension<{ loaded: boolean }>(EXTENSION_ID)!;
    await waitFor('the extension to activate (workspaceContains, onStartupFinished)', () => (ext.isActive ? true : undefined), 45_000);
    assert.strictEqual(ext.exports.loaded, false);
    assert.deepStrictEqual(loadedBundles(ext), ['extension.js']);

    const result = await vscode.commands.executeCommand<{ ok: boolean; code?: string; message?: string }>('datadogWif.testLoginAgent', { interactive: false });
    assert.deepStrictEqual([result?.ok, result?.code], [false, 'usage'], JSON.stringify(result));
    assert.match(result?.message ?? '', /no org UUID given/);
    assert.strictEqual(ext.exports.loaded, true);
    assert.deepStrictEqual(loadedBundles(ext), ['extension.js', 'extensionMain.js']);
    const pids = languageServerPids(ext);
    if (pids) assert.deepStrictEqual(pids, [], 'no document of ours is open: no language server');
  });
});
