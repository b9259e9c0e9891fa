// How the mappings view learns, for a site, which of the org's mappings the
// workspace declares: it asks the language server (`datadogWif/mappingsDrift`:
// the server holds the workspace index and reads the declarations; the client
// holds no rules), and hears from it when the declarations may have changed
// (`datadogWif/declaredMappingsChanged`). Off with
// `datadogWif.mappings.compareWithCode`: then nothing is asked, and the
// language server is not started for it.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DeclaredMappingsChangedNotification, MappingsDriftRequest, SETTINGS_SECTION, type DeclaredMappingsChangedParams, type MappingsDriftParams, type MappingsDriftResult } from '../../../server/src/lsp/protocol';
import type { DeclaredMapping } from '../../../server/src/service/orgSync/types';
import { toOrgMapping } from '../../../server/src/cloud/mappingTypes';
import { redact } from '../../../server/src/shared/redact';
import type { Mapping } from './service';

export const COMPARE_WITH_CODE = 'mappings.compareWithCode';

/** Whether the view compares the org's mappings with the workspace's (the setting, on unless turned off). */
export function compareWithCode(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(COMPARE_WITH_CODE, true) !== false;
}


/** The comparison could not be made; `message` is for the user. */
export class ComparisonError extends Error {}

export class CodeComparison implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DeclaredMappingsChangedParams>();
  /** The server says what the workspace declares may have changed: ask again. */
  readonly onDidChangeDeclared = this.changed.event;
  /** Each language client listened to (a restart makes a new one). */
  private readonly listened = new WeakSet<LanguageClient>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly languageClient: (() => Promise<LanguageClient | undefined>) | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    this.changed.dispose();
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }

  /** How `mappings` (the org's, as listed for `site`) compare with the workspace. Throws ComparisonError. */
  async compare(site: string, mappings: readonly Mapping[]): Promise<MappingsDriftResult> {
    const client = this.languageClient ? await this.languageClient().catch(() => undefined) : undefined;
    if (!client) throw new ComparisonError('the Datadog WIF language server is not running');
    if (!this.listened.has(client)) {
      this.listened.add(client);
      this.subscriptions.push(client.onNotification(DeclaredMappingsChangedNotification, (params: DeclaredMappingsChangedParams) => this.changed.fire({ scanning: params?.scanning === true })));
    }
    const params: MappingsDriftParams = { site, mappings: mappings.map(toOrgMapping) };
    try {
      return await client.sendRequest<MappingsDriftResult>(MappingsDriftRequest, params);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.output.warn(redact(`Comparing the mappings of ${site} with the workspace failed: ${message}`));
      throw new ComparisonError('the language server could not compare them (see the Datadog WIF log)');
    }
  }
}

/** "infra/wif.tf:12": the declaration's file, relative to its workspace folder, and 1-based line. */
export function declarationPlace(d: DeclaredMapping): string {
  return `${vscode.workspace.asRelativePath(declarationUri(d), vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1)}:${d.line + 1}`;
}

export function declarationUri(d: DeclaredMapping): vscode.Uri {
  return vscode.Uri.parse(d.path);
}

/** Clicking a declaration (or a mapping declared once) opens its file at its line. */
export function openDeclarationCommand(d: DeclaredMapping): vscode.Command {
  const line = Math.max(0, d.line);
  return { title: 'Open Declaration', command: 'vscode.open', arguments: [declarationUri(d), { selection: new vscode.Range(line, 0, line, 0), preview: true }] };
}
