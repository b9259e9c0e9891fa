// The language status item: what this file is to us, and how the server is.

import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { FileKindRequest, type FileKindParams, type FileKindResult } from '../../server/src/lsp/protocol';

const KIND_LABELS: Record<string, string> = {
  agent: 'Datadog Agent configuration',
  terraform: 'Terraform (Datadog provider)',
  'terraform-lock': 'Terraform lock file',
};

export class LanguageStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private client: LanguageClient | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(selector: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem('datadogWif.status', selector);
    this.item.name = 'Datadog WIF';
    this.item.text = 'Datadog WIF';
    this.item.command = { title: 'Show Logs', command: 'datadogWif.showLogs' };
    this.disposables.push(vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()));
  }

  attach(client: LanguageClient): void {
    this.client = client;
    this.disposables.push(client.onDidChangeState(() => void this.refresh()));
    void this.refresh();
  }

  /** Shown when the server could not be kept running. */
  failed(message: string): void {
    this.item.severity = vscode.LanguageStatusSeverity.Error;
    this.item.busy = false;
    this.item.text = 'Datadog WIF: server stopped';
    this.item.detail = message;
    this.item.command = { title: 'Restart', command: 'datadogWif.restartServer' };
  }

  async refresh(): Promise<void> {
    const client = this.client;
    const state = client?.state;
    this.item.busy = state === State.Starting;
    if (state !== State.Running) {
      this.item.severity = state === State.Stopped ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
      this.item.text = state === State.Starting ? 'Datadog WIF: starting' : 'Datadog WIF: server stopped';
      this.item.detail = state === State.Stopped ? 'Restart it from the command palette' : undefined;
      this.item.command = state === State.Stopped ? { title: 'Restart', command: 'datadogWif.restartServer' } : { title: 'Show Logs', command: 'datadogWif.showLogs' };
      return;
    }
    this.item.severity = vscode.LanguageStatusSeverity.Information;
    this.item.command = { title: 'Show Logs', command: 'datadogWif.showLogs' };
    const editor = vscode.window.activeTextEditor;
    if (!editor || !client) return;
    try {
      const result = await client.sendRequest<FileKindResult>(FileKindRequest, { uri: editor.document.uri.toString() } satisfies FileKindParams);
      const label = result.kind ? KIND_LABELS[result.kind] : 'not a file Datadog WIF checks';
      this.item.text = `Datadog WIF: ${label}`;
      const { error, warning, info } = result.counts;
      this.item.detail = `server running · ${error} errors, ${warning} warnings, ${info} hints`;
    } catch {
      this.item.detail = 'server running';
    }
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
