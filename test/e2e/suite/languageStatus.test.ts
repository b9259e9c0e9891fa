// The language status item (the `{}` in the status bar) in real VS Code:
// its counts follow the diagnostics of the active file as it is edited,
// without switching editors, and its row in the hover shows whole (the
// hover does not wrap it: what does not fit is cut off, or runs past the
// window's edge).

import * as assert from 'assert';
import * as vscode from 'vscode';
import { workbenchUi, workbenchUiAvailable } from './index';
import { waitFor, workspaceUri } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';

interface Api {
  readonly statusText: string;
  readonly statusDetail: string | undefined;
}

interface Rects {
  rects: { left: number; top: number; right: number; bottom: number; scrollWidth: number; clientWidth: number; text: string }[];
  viewport: { width: number; height: number };
}

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'datadog-wif');

/** Replaces the first `from` in the editor's document by `to`, as typing would (an edit, not a save). */
async function replace(editor: vscode.TextEditor, from: string, to: string): Promise<void> {
  const at = editor.document.getText().indexOf(from);
  assert.ok(at >= 0, `"${from}" is not in ${editor.document.uri.path}`);
  const range = new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + from.length));
  assert.ok(await editor.edit((e) => e.replace(range, to)));
}

suite('language status item', () => {
  let api: Api;
  let uri: vscode.Uri;
  let editor: vscode.TextEditor;

  suiteSetup(async () => {
    uri = workspaceUri('status', 'datadog.yaml');
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await waitFor('the extension to activate', () => (ext.isActive ? true : undefined));
    api = ext.exports as Api;
  });

  suiteTeardown(async () => {
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  /** Waits for the item to say `detail`, and checks it agrees with what VS Code holds for the file. */
  async function detailBecomes(detail: string): Promise<void> {
    await waitFor(`the status detail "${detail}"`, () => (api.statusDetail === detail ? true : undefined), 20_000).catch((err: Error) => {
      throw new Error(`${err.message}; it says "${api.statusDetail}"`);
    });
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'the editor never changed');
    assert.strictEqual(api.statusText, 'Datadog WIF: Agent configuration');
  }

  setup(async () => {
    // Each test starts from the file as it is on disk (no problems).
    editor = await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('the counts follow an edit that adds an error, one that adds a warning, and the edits that fix them, in the same editor', async () => {
    await detailBecomes('no problems');
    assert.deepStrictEqual(ours(uri), []);

    await replace(editor, '0b0e6f8e-7d1c-4a2b-9c3d-5e6f7a8b9c0d', 'not-a-uuid');
    await detailBecomes('1 error');
    await replace(editor, 'provider: aws', 'provider: gcp');
    await replace(editor, 'site: datadoghq.com', 'site: datadoghq.com\nlogs_config:\n  delegated_auth:\n    org_uuid: 0b0e6f8e-7d1c-4a2b-9c3d-5e6f7a8b9c0d\n    provider: aws');
    await detailBecomes('2 errors, 1 warning');
    assert.deepStrictEqual(ours(uri).map((d) => d.severity).sort(), [vscode.DiagnosticSeverity.Error, vscode.DiagnosticSeverity.Error, vscode.DiagnosticSeverity.Warning]);

    await replace(editor, 'not-a-uuid', '0b0e6f8e-7d1c-4a2b-9c3d-5e6f7a8b9c0d');
    await detailBecomes('1 error, 1 warning');
    await replace(editor, 'provider: gcp', 'provider: aws');
    await replace(editor, '\n    provider: aws', '');
    await detailBecomes('no problems');
  });

  test('its row in the hover shows whole: not cut off, within the window', async function () {
    if (!workbenchUiAvailable()) {
      console.log('[suite] language status hover: no workbench bridge (run with test/e2e/run-vscode.mjs): skipped');
      this.skip();
    }
    // A long detail: every kind of problem, two-digit warnings.
    await replace(editor, 'api_key: 0123456789abcdef0123456789abcdef\n', '');
    await replace(editor, '0b0e6f8e-7d1c-4a2b-9c3d-5e6f7a8b9c0d', 'not-a-uuid');
    const unknownKeys = Array.from({ length: 12 }, (_, i) => `\n    not_a_key_${i}: 1`).join('');
    await replace(editor, 'provider: aws', `provider: gcp\n  aws:${unknownKeys}`);
    await detailBecomes('2 errors, 12 warnings, 1 info');
    await vscode.window.showTextDocument(editor.document);
    const row = await waitFor('the hover of the language status item', async () => {
      await workbenchUi({ op: 'hover', selector: '#status\\.languageStatus' });
      const { rects, viewport } = await workbenchUi<Rects>({ op: 'rects', selector: '.hover-language-status' });
      const ours = rects.find((r) => r.text.includes('Datadog WIF'));
      return ours ? { ...ours, viewport } : undefined;
    }, 20_000, 500);
    assert.match(row.text, /Datadog WIF: Agent configuration.*2 errors, 12 warnings, 1 info/);
    assert.ok(row.left >= 0 && row.right <= row.viewport.width, `the hover row spans x ${Math.round(row.left)}..${Math.round(row.right)} in a window ${row.viewport.width} wide: ${row.text}`);
    // The row does not wrap: text that does not fit is cut off by the hover (the Show Logs link first).
    assert.ok(row.scrollWidth <= row.clientWidth, `the hover row needs ${row.scrollWidth} px and has ${row.clientWidth}: ${row.text}`);
    // And with room to spare (other fonts, three-digit counts): the hover is at most 500 px wide.
    assert.ok(row.scrollWidth <= 450, `the hover row is ${row.scrollWidth} px wide: ${row.text}`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});

suite('language status item: files ours by their content', () => {
  let api: Api;

  suiteSetup(async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri('status', 'datadog.yaml')));
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await waitFor('the extension to activate', () => (ext.isActive ? true : undefined));
    api = ext.exports as Api;
  });

  /** The rows of the language status hover that are ours ([] when the status bar has no language status for the file). */
  async function ourHoverRows(): Promise<string[]> {
    // The mouse away first: a hover still open from before would answer for the file shown before.
    await workbenchUi({ op: 'hover', selector: '.part.editor' });
    const { texts } = await workbenchUi<{ texts: string[] }>({ op: 'texts', selector: '#status\\.languageStatus' });
    if (texts.length === 0) return [];
    await workbenchUi({ op: 'hover', selector: '#status\\.languageStatus' });
    await new Promise((r) => setTimeout(r, 1000)); // the hover's delay: long enough for it to open
    const { rects } = await workbenchUi<Rects>({ op: 'rects', selector: '.hover-language-status' });
    return rects.map((r) => r.text).filter((t) => t.includes('Datadog WIF'));
  }

  test('a Kubernetes manifest that sets the Agent\'s variables shows "Agent settings (environment)"; a YAML file that is not ours shows no item', async function () {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri('status', 'agent-env', 'daemonset.yaml')));
    await waitFor('the status to name the Agent-env file', () => (api.statusText === 'Datadog WIF: Agent settings (environment)' ? true : undefined), 20_000).catch((err: Error) => {
      throw new Error(`${err.message}; it says "${api.statusText}"`);
    });
    if (!workbenchUiAvailable()) {
      console.log('[suite] language status on Agent-env files: no workbench bridge (run with test/e2e/run-vscode.mjs): the shown item is not checked');
      return;
    }
    const shown = await waitFor('the item in the language status hover', async () => ((await ourHoverRows()).some((t) => t.includes('Agent settings (environment)')) ? true : undefined), 20_000, 500);
    assert.ok(shown);

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri('status', 'not-ours', 'deployment.yaml')));
    // The server was asked (not ours: it says so), and the item left the file alone.
    await waitFor('the server\'s answer for the other file', () => (api.statusText === 'Datadog WIF: not checked' ? true : undefined), 20_000);
    assert.deepStrictEqual(await ourHoverRows(), []);
  });
});
