// The activation gate in the main run's workspace: before any test opens a
// file (this file sorts first) the extension is active but dormant; one of
// its commands, run from the palette or by another extension, loads its own
// bundle (the cloud commands, not the language client) and runs with its
// arguments, and still no language server starts until a document of ours is
// open. (The agent-globs run covers waking on a document,
// the untrusted run waking on the view.)

import * as assert from 'assert';
import * as vscode from 'vscode';
import { languageServerPids, loadedBundles, waitFor } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';

suite('activation gate', () => {
  test('dormant until asked; a command then loads its bundle and runs, with no language client or server yet', async () => {
    const ext = vscode.extensions.getExtension<{ loaded: boolean }>(EXTENSION_ID)!;
    await waitFor('the extension to activate (workspaceContains, onStartupFinished)', () => (ext.isActive ? true : undefined), 45_000);
    assert.strictEqual(ext.exports.loaded, false);
    assert.deepStrictEqual(loadedBundles(ext), ['extension.js']);

    const result = await vscode.commands.executeCommand<{ ok: boolean; code?: string; message?: string }>('datadogWif.testLoginAgent', { interactive: false });
    assert.deepStrictEqual([result?.ok, result?.code], [false, 'usage'], JSON.stringify(result));
    assert.match(result?.message ?? '', /no org UUID given/);
    assert.strictEqual(ext.exports.loaded, true);
    // The command's bundle only: not the language client, which waits for a document of ours.
    assert.deepStrictEqual(loadedBundles(ext), ['cloudCommands.js', 'extension.js']);
    const pids = languageServerPids(ext);
    if (pids) assert.deepStrictEqual(pids, [], 'no document of ours is open: no language server');
  });
});
