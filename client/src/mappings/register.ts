// Wires the mapping features into VS Code: the credential store, the
// "Workload Identity Federation" tree view and its commands. One call from
// activate(); what it returns goes into the extension's API for tests.

import * as vscode from 'vscode';
import { getCallerIdentity } from '../../../server/src/cloud/callerIdentity';
import type { CallerIdentity } from '../../../server/src/cloud/types';
import { redact } from '../../../server/src/shared/redact';
import { AwsProfiles } from '../awsProfile';
import { userLevelSettings } from '../settings';
import { affectsMappings } from './config';
import { HAS_CREDENTIALS_CONTEXT } from './credentialEntries';
import { createMapping } from './createMapping';
import { deleteMapping } from './deleteMapping';
import { clearApiKeys, setApiKeys } from './keys';
import { credentialStore, storeLoginToken, type CredentialStore } from './secrets';
import { MappingsService } from './service';
import { MappingsTreeProvider, patternOf, type MappingNode } from './tree';
import { whyCantILogIn } from './whyCantILogIn';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CodeComparison, COMPARE_WITH_CODE } from './codeComparison';
import { exportMappingToTerraform, exportMappingsAsTerraform } from './exportMappings';
import { SETTINGS_SECTION } from '../../../server/src/lsp/protocol';

export const MAPPINGS_VIEW_ID = 'datadogWif.mappings';
/** How long Create Mapping waits for the caller identity before leaving the pattern empty. */
const PREFILL_TIMEOUT_MS = 8_000;

export interface MappingFeatures {
  readonly tree: MappingsTreeProvider;
  readonly store: CredentialStore;
  readonly service: MappingsService;
  readonly view: vscode.TreeView<unknown>;
  /**
   * For Test Login's `onSecret`: keeps a Terraform-flow login's token
   * (storeLoginToken) for the base URL its proof went to, so the view and the
   * mapping commands can use it with that API until it expires. The Agent
   * flow's API key is not kept: it cannot call this API.
   */
  readonly onLoginSecret: (secret: { flow: string; site?: string; baseUrl?: string; accessToken?: string; expiresAt?: Date }) => void;
}

/** The site a command argument names: `{ site }` from a caller, or a tree node (which carries its site). */
function siteArg(arg: unknown): { site?: string } & Record<string, unknown> {
  return arg && typeof arg === 'object' && !Array.isArray(arg) ? (arg as { site?: string } & Record<string, unknown>) : {};
}

export interface MappingFeatureDeps {
  /** The login commands' AWS profile choice; by default one over the same workspace state. */
  profiles?: AwsProfiles;
  /** The running language client (started if need be): the view compares the org with the workspace through it. */
  languageClient?: () => Promise<LanguageClient | undefined>;
  /** Told when Refresh runs (for `site`, or all): the org learner refreshes with the view. */
  onRefresh?: (site: string | undefined) => void;
}

export function registerMappingFeatures(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, deps: MappingFeatureDeps = {}): MappingFeatures {
  const store = credentialStore(context);
  const service = new MappingsService(store, output);
  const comparison = new CodeComparison(deps.languageClient, output);
  const tree = new MappingsTreeProvider(store, service, comparison);
  const view = vscode.window.createTreeView(MAPPINGS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  // The same remembered choice as the login commands (workspaceState), read afresh each time.
  const profiles = deps.profiles ?? new AwsProfiles(context.workspaceState, output);

  let lastIdentity: { profile: string | undefined; identity: CallerIdentity } | undefined;
  const callerIdentity = async (signal: AbortSignal): Promise<CallerIdentity | undefined> => {
    const profile = profiles.current;
    if (lastIdentity && lastIdentity.profile === profile) return lastIdentity.identity;
    try {
      const timeoutMs = Math.min(userLevelSettings().requestTimeoutMs, PREFILL_TIMEOUT_MS);
      const identity = await getCallerIdentity({ credentials: profiles.source(profile, timeoutMs), profile, timeoutMs, signal });
      lastIdentity = { profile, identity };
      return identity;
    } catch (err) {
      // Only a convenience: the pattern box stays empty and the user types it.
      output.debug(redact(`No caller identity to prefill the pattern: ${err instanceof Error ? err.message : String(err)}`));
      return undefined;
    }
  };

  const updateContext = () => void vscode.commands.executeCommand('setContext', HAS_CREDENTIALS_CONTEXT, store.sites().length > 0);
  updateContext();

  const createDeps = { store, service, tree, output, callerIdentity, lastAccount: context.globalState };
  context.subscriptions.push(
    comparison,
    tree,
    view,
    store.onDidChange(() => {
      updateContext();
      tree.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.${COMPARE_WITH_CODE}`)) tree.recompare();
      if (!affectsMappings(e)) return;
      service.invalidate();
      tree.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()),
    vscode.commands.registerCommand('datadogWif.setApiKeys', (arg?: unknown) => setApiKeys(store, output, siteArg(arg))),
    vscode.commands.registerCommand('datadogWif.addSite', () => setApiKeys(store, output, {}, true)),
    vscode.commands.registerCommand('datadogWif.clearApiKeys', (arg?: unknown) => {
      const a = siteArg(arg);
      return clearApiKeys(store, output, { site: a.site, confirm: a.confirm === true });
    }),
    vscode.commands.registerCommand('datadogWif.refreshMappings', (arg?: unknown) => {
      const site = siteArg(arg).site;
      if (site === undefined) service.invalidate();
      tree.refresh(site);
      deps.onRefresh?.(site);
    }),
    vscode.commands.registerCommand('datadogWif.createIdentityMapping', (arg?: unknown) => createMapping('identity', createDeps, arg)),
    vscode.commands.registerCommand('datadogWif.createIntakeMapping', (arg?: unknown) => createMapping('intake', createDeps, arg)),
    vscode.commands.registerCommand('datadogWif.deleteMapping', (...args: unknown[]) => deleteMapping({ store, service, tree, output }, ...args)),
    vscode.commands.registerCommand('datadogWif.copyMappingPattern', async (node?: MappingNode) => {
      if (!node?.mapping) return;
      await vscode.env.clipboard.writeText(node.mapping.arnPattern);
      vscode.window.setStatusBarMessage(`Datadog WIF: copied ${patternOf(node.mapping)}`, 3000);
    }),
    vscode.commands.registerCommand('datadogWif.exportMappingsAsTerraform', (arg?: unknown) => exportMappingsAsTerraform({ store, service, output }, arg)),
    vscode.commands.registerCommand('datadogWif.exportMappingToTerraform', (node?: unknown) => exportMappingToTerraform(node, (site) => tree.declaredAddresses(site))),
    vscode.commands.registerCommand('datadogWif.whyCantILogIn', (arg?: unknown) =>
      whyCantILogIn({ store, service, profiles, output, onCallerIdentity: (identity) => (lastIdentity = { profile: profiles.current, identity }) }, arg),
    ),
  );
  const onLoginSecret: MappingFeatures['onLoginSecret'] = (secret) => {
    if (secret.flow !== 'terraform' || !secret.accessToken) return;
    if (!secret.site || !secret.baseUrl) {
      output.debug('Test Login gave a token without a site or base URL: not kept for the mapping view.');
      return;
    }
    const { site, baseUrl } = secret;
    storeLoginToken(context, site, baseUrl, secret.accessToken, secret.expiresAt).then(
      () => output.info(`Kept the login token for ${site} at ${baseUrl} (until ${secret.expiresAt?.toISOString() ?? 'it expires'}) for the Workload Identity Federation view.`),
      (err: unknown) => output.warn(redact(`Keeping the login token for ${site} failed: ${err instanceof Error ? err.message : String(err)}`)),
    );
  };
  return { tree, store, service, view: view as vscode.TreeView<unknown>, onLoginSecret };
}
