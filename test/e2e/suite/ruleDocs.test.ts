// Rule docs in real VS Code, offline: a diagnostic's code link names the
// rule's page shipped in the extension, and following it (a click on the
// code in Problems, as a user does) opens the page as a Markdown preview.

import * as assert from 'assert';
import * as vscode from 'vscode';
import { workbenchUi, workbenchUiAvailable } from './index';
import { codeOf, ruleDocLink, waitFor, workspaceUri } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';

function previewTab(name: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && t.label.includes(name));
}

suite('Rule docs in real VS Code', () => {
  test('the code link of a diagnostic opens the rule page shipped in the extension, as a preview', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const uri = workspaceUri('datadog.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const d = await waitFor('the org_uuid diagnostic', () => vscode.languages.getDiagnostics(uri).find((x) => codeOf(x) === 'agent/org-uuid-invalid'));
    const { command, page } = ruleDocLink(d, ext);
    assert.strictEqual(command, 'datadogWif.openRuleDoc');
    assert.match(Buffer.from(await vscode.workspace.fs.readFile(page)).toString('utf8'), /^# `agent\/org-uuid-invalid`\n/);

    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
    if (workbenchUiAvailable()) {
      // As a user: the code in the Problems panel is a link; clicking it runs the command (VS Code allows command links there).
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await workbenchUi({ op: 'click', selector: '.markers-panel .monaco-link:has-text("agent/org-uuid-invalid")' });
    } else {
      const target = d.code as { target: vscode.Uri };
      await vscode.commands.executeCommand(command, ...(JSON.parse(target.target.query) as unknown[]));
    }
    const tab = await waitFor('the preview of agent-org-uuid-invalid.md', () => previewTab('agent-org-uuid-invalid.md'));
    assert.ok(tab.label.includes('agent-org-uuid-invalid.md'), tab.label);

    // Any other file is refused, whatever a link says.
    const before = vscode.window.tabGroups.all.flatMap((g) => g.tabs).length;
    await vscode.commands.executeCommand(command, vscode.Uri.joinPath(ext.extensionUri, 'package.json').toString());
    await new Promise((r) => setTimeout(r, 500));
    assert.strictEqual(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, before);
  });
});
