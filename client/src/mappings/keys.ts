// "Set API Keys", "Add Site" and "Clear API Keys": the Datadog API and
// application keys of a user allowed to manage mappings, per site, into
// SecretStorage. The keys are typed into password boxes, never echoed, never
// logged; messages show at most their last 4 characters.

import * as vscode from 'vscode';
import { secretKind } from '../../../server/src/service/common/identifiers';
import { DATADOG_SITES, findSite } from '../../../server/src/service/common/sites';
import { redact } from '../../../server/src/shared/redact';
import { inputStep, pickStep, runFlow } from './multiStep';
import { apiFor, siteApiUrl } from './config';
import { lastFour, type CredentialStore } from './secrets';

/** Arguments tests and other commands may pass; anything missing is asked for. */
export interface SetKeysArgs {
  site?: string;
  apiKey?: string;
  appKey?: string;
}

export type KeysResult = { ok: true; site: string } | { ok: false; message: string };

const HEX32 = /^[0-9a-fA-F]{32}$/;
const HEX40 = /^[0-9a-fA-F]{40}$/;

/** Judges a pasted API key: a swapped key is an error, an unusual shape only a warning (proxies, test servers). */
export function apiKeyProblem(value: string): vscode.InputBoxValidationMessage | undefined {
  const v = value.trim();
  if (!v) return { message: 'The API key is required (Organization Settings → API Keys).', severity: vscode.InputBoxValidationSeverity.Error };
  if (secretKind(v) === 'application key') return { message: 'This is 40 hex characters: an application key. Paste the API key (32 hex characters) here.', severity: vscode.InputBoxValidationSeverity.Error };
  if (!HEX32.test(v)) return { message: `Datadog API keys are 32 hexadecimal characters; this is ${v.length} characters. It will be used as typed.`, severity: vscode.InputBoxValidationSeverity.Warning };
  return undefined;
}

export function appKeyProblem(value: string, apiKey?: string): vscode.InputBoxValidationMessage | undefined {
  const v = value.trim();
  if (!v) return { message: 'The application key is required (Organization Settings → Application Keys).', severity: vscode.InputBoxValidationSeverity.Error };
  if (apiKey && v === apiKey.trim()) return { message: 'This is the API key again: paste the application key.', severity: vscode.InputBoxValidationSeverity.Error };
  if (secretKind(v) === 'API key') return { message: 'This is 32 hex characters: an API key. Paste the application key (40 hex characters) here.', severity: vscode.InputBoxValidationSeverity.Error };
  if (!HEX40.test(v)) return { message: `Datadog application keys are 40 hexadecimal characters; this is ${v.length} characters. It will be used as typed.`, severity: vscode.InputBoxValidationSeverity.Warning };
  return undefined;
}

const isError = (m: vscode.InputBoxValidationMessage | undefined) => m?.severity === vscode.InputBoxValidationSeverity.Error;

interface SiteItem extends vscode.QuickPickItem {
  site: string;
}

/** The known sites, those with credentials first and marked. */
async function siteItems(store: CredentialStore, onlyWithout: boolean): Promise<SiteItem[]> {
  const stored = new Set(store.sites());
  const items: SiteItem[] = [];
  for (const s of DATADOG_SITES) {
    if (onlyWithout && stored.has(s.site)) continue;
    items.push({ label: s.site, description: s.label, detail: stored.has(s.site) ? `Stored: ${await store.describe(s.site)}` : `API host ${s.apiHost}`, site: s.site });
  }
  return items.sort((a, b) => Number(stored.has(b.site)) - Number(stored.has(a.site)));
}

export async function setApiKeys(store: CredentialStore, output: vscode.LogOutputChannel, args: SetKeysArgs = {}, onlyNewSites = false): Promise<KeysResult | undefined> {
  const state = { site: args.site?.trim().toLowerCase(), apiKey: args.apiKey?.trim(), appKey: args.appKey?.trim() };
  if (state.site && !findSite(state.site)) {
    const message = `"${state.site}" is not a known Datadog site (known: ${DATADOG_SITES.map((s) => s.site).join(', ')}). To use another API host, set \`datadogWif.apiUrl\` in your user settings and store the keys for the site it belongs to.`;
    void vscode.window.showErrorMessage(message);
    return { ok: false, message };
  }
  // Keys belong to the base URL the settings send this site's requests to now: check there is one before asking for them.
  const noApi = (site: string): KeysResult | undefined => {
    const api = apiFor(site);
    if (api.ok) return undefined;
    const message = `No keys are stored for ${site}: ${redact(api.reason)}. Fix \`datadogWif.apiUrl\` in your user settings (or clear it to use https://api.${site}) first.`;
    void vscode.window.showErrorMessage(message);
    return { ok: false, message };
  };
  const refusedNow = state.site ? noApi(state.site) : undefined;
  if (refusedNow) return refusedNow;
  /** " (for http://127.0.0.1:PORT)": said when keys go to an API other than the site's own. */
  const forApi = (site: string | undefined) => {
    const baseUrl = site ? store.baseUrl(site) : undefined;
    return baseUrl && baseUrl !== siteApiUrl(site!) ? ` (for ${baseUrl}, from datadogWif.apiUrl)` : '';
  };
  const givenSite = !!state.site;
  const givenApiKey = !!state.apiKey && !isError(apiKeyProblem(state.apiKey));
  const givenAppKey = !!state.appKey && !isError(appKeyProblem(state.appKey, state.apiKey));
  const title = 'Datadog WIF: Set API Keys';
  const completed = await runFlow(title, state, [
    {
      when: () => !givenSite,
      run: async (s, position) => {
        const items = await siteItems(store, onlyNewSites);
        const picked = await pickStep({ ...position, items, placeholder: 'The Datadog site of the organization whose mappings you manage', activeItem: items.find((i) => i.site === s.site) });
        s.site = picked.site;
      },
    },
    {
      when: () => !givenApiKey,
      run: async (s, position) => {
        s.apiKey = (
          await inputStep({ ...position, value: s.apiKey ?? '', password: true, prompt: `Datadog API key for ${s.site}${forApi(s.site)} (Organization Settings → API Keys). Stored in VS Code's secret storage.`, placeholder: '32 hexadecimal characters', validate: apiKeyProblem })
        ).trim();
      },
    },
    {
      when: () => !givenAppKey,
      run: async (s, position) => {
        s.appKey = (
          await inputStep({
            ...position,
            value: s.appKey ?? '',
            password: true,
            prompt: `Datadog application key for ${s.site}, of a user with the Workload Identity Federation read/write permissions.`,
            placeholder: '40 hexadecimal characters',
            validate: (v) => appKeyProblem(v, s.apiKey),
          })
        ).trim();
      },
    },
  ]);
  if (!completed || !state.site || !state.apiKey || !state.appKey) return undefined;
  const refused = noApi(state.site);
  if (refused) return refused;
  const baseUrl = store.baseUrl(state.site);
  await store.setKeys(state.site, { apiKey: state.apiKey, appKey: state.appKey }, baseUrl);
  output.info(`Stored the API key ${lastFour(state.apiKey)} and application key ${lastFour(state.appKey)} for ${state.site}, to be sent to ${baseUrl} only.`);
  void vscode.window.showInformationMessage(`Datadog WIF: stored the API key ${lastFour(state.apiKey)} and application key ${lastFour(state.appKey)} for ${state.site}${forApi(state.site)} in VS Code's secret storage.`);
  return { ok: true, site: state.site };
}

export interface ClearKeysArgs {
  site?: string;
  /** Skip the confirmation (tests). */
  confirm?: boolean;
}

export async function clearApiKeys(store: CredentialStore, output: vscode.LogOutputChannel, args: ClearKeysArgs = {}): Promise<KeysResult | undefined> {
  let site = args.site?.trim().toLowerCase();
  const sites = store.sites();
  if (!site) {
    if (sites.length === 0) {
      void vscode.window.showInformationMessage('Datadog WIF: no API keys or login tokens are stored.');
      return { ok: false, message: 'No credentials are stored.' };
    }
    const items: SiteItem[] = await Promise.all(sites.map(async (s) => ({ label: s, description: await store.describe(s), site: s })));
    const picked = sites.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Datadog WIF: Clear API Keys', placeHolder: 'Forget the credentials stored for which site?' });
    if (!picked) return undefined;
    site = picked.site;
  }
  if (!sites.includes(site)) {
    const message = `No API keys or login token are stored for ${site}.`;
    void vscode.window.showInformationMessage(`Datadog WIF: ${message}`);
    return { ok: false, message };
  }
  if (!args.confirm) {
    const answer = await vscode.window.showWarningMessage(
      `Forget the Datadog credentials stored for ${site}?`,
      { modal: true, detail: `${await store.describe(site)}. The keys stay valid in Datadog; VS Code just stops using them.` },
      'Forget',
    );
    if (answer !== 'Forget') return undefined;
  }
  const { hadKeys, hadToken } = await store.clear(site);
  const what = [hadKeys ? 'API and application keys' : '', hadToken ? 'login token' : ''].filter(Boolean).join(' and ');
  output.info(`Cleared the ${what || 'credentials'} stored for ${site}.`);
  void vscode.window.showInformationMessage(`Datadog WIF: forgot the ${what || 'credentials'} stored for ${site}.`);
  return { ok: true, site };
}
