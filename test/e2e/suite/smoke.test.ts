// Smoke test: the extension really activates in VS Code when a datadog.yaml
// is opened, and registers its commands. It does not call
// `extension.activate()` to trigger activation, so a broken activation event
// or an `activate()` that throws makes it fail.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'datadog-wif.datadog-wif';

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

suite('smoke', () => {
  test('the extension activates for datadog.yaml and registers its commands', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test instance has no workspace folder open');

    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'datadog.yaml'));
    await vscode.window.showTextDocument(doc);

    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded in the test instance`);
    // Activation is asynchronous (workspaceContains / onLanguage events).
    const active = await waitFor(() => extension.isActive, 20_000);
    assert.ok(active, `extension ${EXTENSION_ID} did not activate within 20 s of opening datadog.yaml`);
    // isActive is also true when activate() threw; activate() on an already
    // activated extension does not activate anything, it re-raises that error.
    await extension.activate().then(undefined, (err: unknown) => {
      assert.fail(`activate() of ${EXTENSION_ID} failed: ${err instanceof Error ? err.message : String(err)}`);
    });

    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('datadogWif.restartServer'), 'command datadogWif.restartServer is not registered');
  });
});
