// The language status item (the `{}` in the status bar) in real VS Code:
// its counts follow the diagnostics of the active file as it is edited,
// without switching editors, and its hover fits in the window.

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
  rects: { left: number; top: number; right: number; bottom: number; text: string }[];
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
    await waitFor(`the status detail "${detail}" (it says "${api.statusDetail}")`, () => (api.statusDetail === detail ? true : undefined), 20_000);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'the editor never changed');
    assert.strictEqual(api.statusText, 'Datadog WIF: Agent configuration');
  }

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

  test('its hover fits in the window', async function () {
    if (!workbenchUiAvailable()) {
      console.log('[suite] language status hover: no workbench bridge (run with test/e2e/run-vscode.mjs): skipped');
      this.skip();
    }
    await replace(editor, '0b0e6f8e-7d1c-4a2b-9c3d-5e6f7a8b9c0d', 'not-a-uuid');
    await replace(editor, 'provider: aws', 'provider: aws\n  aws:\n    regoin: us-east-1\n    refresh: 1');
    await detailBecomes('1 error, 2 warnings');
    await vscode.window.showTextDocument(editor.document);
    const row = await waitFor('the hover of the language status item', async () => {
      await workbenchUi({ op: 'hover', selector: '#status\\.languageStatus' });
      const { rects, viewport } = await workbenchUi<Rects>({ op: 'rects', selector: '.hover-language-status' });
      const ours = rects.find((r) => r.text.includes('Datadog WIF'));
      return ours ? { ...ours, viewport } : undefined;
    }, 20_000, 500);
    assert.match(row.text, /Datadog WIF: Agent configuration.*1 error, 2 warnings/);
    assert.ok(row.left >= 0 && row.right <= row.viewport.width, `the hover row spans x ${Math.round(row.left)}..${Math.round(row.right)} in a window ${row.viewport.width} wide: ${row.text}`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
