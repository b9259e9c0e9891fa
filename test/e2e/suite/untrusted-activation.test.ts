// The activation gate, in the untrusted run (its files sort before
// untrusted.test.ts, before any file is opened): the extension is dormant
// until its Workload Identity Federation view is shown, which loads the cloud
// commands' bundle and puts the real view (its welcome for an untrusted workspace) in place
// of the placeholder.

import * as assert from 'assert';
import * as vscode from 'vscode';
import { loadedBundles, waitFor } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';

suite('activation gate (untrusted run): the view', () => {
  test('showing the view while dormant loads the extension, whose tree view takes over', async () => {
    const ext = vscode.extensions.getExtension<{ loaded: boolean; mappings: { view: vscode.TreeView<unknown> } }>(EXTENSION_ID)!;
    await waitFor('the extension to activate', () => (ext.isActive ? true : undefined), 45_000);
    assert.strictEqual(ext.exports.loaded, false);
    await vscode.commands.executeCommand('workbench.view.extension.datadogWif');
    await waitFor('the view to load the extension', () => (ext.exports.loaded ? true : undefined), 20_000);
    // The view's bundle (the cloud commands), not the language client.
    assert.deepStrictEqual(loadedBundles(ext), ['cloudCommands.js', 'extension.js']);
    await waitFor('the real tree view to be visible', () => (ext.exports.mappings.view.visible ? true : undefined), 20_000);
  });
});
