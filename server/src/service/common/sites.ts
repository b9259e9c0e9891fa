// Datadog sites and their API hosts (PROTOCOL.md §5).

export interface DatadogSite {
  site: string;
  label: string;
  apiHost: string;
  /** Whether the Agent flow (intake-key exchange) is offered there. */
  agentFlow: 'yes' | 'no' | 'not documented';
}

export const DATADOG_SITES: readonly DatadogSite[] = [
  { site: 'datadoghq.com', label: 'US1', apiHost: 'api.datadoghq.com', agentFlow: 'yes' },
  { site: 'us3.datadoghq.com', label: 'US3', apiHost: 'api.us3.datadoghq.com', agentFlow: 'yes' },
  { site: 'us5.datadoghq.com', label: 'US5', apiHost: 'api.us5.datadoghq.com', agentFlow: 'yes' },
  { site: 'datadoghq.eu', label: 'EU1', apiHost: 'api.datadoghq.eu', agentFlow: 'yes' },
  { site: 'ap1.datadoghq.com', label: 'AP1', apiHost: 'api.ap1.datadoghq.com', agentFlow: 'yes' },
  { site: 'ap2.datadoghq.com', label: 'AP2', apiHost: 'api.ap2.datadoghq.com', agentFlow: 'yes' },
  { site: 'uk1.datadoghq.com', label: 'UK1', apiHost: 'api.uk1.datadoghq.com', agentFlow: 'not documented' },
  { site: 'ddog-gov.com', label: 'US1-FED', apiHost: 'api.ddog-gov.com', agentFlow: 'no' },
  { site: 'us2.ddog-gov.com', label: 'US2-FED', apiHost: 'api.us2.ddog-gov.com', agentFlow: 'no' },
];

export const SITE_NAMES: readonly string[] = DATADOG_SITES.map((s) => s.site);

/** The site a file or a host means when it names none (the Agent's and the provider's default). */
export const DEFAULT_SITE = 'datadoghq.com';

/** A site as compared: trimmed, lower case, without a trailing dot. */
export function normalizeSite(site: string): string {
  return site.trim().toLowerCase().replace(/\.$/, '');
}

export function findSite(site: string): DatadogSite | undefined {
  const s = site.trim().toLowerCase();
  return DATADOG_SITES.find((d) => d.site === s);
}

/**
 * The site a host belongs to: `api.us3.datadoghq.com`, an Agent intake host
 * such as `trace.agent.us3.datadoghq.com`, or an `app.` host all map to the
 * same site. Undefined for any other host.
 */
export function siteOfHost(host: string): DatadogSite | undefined {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  // Longest site first, so `us3.datadoghq.com` wins over `datadoghq.com`.
  const bySpecificity = [...DATADOG_SITES].sort((a, b) => b.site.length - a.site.length);
  for (const s of bySpecificity) {
    if (h === s.site) return s;
    if (h.endsWith(`.${s.site}`)) {
      const prefix = h.slice(0, -s.site.length - 1);
      // A bare `x.datadoghq.com` whose prefix names another region is not US1.
      if (s.site === 'datadoghq.com' && /^(?:.*\.)?(us\d|ap\d|uk\d)$/.test(prefix)) continue;
      if (s.site === 'ddog-gov.com' && /^(?:.*\.)?us\d$/.test(prefix)) continue;
      return s;
    }
  }
  return undefined;
}

export function isGovSite(site: string): boolean {
  return findSite(site)?.agentFlow === 'no';
}
