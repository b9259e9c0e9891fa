// ARN patterns in real VS Code: an IAM role ARN where the assumed-role ARN is
// needed gets its diagnostic on the pattern, a hover that explains it, and a
// quick fix that rewrites it (dropping the role path).

import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, ruleDocLink, waitFor, workspaceUri } from './util';

suite('ARN patterns in real VS Code', () => {
  test('arn/iam-role-arn: diagnostic, hover, quick fix', async () => {
    const uri = workspaceUri('wif-mappings.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diag = await waitFor('the arn/iam-role-arn diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'arn/iam-role-arn'));
    const line = doc.lineAt(3).text;
    const start = line.indexOf('arn:aws:iam');
    assert.strictEqual(diag.range.start.line, 3);
    assert.strictEqual(diag.range.start.character, start + 'arn:aws:'.length, 'underlines from the service, not the whole line');
    assert.strictEqual(diag.range.end.character, line.length);
    assert.strictEqual(ruleDocLink(diag, vscode.extensions.getExtension('datadog-wif.datadog-wif')!).page.path.split('/').pop(), 'arn-iam-role-arn.md');

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(3, start + 5));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /an IAM role/);
    assert.match(text, /\| account \| `123456789012` \|/);
    assert.match(text, /assumed-role\/deploy\/<session>/);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.startsWith('Replace with'));
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(doc.lineAt(3).text, '  - arn_pattern: arn:aws:sts::123456789012:assumed-role/deploy/*');
    await waitFor('the diagnostic to clear', () => (vscode.languages.getDiagnostics(uri).some((d) => codeOf(d).startsWith('arn/')) ? undefined : true));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
