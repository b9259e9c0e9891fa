// What a delegated-auth value is worth, apart from where it is written: one
// judgment each for `org_uuid`, `provider`, `aws.region`,
// `refresh_interval_mins` and `site`, used by the datadog.yaml rules
// (agent/rules/) and by the rules on environment variables
// (agentEnv/rules.ts), which word their messages for their own form.

import { AWS_REGIONS, OTHER_PARTITION_REGIONS, isKnownRegion, isWellFormedRegion } from '../common/awsRegions';
import { isSecretHandle, isShellReference, isUuid, secretKind } from '../common/identifiers';
import { SITE_NAMES, findSite, isGovSite, siteOfHost } from '../common/sites';
import { closest } from '../common/strings';

export type OrgUuidVerdict =
  | { kind: 'empty' }
  /** `ENC[…]`, resolved by the Agent's secrets backend: not judged. */
  | { kind: 'secret-handle' }
  | { kind: 'pasted-secret'; secret: 'API key' | 'application key' }
  | { kind: 'shell-reference' }
  | { kind: 'not-a-uuid' }
  | { kind: 'ok' };

export function judgeOrgUuid(text: string): OrgUuidVerdict {
  if (!/\S/.test(text)) return { kind: 'empty' };
  if (isSecretHandle(text)) return { kind: 'secret-handle' };
  const secret = secretKind(text.trim());
  if (secret) return { kind: 'pasted-secret', secret };
  if (isShellReference(text)) return { kind: 'shell-reference' };
  return isUuid(text) ? { kind: 'ok' } : { kind: 'not-a-uuid' };
}

/** `provider` is fine when empty (auto-detect) or `aws`. */
export function isValidProvider(text: string): boolean {
  return text === '' || text === 'aws';
}

export type RegionVerdict =
  | { kind: 'ok' }
  | { kind: 'other-partition' }
  | { kind: 'malformed'; suggestion?: string }
  | { kind: 'unknown'; suggestion?: string };

export function judgeRegion(region: string): RegionVerdict {
  if (region === '' || isKnownRegion(region)) return { kind: 'ok' };
  const suggestion = closest(region.toLowerCase(), AWS_REGIONS, 4);
  if (OTHER_PARTITION_REGIONS.includes(region)) return { kind: 'other-partition' };
  if (!isWellFormedRegion(region)) return { kind: 'malformed', suggestion };
  return { kind: 'unknown', suggestion };
}

export type RefreshVerdict = { kind: 'ok' } | { kind: 'not-integer' } | { kind: 'not-positive'; minutes: number };

/** A number as YAML read it, or the text of a string (an environment variable's value is always one). */
export function judgeRefreshInterval(raw: unknown): RefreshVerdict {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*[-+]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n)) return { kind: 'not-integer' };
  if (n <= 0) return { kind: 'not-positive', minutes: n };
  return { kind: 'ok' };
}

export type SiteVerdict =
  | { kind: 'ok' }
  | { kind: 'gov' }
  /** A host or URL of a known site (`app.datadoghq.eu`): `site` is its name. */
  | { kind: 'host'; site: string }
  | { kind: 'shell-reference' }
  | { kind: 'unknown'; suggestion?: string };

/** `value` trimmed and non-empty. */
export function judgeSite(value: string): SiteVerdict {
  if (findSite(value)) return isGovSite(value) ? { kind: 'gov' } : { kind: 'ok' };
  // `app.datadoghq.eu`, `https://api.us3.datadoghq.com`: a host of a known site.
  const host = value.replace(/^[a-z]+:\/\//i, '').replace(/[/:].*$/, '');
  const ofHost = siteOfHost(host);
  if (ofHost) return { kind: 'host', site: ofHost.site };
  if (isShellReference(value)) return { kind: 'shell-reference' };
  return { kind: 'unknown', suggestion: closest(value.toLowerCase(), SITE_NAMES, 4) };
}

/** The replacement a site verdict suggests, if any. */
export function siteSuggestion(v: SiteVerdict): string | undefined {
  return v.kind === 'host' ? v.site : v.kind === 'unknown' ? v.suggestion : undefined;
}
