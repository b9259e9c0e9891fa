// Opens a rule's page (docs/rules/, shipped in the extension) as a rendered
// Markdown preview, and makes the language client's rule links (diagnostic
// codes, hover links) run it: see ruleDocLinks.ts for why.

import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { OPEN_RULE_DOC, isRuleDocUri, ruleDocCommandUri, ruleDocsFolder, withRuleDocCommands } from './ruleDocLinks';

/** A URI as VS Code spells it undecoded, so the server's links and the extension's folder compare alike. */
function normalize(uri: string): string {
  try {
    return vscode.Uri.parse(uri, true).toString(true);
  } catch {
    return uri;
  }
}

function folderOf(context: vscode.ExtensionContext): string {
  return ruleDocsFolder(context.extensionUri.toString(true));
}

export function registerOpenRuleDoc(context: vscode.ExtensionContext): vscode.Disposable {
  const folder = folderOf(context);
  return vscode.commands.registerCommand(OPEN_RULE_DOC, async (target: unknown) => {
    // Runs from a link: only a page of ours opens, never another file a link may name.
    if (typeof target !== 'string' || !isRuleDocUri(normalize(target), folder)) return;
    const uri = vscode.Uri.parse(target);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      // The built-in Markdown extension disabled: the page as text is still the page.
      await vscode.commands.executeCommand('vscode.open', uri);
    }
  });
}

export function ruleDocMiddleware(context: vscode.ExtensionContext): Pick<Middleware, 'handleDiagnostics' | 'provideHover'> {
  const folder = folderOf(context);
  return {
    handleDiagnostics: (uri, diagnostics, next) => {
      for (const d of diagnostics) {
        if (typeof d.code !== 'object' || !d.code) continue;
        const command = ruleDocCommandUri(d.code.target.toString(true), folder, normalize);
        if (command) d.code = { value: d.code.value, target: vscode.Uri.parse(command, true) };
      }
      next(uri, diagnostics);
    },
    provideHover: async (document, position, token, next) => {
      const hover = await next(document, position, token);
      if (!hover) return hover;
      const contents = hover.contents.map((c) => {
        const value = typeof c === 'string' ? c : 'value' in c && !('language' in c) ? c.value : undefined;
        if (value === undefined) return c;
        const linked = withRuleDocCommands(value, folder, normalize);
        if (linked === value) return c;
        const md = new vscode.MarkdownString(linked);
        md.isTrusted = { enabledCommands: [OPEN_RULE_DOC] };
        return md;
      });
      return new vscode.Hover(contents, hover.range);
    },
  };
}
