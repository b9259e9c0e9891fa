// Publishes diagnostics: at once when a document opens, after a short quiet
// period while it is being edited.

import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService, SeverityOverrides, SourceDocument } from '../service';
import { toDiagnostic } from './convert';
import type { Logger } from './logger';

export const DEBOUNCE_MS = 200;

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly published = new Map<string, Diagnostic[]>();
  /** The text each published list is for. */
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    private readonly service: LanguageService,
    private readonly log: Logger,
    /** The other documents that decide this one's folder-wide rules (Terraform). */
    private readonly folderOf: (uri: string) => SourceDocument[] = () => [],
    /** The severity overrides of the workspace folder holding a document (undefined: the window-level ones). */
    private readonly severityOf: (uri: string) => SeverityOverrides | undefined = () => undefined,
  ) {}

  /** `force`: run even if this text was published (another file of its folder changed). */
  schedule(doc: TextDocument, delay = DEBOUNCE_MS, force = false): void {
    // An open is reported as a content change too: what was just published needs no second run.
    if (!force && this.texts.get(doc.uri) === doc.getText() && !this.timers.has(doc.uri)) return;
    const prior = this.timers.get(doc.uri);
    if (prior) clearTimeout(prior);
    this.timers.set(
      doc.uri,
      setTimeout(() => {
        this.timers.delete(doc.uri);
        this.publish(doc);
      }, delay),
    );
  }

  publish(doc: TextDocument): void {
    // Publishing the current text makes a pending debounced run redundant.
    const pending = this.timers.get(doc.uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(doc.uri);
    let diagnostics: Diagnostic[] = [];
    const text = doc.getText();
    try {
      diagnostics = this.service.lint({ path: doc.uri, text, severity: this.severityOf(doc.uri) }, this.folderOf(doc.uri)).map((f) => toDiagnostic(f, doc.uri));
    } catch (err) {
      this.log.error(`linting ${doc.uri} failed`, err);
    }
    this.published.set(doc.uri, diagnostics);
    this.texts.set(doc.uri, text);
    void this.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  }

  clear(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.published.delete(uri);
    this.texts.delete(uri);
    this.service.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  current(uri: string): Diagnostic[] {
    return this.published.get(uri) ?? [];
  }
}
