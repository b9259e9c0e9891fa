// What the live checks (`datadogWif.live`) hand the language server: the
// mappings of each site with stored credentials, listed with the mapping
// features' own service, as `datadogWif/orgMappings`. No vscode here (live.ts
// wires it), so its behaviour is tested in plain Node: a failed list keeps
// the last one, off sends an empty list, nothing is sent twice, a server that
// (re)starts gets the lists again, and refreshes asked for while one runs
// are one more run, not a queue. Only mappings travel: kind, id, pattern,
// account; never a key or a token.

import { MAPPING_KINDS, toOrgMapping, type Mapping, type MappingKind } from '../../../server/src/cloud/mappingTypes';
import type { OrgMappingsParams } from '../../../server/src/lsp/protocol';
import type { OrgMapping, OrgMappingsSnapshot } from '../../../server/src/service/orgSync/types';
import { redact } from '../../../server/src/shared/redact';
import { displayText } from '../../../server/src/shared/terminalText';

export interface LiveFeedDeps {
  /** `datadogWif.live` is on and the workspace is trusted. */
  enabled(): boolean;
  /** The sites with stored credentials. */
  sites(): string[];
  /** A site's mappings of a kind (the view's cache answers when it has them); throws when they cannot be listed. */
  list(site: string, kind: MappingKind): Promise<Mapping[]>;
  /** Sends to the running language server; false when none runs (what it missed goes when it starts). */
  send(params: OrgMappingsParams): Promise<boolean>;
  log: { info(message: string): void; warn(message: string): void };
}


export class LiveFeed {
  /** Per site, the last list of each kind that came through. */
  private readonly lists = new Map<string, Partial<Record<MappingKind, OrgMapping[]>>>();
  /** `site kind` pairs whose last listing failed: their failure is logged once, not on every refresh. */
  private readonly failing = new Set<string>();
  /** What the server was sent last (JSON); undefined: nothing yet, or a new server. */
  private lastSent: string | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly deps: LiveFeedDeps) {}

  /** Lists again and sends what changed. One run at a time: asked during a run, it runs once more after it. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.run();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** A language server started (or restarted): it knows nothing of the org yet. */
  serverStarted(): Promise<void> {
    this.lastSent = undefined;
    return this.refresh();
  }

  private async run(): Promise<void> {
    if (!this.deps.enabled()) {
      this.lists.clear();
      this.failing.clear();
      await this.push({ sites: [] });
      return;
    }
    const sites = new Set(this.deps.sites());
    // Credentials cleared: that org is no longer ours to check against.
    for (const site of [...this.lists.keys()]) if (!sites.has(site)) this.lists.delete(site);
    await Promise.all(
      [...sites].flatMap((site) =>
        MAPPING_KINDS.map(async (kind) => {
          const key = `${site} ${kind}`;
          try {
            const mappings = await this.deps.list(site, kind);
            const entry = this.lists.get(site) ?? {};
            entry[kind] = mappings.map(toOrgMapping);
            this.lists.set(site, entry);
            this.failing.delete(key);
          } catch (err) {
            if (this.failing.has(key)) return;
            this.failing.add(key);
            const why = displayText(err instanceof Error ? err.message : String(err));
            this.deps.log.warn(redact(`Live checks: listing the ${kind} mappings of ${site} failed (${why}); ${this.lists.get(site)?.[kind] ? 'the last list is kept' : 'they are not checked'} until a list succeeds.`));
          }
        }),
      ),
    );
    // Turned off while listing: what was listed is not sent.
    if (!this.deps.enabled()) return this.run();
    await this.push({ sites: this.snapshots() });
  }

  private snapshots(): OrgMappingsSnapshot[] {
    return [...this.lists]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([site, kinds]) => ({ site, mappings: MAPPING_KINDS.flatMap((k) => kinds[k] ?? []) }));
  }

  private async push(params: OrgMappingsParams): Promise<void> {
    const json = JSON.stringify(params);
    if (json === this.lastSent) return;
    let sent = false;
    try {
      sent = await this.deps.send(params);
    } catch (err) {
      this.deps.log.warn(redact(`Live checks: sending the mappings to the language server failed: ${displayText(err instanceof Error ? err.message : String(err))}`));
    }
    if (!sent) return;
    this.lastSent = json;
    const count = params.sites.reduce((n, s) => n + s.mappings.length, 0);
    this.deps.log.info(params.sites.length ? `Live checks: ${count} mapping${count === 1 ? '' : 's'} of ${params.sites.map((s) => s.site).join(', ')} sent to the language server.` : 'Live checks: off (an empty list sent to the language server).');
  }
}
