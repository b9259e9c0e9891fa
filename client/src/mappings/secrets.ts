// Datadog credentials per site and API base URL, kept in VS Code's
// SecretStorage (the OS keychain), never in settings or logs. Two kinds: an
// API + application key pair the user typed, or the short-lived bearer token
// a Terraform-flow login returned. Each is bound to the base URL it is for
// (https://api.<site>, the origin `datadogWif.apiUrl` named when the keys were
// set, or the one a login's proof went to) and only ever used there: keys
// typed for production never go to a proxy or test server the setting names
// later, nor a test server's keys to production. The (site, base URL) pairs
// are not secret: SecretStorage cannot be enumerated (VS Code 1.82), so they
// live in globalState.

import * as vscode from 'vscode';
import { apiFor } from './config';
import { ENTRIES_KEY, credentialEntries, type CredentialEntry as Entry } from './credentialEntries';

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

const keysSecret = (site: string, baseUrl: string) => `datadogWif.apiKeys/${site}/${baseUrl}`;
const tokenSecret = (site: string, baseUrl: string) => `datadogWif.loginToken/${site}/${baseUrl}`;
/** Before credentials were bound to a base URL (per site only): never used, removed by Clear. */
const unboundSecrets = (site: string) => [`datadogWif.apiKeys/${site}`, `datadogWif.loginToken/${site}`];
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

/** The base URL the user's settings give `site` now (undefined: a refused `datadogWif.apiUrl`). */
function currentBaseUrl(site: string): string | undefined {
  const d = apiFor(site);
  return d.ok ? d.baseUrl : undefined;
}

/** The credential store of one extension context. */
export class CredentialStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with the site whose credentials changed (also when another window changed them). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly baseUrlOf: (site: string) => string | undefined = currentBaseUrl,
  ) {
    this.subscription = context.secrets.onDidChange((e) => {
      const m = /^datadogWif\.(?:apiKeys|loginToken)\/([^/]+)/.exec(e.key);
      if (m) this.changed.fire(m[1]);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /**
   * The base URL the user's settings send `site`'s credentials to now, and so
   * the one whose credentials are used; undefined when the settings name none
   * the host policy accepts.
   */
  baseUrl(site: string): string | undefined {
    return this.baseUrlOf(normalSite(site));
  }

  private entries(): Entry[] {
    return credentialEntries(this.context.globalState);
  }

  /** Sites with stored keys or a token (for any base URL), in the order they were added. */
  sites(): string[] {
    return [...new Set(this.entries().map((e) => e.site))];
  }

  /** The base URLs `site` has stored credentials for. */
  baseUrls(site: string): string[] {
    const s = normalSite(site);
    return this.entries().filter((e) => e.site === s).map((e) => e.baseUrl);
  }

  private async remember(site: string, baseUrl: string): Promise<void> {
    const entries = this.entries();
    if (!entries.some((e) => e.site === site && e.baseUrl === baseUrl)) await this.context.globalState.update(ENTRIES_KEY, [...entries, { site, baseUrl }]);
  }

  private async forgetIfEmpty(site: string, baseUrl: string): Promise<void> {
    const [keys, token] = await Promise.all([this.context.secrets.get(keysSecret(site, baseUrl)), this.context.secrets.get(tokenSecret(site, baseUrl))]);
    if (keys || token) return;
    await this.context.globalState.update(ENTRIES_KEY, this.entries().filter((e) => !(e.site === site && e.baseUrl === baseUrl)));
  }

  /** Keys for `site`, bound to `baseUrl` (default: where the settings send `site`'s requests now). */
  async setKeys(site: string, keys: ApiKeys, baseUrl = this.baseUrl(site)): Promise<void> {
    const s = normalSite(site);
    const b = requireBaseUrl(s, baseUrl);
    await this.context.secrets.store(keysSecret(s, b), JSON.stringify({ apiKey: keys.apiKey.trim(), appKey: keys.appKey.trim() }));
    await this.remember(s, b);
    this.changed.fire(s);
  }

  async keys(site: string, baseUrl = this.baseUrl(site)): Promise<ApiKeys | undefined> {
    if (!baseUrl) return undefined;
    return parse<ApiKeys>(await this.context.secrets.get(keysSecret(normalSite(site), baseUrl)), (v) => typeof v?.apiKey === 'string' && typeof v?.appKey === 'string' && v.apiKey && v.appKey);
  }

  /** A login token for `site`, bound to `baseUrl`: the one its proof went to (default: where the settings send `site`'s requests now). */
  async setToken(site: string, token: string, expiresAt: Date | number | string | undefined, baseUrl = this.baseUrl(site)): Promise<void> {
    const s = normalSite(site);
    const b = requireBaseUrl(s, baseUrl);
    // PROTOCOL.md §2: when the exchange gives no expiry, assume 15 minutes.
    const expires = expiryMillis(expiresAt) ?? Date.now() + 15 * 60_000;
    await this.context.secrets.store(tokenSecret(s, b), JSON.stringify({ token, expiresAt: expires }));
    await this.remember(s, b);
    this.changed.fire(s);
  }

  /** The stored login token, expired or not (see `credentials` for the usable one). */
  async token(site: string, baseUrl = this.baseUrl(site)): Promise<LoginToken | undefined> {
    if (!baseUrl) return undefined;
    return parse<LoginToken>(await this.context.secrets.get(tokenSecret(normalSite(site), baseUrl)), (v) => typeof v?.token === 'string' && v.token && typeof v?.expiresAt === 'number');
  }

  /**
   * What to authenticate with for `site` at `baseUrl` (default: where the
   * settings send `site`'s requests now): the keys, else an unexpired token,
   * else undefined. Only what is stored for that very base URL.
   */
  async credentials(site: string, now = Date.now(), baseUrl = this.baseUrl(site)): Promise<SiteCredentials | undefined> {
    if (!baseUrl) return undefined;
    const keys = await this.keys(site, baseUrl);
    if (keys) return { kind: 'keys', ...keys };
    const token = await this.token(site, baseUrl);
    if (!token) return undefined;
    if (token.expiresAt - EXPIRY_MARGIN_MS > now) return { kind: 'bearer', ...token };
    // Of no use any more: out of the keychain rather than kept there (unless a new login replaced it meanwhile).
    const s = normalSite(site);
    if ((await this.token(s, baseUrl))?.token !== token.token) return undefined;
    await this.context.secrets.delete(tokenSecret(s, baseUrl));
    await this.forgetIfEmpty(s, baseUrl);
    this.changed.fire(s);
    return undefined;
  }

  /** Removes the keys and the login tokens of `site`, for every base URL. */
  async clear(site: string): Promise<{ hadKeys: boolean; hadToken: boolean }> {
    const s = normalSite(site);
    let hadKeys = false;
    let hadToken = false;
    for (const baseUrl of this.baseUrls(s)) {
      hadKeys ||= !!(await this.keys(s, baseUrl));
      hadToken ||= !!(await this.token(s, baseUrl));
      await this.context.secrets.delete(keysSecret(s, baseUrl));
      await this.context.secrets.delete(tokenSecret(s, baseUrl));
    }
    for (const name of unboundSecrets(s)) await this.context.secrets.delete(name);
    await this.context.globalState.update(ENTRIES_KEY, this.entries().filter((e) => e.site !== s));
    this.changed.fire(s);
    return { hadKeys, hadToken };
  }

  /**
   * One line about a site's credentials at `baseUrl` (default: where the
   * settings send its requests now), for the tree and pickers: never more
   * than the last 4 characters. `short` for the tree's narrow description.
   */
  async describe(site: string, options: { short?: boolean; now?: number; baseUrl?: string } = {}): Promise<string> {
    const now = options.now ?? Date.now();
    const baseUrl = options.baseUrl ?? this.baseUrl(site);
    const keys = await this.keys(site, baseUrl);
    if (keys) return options.short ? `API key ${lastFour(keys.apiKey)}` : `API key ${lastFour(keys.apiKey)}, application key ${lastFour(keys.appKey)}`;
    const token = await this.token(site, baseUrl);
    if (!token) {
      const elsewhere = this.baseUrls(site).filter((b) => b !== baseUrl);
      return options.short || !elsewhere.length ? 'no credentials' : `no credentials for ${baseUrl ?? 'this API'} (only for ${elsewhere.join(', ')})`;
    }
    if (token.expiresAt - EXPIRY_MARGIN_MS <= now) return 'login token expired';
    const minutes = Math.round((token.expiresAt - now) / 60_000);
    const left = minutes < 1 ? 'less than a minute' : `${minutes} min`;
    return options.short ? `login token, ${left} left` : `login token ${lastFour(token.token)} (Test Login), expires in ${left}`;
  }
}

function requireBaseUrl(site: string, baseUrl: string | undefined): string {
  if (!baseUrl) throw new Error(`No API base URL for ${site} to keep credentials for: \`datadogWif.apiUrl\` in your user settings names a host that is refused.`);
  return baseUrl;
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
 * commands can use it for `site` at `baseUrl` (where the login's proof went)
 * until it expires. API keys, when stored too, are still preferred.
 */
export async function storeLoginToken(context: vscode.ExtensionContext, site: string, baseUrl: string, token: string, expiresAt: Date | number | string | undefined): Promise<void> {
  if (!token || !baseUrl) return;
  await credentialStore(context).setToken(site, token, expiresAt, baseUrl);
}
