// The live checks (`datadogWif.live`) in VS Code: while the setting is on
// and the workspace trusted, the mappings of each site with stored
// credentials go to the language server (liveFeed.ts), which reports
// org/mapping-exists and org/mapping-conflict on the files' patterns.
//
// The lists are the Workload Identity Federation view's (tree.mappings: one
// fetch serves both, with the same host policy and user-level settings), so
// they are fetched again whenever the view's are: Refresh Mappings, a create
// or delete through our commands, a credential or API settings change, trust
// granted. Besides, every 15 minutes while the window has focus (a window in
// the background waits until it has focus again), so mappings made in the
// Datadog UI or by Terraform elsewhere show up; nothing else polls. Sent
// again each time the language server starts.

import * as vscode from 'vscode';
import { OrgMappingsNotification } from '../../../server/src/lsp/protocol';
import { SETTINGS_SECTION } from '../../../server/src/lsp/protocol';
import type { MappingFeatures } from '../mappings/register';
import { LiveFeed } from './liveFeed';

export const LIVE_SETTING = `${SETTINGS_SECTION}.live`;
/** How often the lists are fetched again while the window has focus. */
export const LIVE_REFRESH_MS = 15 * 60 * 1000;

/** The language client as the live checks use it (structural: this bundle holds no language client). */
export interface LiveServer {
  readonly client: { isRunning(): boolean; sendNotification(method: string, params?: unknown): Promise<void> } | undefined;
  /** Fires each time a language server is running: the first start, a restart, a restart after a crash. */
  readonly onDidStartServer: vscode.Event<void>;
}

export function liveEnabled(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>('live', false) === true && vscode.workspace.isTrusted;
}

export function startLiveChecks(output: vscode.LogOutputChannel, mappings: MappingFeatures, server: LiveServer): vscode.Disposable {
  const feed = new LiveFeed({
    enabled: liveEnabled,
    sites: () => mappings.store.sites(),
    list: (site, kind) => mappings.tree.mappings(site, kind),
    send: async (params) => {
      const client = server.client;
      if (!client?.isRunning()) return false;
      await client.sendNotification(OrgMappingsNotification, params);
      return true;
    },
    log: output,
  });
  let stale = false;
  const timer = setInterval(() => {
    if (!liveEnabled()) return;
    if (vscode.window.state.focused) mappings.tree.refresh();
    else stale = true;
  }, LIVE_REFRESH_MS);
  const subscriptions: vscode.Disposable[] = [
    { dispose: () => clearInterval(timer) },
    // The view's lists were dropped (Refresh, create, delete, credentials, settings, trust): list again.
    mappings.tree.onDidChangeTreeData(() => void feed.refresh()),
    server.onDidStartServer(() => void feed.serverStarted()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(LIVE_SETTING)) void feed.refresh();
    }),
    vscode.window.onDidChangeWindowState((state) => {
      if (!state.focused || !stale) return;
      stale = false;
      if (liveEnabled()) mappings.tree.refresh();
    }),
  ];
  void feed.refresh();
  return { dispose: () => subscriptions.forEach((d) => d.dispose()) };
}
