// Language service values → LSP values.

import {
  CodeAction,
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem as LspCompletionItem,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE, docsUrl, type CompletionItem, type Finding, type QuickFix, type TextEdit } from '../service';

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** `uri`: the document's, for the finding's related places (in the same document unless one names another's `path`, a URI here). */
export function toDiagnostic(f: Finding, uri?: string): Diagnostic {
  const related = uri && f.related?.length ? { relatedInformation: f.related.map((r) => ({ location: { uri: r.path ?? uri, range: r.range }, message: r.message })) } : {};
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: docsUrl(f.code) },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
    // Carried so clients can key fixes on it; the server recomputes fixes anyway.
    data: f.data ? { code: f.code, fixes: f.data.fixes ?? [] } : { code: f.code },
    ...related,
  };
}

/** The fix's edits of this document and of other documents (`changes`, keyed by their paths: URIs in the server). */
export function workspaceEdit(uri: string, fix: QuickFix): { changes: Record<string, TextEdit[]> } {
  const changes: Record<string, TextEdit[]> = {};
  if (fix.edits.length || !fix.changes?.length) changes[uri] = [...fix.edits];
  for (const c of fix.changes ?? []) changes[c.path] = [...(changes[c.path] ?? []), ...c.edits];
  return { changes };
}

export function toCodeAction(uri: string, finding: Finding, fix: QuickFix): CodeAction {
  const action = CodeAction.create(fix.title, workspaceEdit(uri, fix), CodeActionKind.QuickFix);
  action.diagnostics = [toDiagnostic(finding, uri)];
  if (fix.isPreferred) action.isPreferred = true;
  return action;
}

const KINDS: Record<CompletionItem['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
  keyword: CompletionItemKind.Keyword,
};

export function toCompletionItem(item: CompletionItem, snippets: boolean): LspCompletionItem {
  const useSnippet = !!item.isSnippet && snippets;
  const text = item.insertText ?? item.label;
  const plain = item.isSnippet && !snippets ? text.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+(?::([^}]*))?\}/g, '$1') : text;
  const out: LspCompletionItem = {
    label: item.label,
    kind: KINDS[item.kind],
    detail: item.detail,
    insertTextFormat: useSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    sortText: item.sortText,
    filterText: item.filterText,
  };
  if (item.documentation) out.documentation = { kind: MarkupKind.Markdown, value: item.documentation };
  if (item.range) out.textEdit = { range: item.range, newText: useSnippet ? text : plain };
  else out.insertText = useSnippet ? text : plain;
  return out;
}
