// The host policy (PROTOCOL.md §5): which hosts may receive a proof or a
// Datadog key. A proof is a bearer credential for about 15 minutes, so it goes
// only to `https://api.<site>` of a known Datadog site, or to a host the USER
// allowed (the user-level setting `datadogWif.allowedApiHosts` or the CLI's
// `--allow-host`). A host read from a workspace file is never trusted on its
// own: the caller passes only user-level values as `allowedHosts`.
//
// Node only; never imports `vscode`.

import { DATADOG_SITES, SITE_NAMES, findSite, siteOfHost } from '../service/common/sites';
import { displayUrl } from '../shared/redact';

export type BaseUrlDecision =
  | { ok: true; /** No trailing slash. */ baseUrl: string; site?: string; /** `https://api.<known site>` on 443. */ knownHost: boolean }
  | {
      ok: false;
      /** Words: what was refused and how to allow it. */
      reason: string;
      /** `usage`: not a site / not a usable URL; `host-refused`: a URL the policy refuses to send a proof to. */
      kind: 'usage' | 'host-refused';
    };

const ALLOW_HINT = 'add it to the user setting `datadogWif.allowedApiHosts` (or pass `--allow-host` to dd-wif)';
const KNOWN_API_HOSTS: ReadonlySet<string> = new Set(DATADOG_SITES.map((s) => s.apiHost));

/**
 * The loopback hosts plain http:// may go to: exactly `localhost`,
 * `127.0.0.1` and `::1`, on a WHATWG-canonical hostname (`[::1]` with
 * brackets). Not the rest of 127.0.0.0/8: VS Code's proxy support
 * (@vscode/proxy-agent) connects directly only to these names, so with a
 * proxy configured `http://127.8.9.10:…` would reach the proxy in clear text,
 * proof or keys included.
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h === '127.0.0.1' || h === '[::1]' || h === '::1';
}

const HTTP_ONLY_TO = 'plain http:// is only allowed to 127.0.0.1, [::1] or localhost (the loopback names VS Code never sends through a proxy)';

/** The list of known sites, for messages. */
function knownSitesText(): string {
  return SITE_NAMES.join(', ');
}

interface AllowedEntry {
  hostname: string;
  /** Undefined: the scheme's default port only. */
  port?: string;
}

/**
 * An `allowedHosts` entry (`host`, `host:port`, `[::1]:port`; a pasted
 * `https://host:port/` is tolerated) in canonical form, or undefined when it
 * is not a plain host (wildcards, paths, credentials are never honoured).
 */
export function parseAllowedHost(entry: string): AllowedEntry | undefined {
  let e = entry.trim();
  if (!e || /[^\x21-\x7e]/.test(e) || /[*@?#\\%]/.test(e)) return undefined;
  e = e.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/$/, '');
  if (e.includes('/')) return undefined;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(e);
  if (!m) return undefined;
  let hostname: string;
  try {
    hostname = new URL(`https://${m[1]}`).hostname;
  } catch {
    return undefined;
  }
  hostname = hostname.replace(/\.$/, '');
  if (!hostname) return undefined;
  const port = m[2] !== undefined ? String(Number(m[2])) : undefined;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  return { hostname, port };
}

function defaultPort(protocol: string): string {
  return protocol === 'http:' ? '80' : '443';
}

function isAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  const port = url.port || defaultPort(url.protocol);
  for (const raw of allowedHosts) {
    const a = parseAllowedHost(raw);
    if (!a) continue;
    if (a.hostname !== url.hostname) continue;
    if ((a.port ?? defaultPort(url.protocol)) === port) return true;
  }
  return false;
}

/** `host` or `host:port` as an allow-list entry would name it. */
function hostEntryOf(url: URL): string {
  return url.port ? `${url.hostname}:${url.port}` : url.hostname;
}

/**
 * What to do instead of plain http to a host that may not have it: a server on
 * this machine (another 127.x address, `::ffff:127.x`) is reached as
 * 127.0.0.1 or localhost; anything else needs https. `allow`: it must be
 * allowed too.
 */
function httpInstead(url: URL, allow: boolean): string {
  const onThisMachine = /^127\.\d+\.\d+\.\d+$/.test(url.hostname) || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(url.hostname);
  if (onThisMachine) {
    const local = `127.0.0.1${url.port ? `:${url.port}` : ''}`;
    const allowLocal = allow ? `, then ${ALLOW_HINT.replace('add it', `add "${local}"`)}` : ` (allowed as "${local}" in the user setting \`datadogWif.allowedApiHosts\`)`;
    return `run the server on 127.0.0.1 or localhost and use http://${local} or http://localhost${url.port ? `:${url.port}` : ''}${allowLocal}`;
  }
  return `use https://${allow ? `, then ${ALLOW_HINT.replace('add it', `add "${hostEntryOf(url)}"`)}` : ''}`;
}

type Parsed = { ok: true; url: URL } | { ok: false; reason: string };

/** Parses strictly: refuses what a lookalike or a smuggled host needs. */
function parseStrict(raw: string, what: string): Parsed {
  const s = raw.trim();
  if (!s) return { ok: false, reason: `the ${what} is empty` };
  if (/[^\x21-\x7e]/.test(s)) {
    return {
      ok: false,
      reason: `the ${what} "${printable(withoutQuery(s))}" contains white space or non-ASCII characters (a look-alike of a Datadog host is refused); type the host in plain ASCII`,
    };
  }
  if (s.includes('\\')) return { ok: false, reason: `the ${what} "${withoutQuery(s)}" contains a backslash` };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s);
  if (!scheme) return { ok: false, reason: `the ${what} "${withoutQuery(s)}" is not an absolute URL: write it as https://host` };
  const authority = s.slice(scheme[0].length).split(/[/?#]/, 1)[0];
  if (authority.includes('@')) {
    return { ok: false, reason: `the ${what} "${redactUserInfo(withoutQuery(s))}" carries credentials (user@host): remove them` };
  }
  if (authority.includes('%')) return { ok: false, reason: `the ${what} "${withoutQuery(s)}" has a percent-encoded host` };
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return { ok: false, reason: `the ${what} "${withoutQuery(s)}" is not a valid URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: `the ${what} "${withoutQuery(s)}" must use https:// (or http:// to 127.0.0.1, [::1] or localhost for a test server)` };
  }
  if (url.username || url.password) return { ok: false, reason: `the ${what} carries credentials (user@host): remove them` };
  return { ok: true, url };
}

function printable(s: string): string {
  // Shows the look-alike characters so the user can see them.
  return s.replace(/[^\x21-\x7e]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).slice(0, 200);
}

/** A query or fragment may carry a secret (`?api_key=…`): never echoed. */
function withoutQuery(s: string): string {
  return s.split(/[?#]/, 1)[0];
}

function redactUserInfo(s: string): string {
  return s.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1…@');
}

/** `https://api.<site>` of a known site; an unknown site is refused naming the known ones. */
export function apiBaseUrlForSite(site: string): BaseUrlDecision {
  const s = site.trim().toLowerCase().replace(/\.$/, '');
  const known = findSite(s);
  if (known) return { ok: true, baseUrl: `https://${known.apiHost}`, site: known.site, knownHost: true };
  // A pasted host or URL of a known site (`app.datadoghq.eu`, `https://api.us5.datadoghq.com`) is a typo we can name.
  const host = s.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const guess = /^[a-z0-9.-]+$/.test(host) ? siteOfHost(host) : undefined;
  const hint = guess ? ` (did you mean "${guess.site}"?)` : '';
  return {
    ok: false,
    kind: 'usage',
    reason: `"${printable(site.trim())}" is not a known Datadog site${hint}. Known sites: ${knownSitesText()}. To use another API host, give its URL (--api-url / api_url) and allow the host: ${ALLOW_HINT}`,
  };
}

/**
 * The API base URL to send a proof to: `apiUrl` when given (from `--api-url`
 * or a workspace file's `api_url` / `dd_url`, still subject to the policy),
 * else the site (default `datadoghq.com`).
 */
export function resolveApiBaseUrl(o: { site?: string; apiUrl?: string; allowedHosts: readonly string[] }): BaseUrlDecision {
  if (o.apiUrl === undefined || o.apiUrl.trim() === '') return apiBaseUrlForSite(o.site?.trim() ? o.site : 'datadoghq.com');
  const raw = o.apiUrl.trim();
  const p = parseStrict(raw, 'API URL');
  if (!p.ok) return { ok: false, kind: 'usage', reason: p.reason };
  const url = p.url;
  // The base URL is an origin: no path, query or fragment (a path would be
  // glued before /api/v2/…, a query or fragment would travel with the proof).
  const afterAuthority = raw.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  if (afterAuthority !== '' && afterAuthority !== '/') {
    return {
      ok: false,
      kind: 'usage',
      reason: `the API URL "${withoutQuery(raw)}" has a path, query or fragment ("${withoutQuery(afterAuthority).slice(0, 80)}${/[?#]/.test(afterAuthority) ? '?…' : ''}"): give only the origin, e.g. https://api.datadoghq.com`,
    };
  }
  const hostname = url.hostname.replace(/\.$/, '');
  const canonical = new URL(`${url.protocol}//${hostname}${url.port ? `:${url.port}` : ''}`);

  // 1. A host the user allowed, as written (a proxy, a test server).
  if (isAllowed(canonical, o.allowedHosts)) {
    if (canonical.protocol === 'http:' && !isLoopbackHost(canonical.hostname)) {
      return {
        ok: false,
        kind: 'host-refused',
        reason: `${HTTP_ONLY_TO}; "${displayUrl(raw)}" would send the proof unencrypted: ${httpInstead(canonical, false)}`,
      };
    }
    const site = siteOfHost(canonical.hostname);
    const knownHost = canonical.protocol === 'https:' && !canonical.port && KNOWN_API_HOSTS.has(canonical.hostname);
    return { ok: true, baseUrl: canonical.origin, ...(site ? { site: site.site } : {}), knownHost };
  }

  // 2. A Datadog host (api., app., an Agent intake host): its site's API host.
  const site = siteOfHost(hostname);
  if (site) {
    if (canonical.port) {
      return {
        ok: false,
        kind: 'host-refused',
        reason: `the API URL "${raw}" names a Datadog host on port ${canonical.port}; Datadog's API is https on port 443: use https://${site.apiHost} (or allow "${hostEntryOf(canonical)}": ${ALLOW_HINT})`,
      };
    }
    return { ok: true, baseUrl: `https://${site.apiHost}`, site: site.site, knownHost: true };
  }

  // 3. Anything else is refused, with how to allow it.
  const entry = hostEntryOf(canonical);
  if (canonical.protocol === 'http:' && !isLoopbackHost(canonical.hostname)) {
    return {
      ok: false,
      kind: 'host-refused',
      reason: `the API URL "${displayUrl(raw)}" is not a Datadog API host, and ${HTTP_ONLY_TO}: ${httpInstead(canonical, true)}`,
    };
  }
  return {
    ok: false,
    kind: 'host-refused',
    reason: `"${entry}" is not a Datadog API host, so no proof is sent there. A proof goes only to https://api.<site> of a known site (${knownSitesText()}) or to a host you allow: ${ALLOW_HINT.replace('add it', `add "${entry}"`)}`,
  };
}

/**
 * The final check before any send, on the full request URL: https to a known
 * Datadog API host on 443, or a host the user allowed (plain http only for a
 * loopback host). No credentials or fragment; a trailing dot or a
 * non-canonical spelling is refused here (base URLs built by this module never
 * have one).
 */
export function mayReceiveProof(url: string, allowedHosts: readonly string[]): boolean {
  if (typeof url !== 'string' || /[^\x21-\x7e]/.test(url) || url.includes('\\')) return false;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (!scheme) return false;
  const authority = url.slice(scheme[0].length).split(/[/?#]/, 1)[0];
  if (authority.includes('@') || authority.includes('%')) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password || url.includes('#')) return false;
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
  if (u.hostname.endsWith('.')) return false;
  if (u.protocol === 'https:' && !u.port && KNOWN_API_HOSTS.has(u.hostname)) return true;
  if (!isAllowed(u, allowedHosts)) return false;
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) return false;
  return true;
}
