// The first capability end to end in real VS Code: a datadog.yaml with a bad
// org_uuid gets its diagnostic (code, range, docs link), the hover answers,
// a quick fix changes the text, and the status item says what the file is.

import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor, workspaceUri, codeOf, ruleDocLink } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'datadog-wif');
}

async function screenshot(name: string): Promise<void> {
  // The runner saves the workbench as docs/images/<name>.png when asked to.
  console.log(`[suite] SCREENSHOT ${name}`);
  await new Promise((r) => setTimeout(r, 1500));
}

suite('datadog.yaml in real VS Code', () => {
  test('a bad org_uuid: diagnostic with code, exact range and docs link; hover; status item', async () => {
    const uri = workspaceUri('datadog.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const diags = await waitFor('the org_uuid diagnostic', () => {
      const d = ours(uri);
      return d.length ? d : undefined;
    });
    assert.deepStrictEqual(diags.map(codeOf), ['agent/org-uuid-invalid']);
    const d = diags[0];
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    // `  org_uuid: not-a-uuid` on line 4 (0-based 3): the value, not the line.
    const valueStart = doc.lineAt(3).text.indexOf('not-a-uuid');
    assert.deepStrictEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [3, valueStart, 3, valueStart + 'not-a-uuid'.length]);
    // The code links to the rule's page shipped in the extension (ruleDocs.test.ts follows it).
    assert.strictEqual(ruleDocLink(d, vscode.extensions.getExtension(EXTENSION_ID)!).page.path.split('/').pop(), 'agent-org-uuid-invalid.md');
    assert.match(d.message, /must be a UUID/);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(3, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /org_uuid/);
    assert.match(text, /DD_DELEGATED_AUTH_ORG_UUID/);

    const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as { statusText: string };
    await waitFor('the language status item', () => (api.statusText.includes('Agent configuration') ? true : undefined));

    // For the README: the squiggle, the Problems panel and the hover.
    editor.selection = new vscode.Selection(3, valueStart + 2, 3, valueStart + 2);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('datadog-yaml-diagnostic');
  });

  test('a quick fix renames an unknown key and the diagnostic goes away', async () => {
    const uri = workspaceUri('quickfix', 'datadog.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diag = await waitFor('the unknown-key diagnostic', () => ours(uri).find((d) => codeOf(d) === 'agent/unknown-key'));
    assert.deepStrictEqual([diag.range.start.line, diag.range.start.character, diag.range.end.character], [3, 2, 9]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const rename = actions.find((a) => a.title === 'Rename to `provider`');
    assert.ok(rename?.edit, `a rename fix among: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(rename.edit));
    assert.strictEqual(doc.lineAt(3).text, '  provider: aws');
    await waitFor('the diagnostic to clear', () => (ours(uri).some((d) => codeOf(d) === 'agent/unknown-key') ? undefined : true));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('completion inside delegated_auth offers the section keys', async () => {
    const uri = workspaceUri('quickfix', 'datadog.yaml');
    const real = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(real);
    await editor.edit((e) => e.insert(new vscode.Position(4, 0), '  \n'));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(4, 2));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('refresh_interval_mins') && labels.includes('aws'), labels.join(', '));
    assert.ok(!labels.includes('org_uuid'), 'org_uuid is already there');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
