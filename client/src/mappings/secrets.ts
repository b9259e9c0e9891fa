// Datadog credentials per site, kept in VS Code's SecretStorage (the OS
// keychain), never in settings or logs. Two kinds: an API + application key
// pair the user typed, or the short-lived bearer token a Terraform-flow login
// returned. The site names themselves are not secret: SecretStorage cannot be
// enumerated (VS Code 1.82), so the list of sites lives in globalState.

import * as vscode from 'vscode';

export interface ApiKeys {
  apiKey: string;
  appKey: string;
}

export interface LoginToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** What authenticates the mapping API for one site. Keys win over a token (they do not expire). */
export type SiteCredentials =
  | ({ kind: 'keys' } & ApiKeys)
  | ({ kind: 'bearer' } & LoginToken);

const SITES_KEY = 'datadogWif.credentialSites';
const keysSecret = (site: string) => `datadogWif.apiKeys/${site}`;
const tokenSecret = (site: string) => `datadogWif.loginToken/${site}`;
/** A token this close to expiry is not worth a request that would fail midway. */
const EXPIRY_MARGIN_MS = 30_000;

/** `…abcd`: the most of a secret anything may show. */
export function lastFour(secret: string): string {
  return secret.length <= 4 ? '…' : `…${secret.slice(-4)}`;
}

function normalSite(site: string): string {
  return site.trim().toLowerCase();
}

/**
 * An expiry as the exchange reports it: a Date, epoch seconds or milliseconds,
 * a numeric string or an ISO date (PROTOCOL.md §2 [drift]). Undefined when
 * unreadable.
 */
export function expiryMillis(expiresAt: Date | number | string | undefined): number | undefined {
  if (expiresAt === undefined) return undefined;
  if (expiresAt instanceof Date) return Number.isNaN(expiresAt.getTime()) ? undefined : expiresAt.getTime();
  if (typeof expiresAt === 'string' && expiresAt.trim() !== '' && !/^\d+(\.\d+)?$/.test(expiresAt.trim())) {
    const t = Date.parse(expiresAt);
    return Number.isNaN(t) ? undefined : t;
  }
  const n = Number(expiresAt);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  // Anything below 10^12 is seconds: 10^12 ms is 2001, 10^12 s is year 33658.
  return n < 1e12 ? n * 1000 : n;
}

function parse<T>(raw: string | undefined, valid: (v: any) => boolean): T | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw);
    return valid(v) ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

/** The credential store of one extension context. */
export class CredentialStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with the site whose credentials changed (also when another window changed them). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.subscription = context.secrets.onDidChange((e) => {
      const m = /^datadogWif\.(?:apiKeys|loginToken)\/(.+)$/.exec(e.key);
      if (m) this.changed.fire(m[1]);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** Sites with stored keys or a token, in the order they were added. */
  sites(): string[] {
    return [...(this.context.globalState.get<string[]>(SITES_KEY) ?? [])];
  }

  private async rememberSite(site: string): Promise<void> {
    const sites = this.sites();
    if (!sites.includes(site)) await this.context.globalState.update(SITES_KEY, [...sites, site]);
  }

  private async forgetSiteIfEmpty(site: string): Promise<void> {
    const [keys, token] = await Promise.all([this.context.secrets.get(keysSecret(site)), this.context.secrets.get(tokenSecret(site))]);
    if (keys || token) return;
    await this.context.globalState.update(SITES_KEY, this.sites().filter((s) => s !== site));
  }

  async setKeys(site: string, keys: ApiKeys): Promise<void> {
    const s = normalSite(site);
    await this.context.secrets.store(keysSecret(s), JSON.stringify({ apiKey: keys.apiKey.trim(), appKey: keys.appKey.trim() }));
    await this.rememberSite(s);
    this.changed.fire(s);
  }

  async keys(site: string): Promise<ApiKeys | undefined> {
    return parse<ApiKeys>(await this.context.secrets.get(keysSecret(normalSite(site))), (v) => typeof v?.apiKey === 'string' && typeof v?.appKey === 'string' && v.apiKey && v.appKey);
  }

  async setToken(site: string, token: string, expiresAt: Date | number | string | undefined): Promise<void> {
    const s = normalSite(site);
    // PROTOCOL.md §2: when the exchange gives no expiry, assume 15 minutes.
    const expires = expiryMillis(expiresAt) ?? Date.now() + 15 * 60_000;
    await this.context.secrets.store(tokenSecret(s), JSON.stringify({ token, expiresAt: expires }));
    await this.rememberSite(s);
    this.changed.fire(s);
  }

  /** The stored login token, expired or not (see `credentials` for the usable one). */
  async token(site: string): Promise<LoginToken | undefined> {
    return parse<LoginToken>(await this.context.secrets.get(tokenSecret(normalSite(site))), (v) => typeof v?.token === 'string' && v.token && typeof v?.expiresAt === 'number');
  }

  /** What to authenticate with for `site`: the keys, else an unexpired token, else undefined. */
  async credentials(site: string, now = Date.now()): Promise<SiteCredentials | undefined> {
    const keys = await this.keys(site);
    if (keys) return { kind: 'keys', ...keys };
    const token = await this.token(site);
    if (token && token.expiresAt - EXPIRY_MARGIN_MS > now) return { kind: 'bearer', ...token };
    return undefined;
  }

  /** Removes the keys and the login token of `site`. */
  async clear(site: string): Promise<{ hadKeys: boolean; hadToken: boolean }> {
    const s = normalSite(site);
    const [hadKeys, hadToken] = [!!(await this.keys(s)), !!(await this.token(s))];
    await this.context.secrets.delete(keysSecret(s));
    await this.context.secrets.delete(tokenSecret(s));
    await this.forgetSiteIfEmpty(s);
    this.changed.fire(s);
    return { hadKeys, hadToken };
  }

  /**
   * One line about a site's credentials, for the tree and pickers: never more
   * than the last 4 characters. `short` for the tree's narrow description.
   */
  async describe(site: string, options: { short?: boolean; now?: number } = {}): Promise<string> {
    const now = options.now ?? Date.now();
    const keys = await this.keys(site);
    if (keys) return options.short ? `API key ${lastFour(keys.apiKey)}` : `API key ${lastFour(keys.apiKey)}, application key ${lastFour(keys.appKey)}`;
    const token = await this.token(site);
    if (!token) return 'no credentials';
    if (token.expiresAt - EXPIRY_MARGIN_MS <= now) return 'login token expired';
    const minutes = Math.round((token.expiresAt - now) / 60_000);
    const left = minutes < 1 ? 'less than a minute' : `${minutes} min`;
    return options.short ? `login token, ${left} left` : `login token ${lastFour(token.token)} (Test Login), expires in ${left}`;
  }
}

let sharedStore: CredentialStore | undefined;

/** The store of this extension; created once by `registerMappingFeatures`, lazily otherwise. */
export function credentialStore(context: vscode.ExtensionContext): CredentialStore {
  if (!sharedStore) {
    sharedStore = new CredentialStore(context);
    context.subscriptions.push(sharedStore, { dispose: () => (sharedStore = undefined) });
  }
  return sharedStore;
}

/**
 * Keeps the bearer token of a Terraform-flow login (Test Login) so the mapping
 * commands can use it for `site` until it expires. API keys, when stored too,
 * are still preferred.
 */
export async function storeLoginToken(context: vscode.ExtensionContext, site: string, token: string, expiresAt: Date | number | string | undefined): Promise<void> {
  if (!token) return;
  await credentialStore(context).setToken(site, token, expiresAt);
}
