// Which org a set of Datadog credentials belongs to: GET /api/v2/current_user
// (PROTOCOL.md: the seed names it as the way to find `org_uuid`), with API +
// application keys or the bearer token of a Terraform-flow login. Through the
// cloud core's one HTTP layer: the host policy before every connection, no
// redirects, one timeout, and the mapping client's retries (a GET is safe).
//
// The answer is a JSON:API user document (datadog-api-client's UserResponse):
// the org's UUID is `data.relationships.org.data.id` (type `orgs`) and its
// name the `attributes.name` of the matching `included` org. Failures are
// CloudErrors in words with the next step; no key or token is ever in one.
//
// Node only; never imports `vscode`.

import { errorDetails } from './apiErrors';
import { sendWithRetry, type RetriedResponse } from './http';
import type { DatadogAuth } from './mappingTypes';
import { DEFAULT_USER_AGENT } from './proof';
import { CloudError, type CloudErrorCode } from './types';
import { redactKnown } from '../shared/redact';
import { escapeControl } from '../shared/terminalText';

export const CURRENT_USER_PATH = '/api/v2/current_user';

export interface CurrentOrg {
  /** Lower case, 8-4-4-4-12. */
  orgUuid: string;
  /** The org's name as the server gave it (control characters removed, capped): display text, not trusted. */
  orgName?: string;
}

export interface CurrentUserOptions {
  /** An API origin the host policy accepted (`resolveApiBaseUrl`). */
  baseUrl: string;
  auth: DatadogAuth;
  /** The user-level allow-list (`datadogWif.allowedApiHosts` / `--allow-host`). */
  allowedHosts: readonly string[];
  /** All attempts and waits; default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
  maxWaitMs?: number;
  userAgent?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NAME = 200;

/** The org of the credentials; throws a CloudError (message and next step free of secrets) otherwise. */
export async function currentOrg(options: CurrentUserOptions): Promise<CurrentOrg> {
  const baseUrl = options.baseUrl.trim().replace(/\/+$/, '');
  const auth = options.auth;
  const secrets = auth.kind === 'keys' ? [auth.apiKey, auth.appKey] : [auth.token];
  const scrub = (text: string) => redactKnown(text, secrets);
  const fail = (message: string, code: CloudErrorCode, nextStep: string, status?: number) => new CloudError(scrub(message), code, scrub(nextStep), status);
  const what = 'Reading the org of your credentials (/api/v2/current_user)';

  let res: RetriedResponse;
  try {
    res = await sendWithRetry(
      {
        url: `${baseUrl}${CURRENT_USER_PATH}`,
        method: 'GET',
        headers: {
          Accept: 'application/json',
          'User-Agent': options.userAgent ?? DEFAULT_USER_AGENT,
          ...(auth.kind === 'keys' ? { 'DD-API-KEY': auth.apiKey, 'DD-APPLICATION-KEY': auth.appKey } : { Authorization: `Bearer ${auth.token}` }),
        },
        timeoutMs: options.timeoutMs ?? 30_000,
        signal: options.signal,
        allowedHosts: options.allowedHosts,
      },
      {
        retry: 'safe',
        ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
        ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
      },
    );
  } catch (err) {
    if (err instanceof CloudError) throw fail(`${what} failed: ${err.message}.`, err.code, err.nextStep ?? (err.code === 'cancelled' ? 'nothing to do' : 'try again'), err.status);
    throw fail(`${what} failed: ${err instanceof Error ? err.message : String(err)}`, 'network', 'try again');
  }

  const status = res.status;
  const details = errorDetails(res.bodyText, secrets);
  const said = details.length ? `: ${details.join('; ')}` : '';
  if (status >= 300 && status < 400) {
    throw fail(`${what} failed: the API answered with a redirect (HTTP ${status}), which is not followed: keys and tokens are only sent to the host you chose.`, 'http', 'Check the site or API URL: use the API host itself (https://api.<site>).', status);
  }
  if (status === 401 || status === 403) {
    const step =
      auth.kind === 'bearer'
        ? 'The login token was refused (it may have expired): run Test Login again, or set API and application keys for this site.'
        : 'Check the API key and the application key: both must be valid keys of the organization on this site (Set API Keys).';
    throw fail(`${what} failed: the API refused the credentials (HTTP ${status}${said}).`, 'http', step, status);
  }
  if (status === 404) throw fail(`${what} failed: no such endpoint at ${baseUrl} (HTTP 404).`, 'http', 'Check the site or API URL.', status);
  if (status === 429) {
    const wait = res.retryAfterMs;
    throw fail(`${what} failed: rate limited by the Datadog API (HTTP 429, after ${res.attempts} attempt${res.attempts === 1 ? '' : 's'}).`, 'http', wait !== undefined ? `Wait ${Math.max(1, Math.ceil(wait / 1000))} seconds and try again.` : 'Wait a minute and try again.', status);
  }
  if (status >= 500) throw fail(`${what} failed: the Datadog API failed (HTTP ${status}${said}).`, 'http', 'Try again in a few minutes; if it persists, check https://status.datadoghq.com.', status);
  if (status !== 200) throw fail(`${what} failed: unexpected answer from the API (HTTP ${status}${said}).`, 'http', 'Check the site or API URL, and try again.', status);

  const malformed = (why: string) => fail(`${what} failed: the API answered HTTP 200 with ${why}.`, 'http', 'Check the site or API URL: it may not be a Datadog API host (a proxy page?).', status);
  if (res.truncated) throw malformed('a body too large to read');
  let body: unknown;
  try {
    body = JSON.parse(res.bodyText);
  } catch {
    throw malformed('a body that is not JSON');
  }
  const org = readCurrentOrg(body);
  if (!org) throw malformed('no org UUID in it');
  return org.orgName === undefined ? org : { ...org, orgName: scrub(org.orgName) };
}

/**
 * The org of a current_user document: `data.relationships.org.data.id` (a
 * UUID), named by the `included` org of that id. Undefined when the document
 * names no org whose id is a UUID.
 */
export function readCurrentOrg(body: unknown): CurrentOrg | undefined {
  const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const data = obj(obj(body)?.data);
  const related = obj(obj(obj(data?.relationships)?.org)?.data);
  const id = typeof related?.id === 'string' ? related.id.trim() : undefined;
  if (!id || !UUID.test(id) || (related?.type !== undefined && related.type !== 'orgs')) return undefined;
  const orgUuid = id.toLowerCase();
  const included = Array.isArray(obj(body)?.included) ? (obj(body)!.included as unknown[]) : [];
  let orgName: string | undefined;
  for (const item of included.slice(0, 1000)) {
    const o = obj(item);
    if (o?.type !== 'orgs' || typeof o.id !== 'string' || o.id.trim().toLowerCase() !== orgUuid) continue;
    const name = obj(o.attributes)?.name;
    if (typeof name === 'string') orgName = cleanName(name);
    break;
  }
  return orgName ? { orgUuid, orgName } : { orgUuid };
}

/** One line of display text: white space folded, other controls (bidirectional overrides included) shown as visible escapes, capped. */
function cleanName(name: string): string | undefined {
  const line = escapeControl(name.replace(/[\t\n\r\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim());
  if (!line) return undefined;
  return line.length > MAX_NAME ? `${line.slice(0, MAX_NAME)}…` : line;
}
