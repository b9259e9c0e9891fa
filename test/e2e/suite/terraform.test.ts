// Terraform in real VS Code: a provider block with cloud_provider_type = "gcp"
// gets its diagnostic (the HCL parser is WebAssembly, loaded by the server)
// and the quick fix turns it into "aws".

import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, waitFor, workspaceUri } from './util';

suite('Terraform in real VS Code', () => {
  test('tf/cloud-provider-type-invalid: diagnostic, hover, quick fix', async () => {
    const uri = workspaceUri('terraform', 'main.tf');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // Without an extension that contributes the `terraform` language (the test profile has none), a
    // .tf file is plain text; it is ours by its name, so everything below works all the same (README).
    const terraformLanguage = vscode.extensions.all.some((e) => (e.packageJSON?.contributes?.languages ?? []).some((l: { id?: string }) => l.id === 'terraform'));
    if (!terraformLanguage) assert.strictEqual(doc.languageId, 'plaintext');
    const diag = await waitFor('the tf/cloud-provider-type-invalid diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'tf/cloud-provider-type-invalid'));
    const line = doc.lineAt(10).text;
    assert.deepStrictEqual([diag.range.start.line, diag.range.start.character, diag.range.end.character], [10, line.indexOf('"gcp"'), line.indexOf('"gcp"') + 5]);
    assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Error);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(10, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /DD_CLOUD_PROVIDER_TYPE/);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Replace with "aws"');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(doc.lineAt(10).text, '  cloud_provider_type = "aws"');
    await waitFor('the diagnostic to clear', () => (vscode.languages.getDiagnostics(uri).some((d) => codeOf(d).startsWith('tf/')) ? undefined : true));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
