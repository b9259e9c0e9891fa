// Learns which org the user's stored Datadog credentials belong to (GET
// /api/v2/current_user through the cloud core) so that the language server
// can offer the org UUID quick fix and the org_uuid hover. Per site with
// stored keys (or an unexpired Test Login token, kept by the mapping
// features; this module keeps no token), at the base URL the user's settings
// send that site's credentials to, and only in a trusted workspace: no
// credentials or no trust, no request.
//
// Learnt when the cloud commands load, when a site's credentials change (a
// Test Login's token included), when Refresh runs, when the API settings
// change and when trust is granted. Cached in memory and globalState
// (cache.ts: site, base URL, org UUID, name, when; never a secret). Offline-
// safe: a failed call keeps what was known and logs one redacted line (more
// only at debug level until a call succeeds again); no popup.

import * as vscode from 'vscode';
import { currentOrg, type CurrentOrg, type CurrentUserOptions } from '../../../server/src/cloud/currentUser';
import { redactKnown } from '../../../server/src/shared/redact';
import { displayText } from '../../../server/src/shared/terminalText';
import type { SiteCredentials } from '../mappings/secrets';
import { ORG_FACTS_KEY, orgFactsOf, readOrgCache, type CachedOrg } from './cache';
import type { OrgFacts } from '../../../server/src/service/orgSync/types';

/** What the learner needs of the credential store (CredentialStore). */
export interface OrgCredentialSource {
  sites(): string[];
  baseUrl(site: string): string | undefined;
  credentials(site: string): Promise<SiteCredentials | undefined>;
}

export interface OrgLearnerDeps {
  state: vscode.Memento;
  store: OrgCredentialSource;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'debug'>;
  /** The user-level allow-list and timeout (mappingSettings). */
  settings: () => { allowedHosts: readonly string[]; timeoutMs: number };
  isTrusted: () => boolean;
  /** The cloud core's reader (tests inject a double). */
  fetchOrg?: (options: CurrentUserOptions) => Promise<CurrentOrg>;
  now?: () => number;
}

export class OrgFactsLearner implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the orgs to send to the server changed. */
  readonly onDidChange = this.changed.event;
  private cache: CachedOrg[];
  /** Per site, the learning in progress: each call waits for the one before (credentials may change meanwhile). */
  private readonly queue = new Map<string, Promise<void>>();
  /** Sites whose last call failed and was logged: the next failures go to debug until one succeeds. */
  private readonly failing = new Set<string>();

  constructor(private readonly deps: OrgLearnerDeps) {
    this.cache = readOrgCache(deps.state);
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** The orgs of the sites with stored credentials, at the base URL each is used at now: what the server gets. */
  facts(): OrgFacts[] {
    return orgFactsOf(this.current(this.cache));
  }

  /** Only these are kept: the language client sends globalState's list as it is (cache.ts). */
  private current(cache: readonly CachedOrg[]): CachedOrg[] {
    const sites = new Set(this.deps.store.sites());
    return cache.filter((c) => sites.has(c.site) && this.deps.store.baseUrl(c.site) === c.baseUrl);
  }

  /** Learns the org of `site` (default: every site with stored credentials). Resolves when done; never rejects. */
  async refresh(site?: string): Promise<void> {
    const sites = site !== undefined ? [site.trim().toLowerCase()] : this.deps.store.sites();
    // A site whose credentials were cleared, or whose base URL changed, is not known any more.
    try {
      await this.save(this.cache);
    } catch (err) {
      this.deps.log.debug(displayText(`Org facts: ${err instanceof Error ? err.message : String(err)}`));
    }
    if (!this.deps.isTrusted()) return;
    await Promise.all(sites.map((s) => this.enqueue(s)));
  }

  private enqueue(site: string): Promise<void> {
    // A failure (the global state refusing an update) is logged and ends this turn only: the queue goes on.
    const next = (this.queue.get(site) ?? Promise.resolve()).then(() => this.learn(site)).catch((err: unknown) => this.deps.log.debug(displayText(`Org of ${site}: ${err instanceof Error ? err.message : String(err)}`)));
    this.queue.set(site, next);
    void next.then(() => {
      if (this.queue.get(site) === next) this.queue.delete(site);
    });
    return next;
  }

  private async learn(site: string): Promise<void> {
    const baseUrl = this.deps.store.baseUrl(site);
    let credentials: SiteCredentials | undefined;
    try {
      credentials = baseUrl ? await this.deps.store.credentials(site) : undefined;
    } catch (err) {
      this.deps.log.debug(displayText(`Org of ${site}: the credentials could not be read: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    if (!baseUrl || !credentials) {
      // No credentials for it now: nothing to ask with, and nothing known.
      await this.save(this.cache.filter((c) => c.site !== site));
      return;
    }
    const settings = this.deps.settings();
    const auth = credentials.kind === 'keys' ? { kind: 'keys' as const, apiKey: credentials.apiKey, appKey: credentials.appKey } : { kind: 'bearer' as const, token: credentials.token };
    const secrets = auth.kind === 'keys' ? [auth.apiKey, auth.appKey] : [auth.token];
    let org: CurrentOrg;
    try {
      org = await (this.deps.fetchOrg ?? currentOrg)({ baseUrl, auth, allowedHosts: settings.allowedHosts, timeoutMs: settings.timeoutMs });
    } catch (err) {
      const message = redactKnown(err instanceof Error ? err.message : String(err), secrets);
      const line = displayText(`Could not read the org of the ${site} credentials (what was known is kept): ${message}`);
      if (this.failing.has(site)) this.deps.log.debug(line);
      else {
        this.failing.add(site);
        this.deps.log.warn(line);
      }
      return;
    }
    const entry: CachedOrg = { site, baseUrl, orgUuid: org.orgUuid, ...(org.orgName !== undefined ? { orgName: org.orgName } : {}), source: credentials.kind === 'keys' ? 'keys' : 'token', when: (this.deps.now ?? Date.now)() };
    if (this.failing.delete(site)) this.deps.log.info(`Org of ${site}: reachable again.`);
    this.deps.log.info(displayText(`Org of ${site} (${entry.source === 'keys' ? 'API keys' : 'Test Login token'}): ${entry.orgUuid}${entry.orgName ? ` '${entry.orgName}'` : ''}.`));
    await this.save([...this.cache.filter((c) => c.site !== site), entry]);
  }

  private async save(next: CachedOrg[]): Promise<void> {
    const kept = this.current(next);
    if (JSON.stringify(kept) === JSON.stringify(this.cache)) return;
    const before = JSON.stringify(orgFactsOf(this.cache));
    this.cache = kept;
    await this.deps.state.update(ORG_FACTS_KEY, kept);
    if (JSON.stringify(orgFactsOf(kept)) !== before) this.changed.fire();
  }
}
