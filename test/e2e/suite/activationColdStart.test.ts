// Cold start, right after the activation gate's test (this file sorts after
// activation.test.ts, before any file of ours is opened): no language server
// runs and the language client is not loaded. Opening datadog.yaml must bring
// its diagnostics; how long that took is printed (never asserted: a shared CI
// machine's timing is not a test result), with the extension's own marks
// (`startup` in its API) for where the time went.

import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, languageServerPids, loadedBundles, waitFor, workspaceUri } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';

interface Api {
  loaded: boolean;
  /** performance.now() marks of the extension host (the same clock as this test's). */
  startup?: { wokeAt?: number; clientLoadedAt?: number; serverStartingAt?: number; serverReadyAt?: number };
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'datadog-wif');
}

/**
 * Resolves when `uri` has diagnostics of ours. Polled often rather than
 * awaited as onDidChangeDiagnostics: the extension host fires that event 50 ms
 * or more after the diagnostics are set (and sent to the editor), which would
 * count VS Code's delay as ours.
 */
function firstDiagnostics(uri: vscode.Uri, ms: number): Promise<vscode.Diagnostic[]> {
  return waitFor(`diagnostics for ${uri.toString()}`, () => (ours(uri).length ? ours(uri) : undefined), ms, 5);
}

suite('cold start', () => {
  test('opening datadog.yaml with no language server yet: its diagnostics arrive (time printed)', async () => {
    const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID)!;
    const wasActive = ext.isActive;
    const clientLoaded = loadedBundles(ext).filter((b) => b !== 'extension.js');
    const pids = languageServerPids(ext);
    if (pids) assert.deepStrictEqual(pids, [], 'a language server already runs: this is not a cold start');
    const uri = workspaceUri('datadog.yaml');
    assert.deepStrictEqual(ours(uri), [], 'datadog.yaml already has diagnostics');

    const opened = performance.now();
    const shown = vscode.workspace.openTextDocument(uri).then((doc) => vscode.window.showTextDocument(doc));
    const diagnostics = await firstDiagnostics(uri, 45_000);
    const total = performance.now() - opened;
    await shown;

    assert.deepStrictEqual(diagnostics.map(codeOf), ['agent/org-uuid-invalid']);
    assert.strictEqual(diagnostics[0].range.start.line, 3);

    const since = (t: number | undefined) => (t === undefined ? 'n/a' : `${Math.round(t - opened)} ms`);
    const marks = ext.exports.startup ?? {};
    console.log(
      `[suite] COLD-START open datadog.yaml -> first diagnostics: ${Math.round(total)} ms` +
        ` (extension ${wasActive ? 'active' : 'not yet active'}, bundles loaded before: ${clientLoaded.join(', ') || 'gate only'};` +
        ` woke +${since(marks.wokeAt)}, language client loaded +${since(marks.clientLoadedAt)},` +
        ` server starting +${since(marks.serverStartingAt)}, server ready +${since(marks.serverReadyAt)})`,
    );
  });
});
