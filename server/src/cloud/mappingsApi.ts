// The mapping management API client (PROTOCOL.md §3): list, create, get and
// delete identity (persona) and intake mappings, over the cloud core's one
// HTTP layer (host policy before every connection, no redirects, bounded
// retries). Both path families ([drift]): `cloud_auth`, `wif`, or `auto`,
// which tries `cloud_auth` first and the other family once on a 404, and
// remembers which one answered per base URL for the life of the process.
// Both type strings are read; both error shapes are parsed. Failures are
// MappingApiErrors in words with the next step; no key or token is ever in a
// message (they are scrubbed exactly, then by shape).
//
// Node only; never imports `vscode`.

import { errorDetails, parseApiErrors } from './apiErrors';
import { sendWithRetry, type HttpMethod, type RetriedResponse, type RetryMode } from './http';
import { CloudError, type CloudErrorCode } from './types';
import {
  kindOfType,
  mappingBasePath,
  mappingWriteType,
  type DatadogAuth,
  type Mapping,
  type MappingApiPaths,
  type MappingInput,
  type MappingKind,
  type PathFamily,
} from './mappingTypes';
import { overlaps } from '../service/arn/match';
import { redactKnown } from '../shared/redact';
import { DEFAULT_USER_AGENT } from './proof';

export * from './mappingTypes';

/** What went wrong, for a caller that acts on it (offer "Set API Keys", "Open the AWS integration", …). */
export type MappingFailure =
  | 'not-integrated' // 400: the AWS account is not in the Datadog AWS integration
  | 'invalid-pattern' // 400: the ARN pattern was refused
  | 'invalid-account-identifier' // 400: the account identifier was refused
  | 'bad-request' // another 400 / 422
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not-found' // 404 for one mapping
  | 'api-not-found' // 404 for the collection: no mapping API at that path
  | 'conflict' // 409
  | 'rate-limited' // 429 after the retries
  | 'server-error' // 5xx
  | 'redirect' // 3xx: not followed
  | 'unexpected-status'
  | 'malformed' // a success whose body is not what the API returns
  | 'transport' // host refused, timeout, network, cancelled (see `code`)
  | 'usage'; // an invalid input, refused before any request

export class MappingApiError extends CloudError {
  declare readonly nextStep: string;
  constructor(
    message: string,
    code: CloudErrorCode,
    nextStep: string,
    status: number | undefined,
    /** The server's explanations (`detail`, else `title`, with the JSON pointer), redacted. */
    readonly details: readonly string[],
    readonly failure: MappingFailure,
    /** On 429: what the server asked to wait, in ms. */
    readonly retryAfterMs?: number,
    /** On 409: the listed mappings the pattern overlaps, when they could be found. */
    readonly conflicting?: readonly Mapping[],
  ) {
    super(message, code, nextStep, status);
    this.name = 'MappingApiError';
  }
}

export interface MappingsClientOptions {
  /** An API origin the host policy accepted (`resolveApiBaseUrl`), e.g. `https://api.datadoghq.com`. */
  baseUrl: string;
  auth: DatadogAuth;
  /** The user-level allow-list (`datadogWif.allowedApiHosts` / `--allow-host`). */
  allowedHosts: readonly string[];
  /** `datadogWif.mappingApiPaths` / `--paths`; default `auto`. */
  paths?: MappingApiPaths;
  /** Budget of one operation (all attempts and waits of one request); default 30 s. */
  timeoutMs?: number;
  /** Injected in tests: the wait between retries. */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts of one request, the first included (default 3). */
  maxAttempts?: number;
  /** The longest wait for a 429's Retry-After before giving up (default 10 s). */
  maxWaitMs?: number;
  userAgent?: string;
}

export interface MappingsClient {
  list(kind: MappingKind, signal?: AbortSignal): Promise<Mapping[]>;
  create(kind: MappingKind, input: MappingInput, signal?: AbortSignal): Promise<Mapping>;
  get(kind: MappingKind, id: string, signal?: AbortSignal): Promise<Mapping>;
  delete(kind: MappingKind, id: string, signal?: AbortSignal): Promise<void>;
  /** The family this client uses: fixed, or for `auto` the one known to answer at this base URL (undefined before the first answer). */
  family(): PathFamily | undefined;
}

/** Which family answered at a base URL, for the life of the process (`auto` only). */
const answeringFamily = new Map<string, PathFamily>();

/** Forgets which path family answered where (tests; a settings change). */
export function forgetPathFamilies(baseUrl?: string): void {
  if (baseUrl === undefined) answeringFamily.clear();
  else answeringFamily.delete(familyKey(baseUrl));
}

/** The family remembered for a base URL, if any. */
export function rememberedPathFamily(baseUrl: string): PathFamily | undefined {
  return answeringFamily.get(familyKey(baseUrl));
}

function familyKey(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '').toLowerCase();
}

/** Statuses that prove the route exists (the handler ran), so the family answers there. */
function proves(status: number): boolean {
  return (status >= 200 && status < 300) || status === 400 || status === 403 || status === 409 || status === 422;
}

const OTHER: Record<PathFamily, PathFamily> = { cloud_auth: 'wif', wif: 'cloud_auth' };

const KIND_WORDS: Record<MappingKind, string> = { identity: 'identity mapping', intake: 'intake mapping' };

const PERMISSION = {
  read: '`workload_identity_federation_config_read` (`cloud_auth_config_read` on older orgs)',
  write: '`workload_identity_federation_config_write` (`cloud_auth_config_write` on older orgs)',
};

type Op = 'list' | 'create' | 'get' | 'delete';

interface Operation {
  op: Op;
  kind: MappingKind;
  method: HttpMethod;
  id?: string;
  /** The create body for a family (its type string). */
  body?: (family: PathFamily) => string;
  retry: RetryMode;
  /** "Listing the identity mappings", for messages. */
  what: string;
  arnPattern?: string;
}

export function createMappingsClient(options: MappingsClientOptions): MappingsClient {
  const baseUrl = options.baseUrl.trim().replace(/\/+$/, '');
  const paths: MappingApiPaths = options.paths ?? 'auto';
  const timeoutMs = options.timeoutMs ?? 30_000;
  const auth = options.auth;
  const secrets = auth.kind === 'keys' ? [auth.apiKey, auth.appKey] : [auth.token];
  const scrub = (text: string) => redactKnown(text, secrets);
  const key = familyKey(baseUrl);

  const headers = (withBody: boolean): Record<string, string> => ({
    Accept: 'application/json',
    ...(withBody ? { 'Content-Type': 'application/json' } : {}),
    'User-Agent': options.userAgent ?? DEFAULT_USER_AGENT,
    ...(auth.kind === 'keys' ? { 'DD-API-KEY': auth.apiKey, 'DD-APPLICATION-KEY': auth.appKey } : { Authorization: `Bearer ${auth.token}` }),
  });

  const fail = (message: string, code: CloudErrorCode, nextStep: string, status: number | undefined, details: readonly string[], failure: MappingFailure, extra: { retryAfterMs?: number; conflicting?: readonly Mapping[] } = {}) =>
    new MappingApiError(scrub(message), code, scrub(nextStep), status, details.map(scrub), failure, extra.retryAfterMs, extra.conflicting);

  const usage = (message: string, nextStep: string) => fail(message, 'usage', nextStep, undefined, [], 'usage');

  function pathOf(family: PathFamily, o: Operation): string {
    const base = mappingBasePath(family, o.kind);
    return o.id === undefined ? base : `${base}/${encodeURIComponent(o.id)}`;
  }

  async function sendIn(family: PathFamily, o: Operation, signal: AbortSignal | undefined): Promise<RetriedResponse> {
    const body = o.body?.(family);
    try {
      return await sendWithRetry(
        { url: `${baseUrl}${pathOf(family, o)}`, method: o.method, headers: headers(body !== undefined), ...(body !== undefined ? { body } : {}), timeoutMs, signal, allowedHosts: options.allowedHosts },
        { retry: o.retry, ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}), ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}), ...(options.sleep ? { sleep: options.sleep } : {}) },
      );
    } catch (err) {
      if (err instanceof CloudError) {
        const step = err.nextStep ?? (err.code === 'cancelled' ? 'nothing to do' : 'try again');
        // A create that timed out may have been made: say so, it is not retried.
        const maybeMade = o.op === 'create' && (err.code === 'timeout' || err.code === 'network') ? ' The mapping may have been created anyway: list the mappings before trying again.' : '';
        throw fail(`${o.what} failed: ${err.message}.${maybeMade}`, err.code, step, err.status, [], 'transport');
      }
      throw fail(`${o.what} failed: ${err instanceof Error ? err.message : String(err)}`, 'network', 'try again', undefined, [], 'transport');
    }
  }

  /** Sends in the family to use; for `auto` with none known yet, falls back to the other family once on a 404. */
  async function exchange(o: Operation, signal: AbortSignal | undefined): Promise<{ res: RetriedResponse; family: PathFamily; families: PathFamily[] }> {
    if (paths !== 'auto') return { res: await sendIn(paths, o, signal), family: paths, families: [paths] };
    const known = answeringFamily.get(key);
    if (known) return { res: await sendIn(known, o, signal), family: known, families: [known] };
    const first: PathFamily = 'cloud_auth';
    let res = await sendIn(first, o, signal);
    let family: PathFamily = first;
    if (res.status === 404) {
      family = OTHER[first];
      res = await sendIn(family, o, signal);
      if (res.status === 404) return { res, family, families: [first, family] };
    }
    if (proves(res.status)) answeringFamily.set(key, family);
    return { res, family, families: res.status === 404 || family !== first ? [first, family] : [first] };
  }

  async function run(o: Operation, signal: AbortSignal | undefined): Promise<{ res: RetriedResponse; family: PathFamily }> {
    const { res, family, families } = await exchange(o, signal);
    const ok = o.op === 'create' ? res.status === 201 || res.status === 200 : o.op === 'delete' ? res.status === 204 || res.status === 200 : res.status === 200;
    if (!ok) throw await httpFailure(o, res, family, families, signal);
    return { res, family };
  }

  async function httpFailure(o: Operation, res: RetriedResponse, family: PathFamily, families: PathFamily[], signal: AbortSignal | undefined): Promise<MappingApiError> {
    const status = res.status;
    const errors = parseApiErrors(res.bodyText, secrets) ?? [];
    const details = errorDetails(res.bodyText, secrets);
    const said = details.length ? `: ${details.join('; ')}` : '';
    const http = (message: string, nextStep: string, failure: MappingFailure, extra: { retryAfterMs?: number; conflicting?: readonly Mapping[] } = {}) => fail(message, 'http', nextStep, status, details, failure, extra);
    const write = o.op === 'create' || o.op === 'delete';
    const text = details.join(' ').toLowerCase();

    if (status >= 300 && status < 400) {
      let to = '';
      try {
        to = res.headers.location ? ` to ${new URL(res.headers.location, baseUrl).host}` : '';
      } catch {
        /* no host to name */
      }
      return http(`${o.what} failed: the API answered with a redirect (HTTP ${status})${to}, which is not followed: keys and tokens are only sent to the host you chose.`, 'Check the site or API URL: use the API host itself (https://api.<site>).', 'redirect');
    }
    if (status === 400 || status === 422) {
      if (/not integrated/.test(text)) {
        const account = o.arnPattern ? /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(o.arnPattern.trim())?.[1] : undefined;
        return http(
          `${o.what} failed: the AWS account${account ? ` ${account}` : ''} is not integrated with this Datadog account (HTTP ${status}${said}).`,
          `Add the AWS account${account ? ` ${account}` : ''} to the Datadog AWS integration; it can take a few minutes to propagate, then try again.`,
          'not-integrated',
        );
      }
      const pointers = errors.map((e) => e.pointer ?? '').join(' ');
      if (/account_identifier/.test(pointers) || /account[ _]identifier|no user|user not found|service account/.test(text)) {
        return http(`${o.what} failed: the API refused the account identifier (HTTP ${status}${said}).`, 'Use the email or handle of an existing Datadog user, or the UUID of a service account.', 'invalid-account-identifier');
      }
      if (/arn_pattern/.test(pointers) || /pattern|\barn\b/.test(text) || (o.op === 'create' && !pointers.trim())) {
        return http(
          `${o.what} failed: the API refused the ARN pattern${o.arnPattern ? ` \`${o.arnPattern}\`` : ''} (HTTP ${status}${said}).`,
          'Fix the pattern: a role is mapped through its assumed-role ARN, `arn:aws:sts::<account>:assumed-role/<role>/*`; `dd-wif lint` (or the editor) says what is wrong with it.',
          'invalid-pattern',
        );
      }
      return http(`${o.what} failed: the API refused the request (HTTP ${status}${said}).`, 'Check the values given; the server\'s words are above.', 'bad-request');
    }
    if (status === 401) {
      return http(
        `${o.what} failed: the API refused the credentials (HTTP 401${said}).`,
        auth.kind === 'bearer'
          ? 'The login token was refused (it may have expired): log in again, or use API and application keys.'
          : 'Check the API key and the application key: both must be valid keys of the organization on this site.',
        'unauthorized',
      );
    }
    if (status === 403) {
      const who = auth.kind === 'bearer' ? 'The identity the login token acts as lacks' : 'The keys lack';
      const permission = write ? PERMISSION.write : PERMISSION.read;
      // A bare "Forbidden" is also what Datadog answers to keys it does not know.
      const named = /permission|workload_identity|cloud_auth_config/.test(text);
      const step = named
        ? `${who} the permission ${permission}: use the keys of a user or service account that has it.`
        : auth.kind === 'bearer'
          ? `${who} the permission ${permission}, or the token is no longer valid: log in again, or use API and application keys of a user who has it.`
          : `${who} the permission ${permission} (or they are not valid keys of the organization on this site): use the keys of a user or service account that has it.`;
      return http(`${o.what} failed: permission denied (HTTP 403${said}).`, step, 'forbidden');
    }
    if (status === 404) {
      const otherHint = paths === 'auto' ? '' : ` Or try the other path family (the setting \`datadogWif.mappingApiPaths\` / \`--paths\`: \`auto\`, \`cloud_auth\` or \`wif\`; this request used \`${family}\`).`;
      if (o.id !== undefined) {
        // In a family known to answer (or the one configured): a real 404. Both families 404 (auto, none known yet): no such mapping either way.
        const both = families.length > 1 ? ', at either API path' : '';
        return http(`${o.what} failed: there is no ${KIND_WORDS[o.kind]} with id \`${o.id}\`${both} (HTTP 404).`, `List the ${KIND_WORDS[o.kind]}s to see their ids; it may have been deleted already.${families.length > 1 ? '' : otherHint}`, 'not-found');
      }
      const tried = families.map((f) => `${baseUrl}${mappingBasePath(f, o.kind)}`).join(' and ');
      return http(
        `${o.what} failed: no mapping API answered at ${tried} (HTTP 404).`,
        `Check the site or API URL.${otherHint}`,
        'api-not-found',
      );
    }
    if (status === 409) {
      let conflicting: Mapping[] = [];
      if (o.arnPattern) {
        try {
          const listed = await listIn(family, o.kind, signal);
          conflicting = listed.filter((m) => overlaps(m.arnPattern, o.arnPattern!.trim()));
        } catch {
          /* best effort: the server's words remain */
        }
      }
      const named = conflicting.length ? `: it overlaps ${conflicting.map((m) => `${KIND_WORDS[m.kind]} \`${m.id}\` (\`${m.arnPattern}\`)`).join(', ')}` : said;
      return http(
        `${o.what} failed: the pattern conflicts with an existing mapping (HTTP 409)${named}.`,
        'Delete the existing mapping first (there is no update: a change is delete + create), or use a pattern that does not overlap it.',
        'conflict',
        { conflicting },
      );
    }
    if (status === 429) {
      const wait = res.retryAfterMs;
      const when = wait !== undefined ? `Wait ${Math.max(1, Math.ceil(wait / 1000))} seconds and try again.` : 'Wait a minute and try again.';
      return http(`${o.what} failed: rate limited by the Datadog API (HTTP 429, after ${res.attempts} attempt${res.attempts === 1 ? '' : 's'}).`, when, 'rate-limited', { ...(wait !== undefined ? { retryAfterMs: wait } : {}) });
    }
    if (status >= 500) {
      return http(`${o.what} failed: the Datadog API failed (HTTP ${status}${said}).`, `Try again in a few minutes${write && o.op === 'create' ? ' (list the mappings first: it may have been created)' : ''}; if it persists, check https://status.datadoghq.com.`, 'server-error');
    }
    return http(`${o.what} failed: unexpected answer from the API (HTTP ${status}${said}).`, 'Check the site or API URL, and try again.', 'unexpected-status');
  }

  const malformed = (o: Operation, status: number, why: string) =>
    fail(`${o.what} failed: the API answered HTTP ${status} with ${why}.`, 'http', 'Check the site or API URL: it may not be a Datadog API host (a proxy page?).', status, [], 'malformed');

  function parseBody(o: Operation, res: RetriedResponse): unknown {
    if (res.truncated) throw malformed(o, res.status, 'a body too large to read');
    try {
      return JSON.parse(res.bodyText);
    } catch {
      throw malformed(o, res.status, 'a body that is not JSON');
    }
  }

  async function listIn(family: PathFamily, kind: MappingKind, signal: AbortSignal | undefined): Promise<Mapping[]> {
    const o: Operation = { op: 'list', kind, method: 'GET', retry: 'safe', what: `Listing the ${KIND_WORDS[kind]}s` };
    const res = await sendIn(family, o, signal);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    return readList(o, res);
  }

  function readList(o: Operation, res: RetriedResponse): Mapping[] {
    const body = parseBody(o, res) as { data?: unknown } | null;
    const data = body && typeof body === 'object' ? body.data : undefined;
    if (!Array.isArray(data)) throw malformed(o, res.status, 'no `data` list');
    const out: Mapping[] = [];
    for (const item of data) {
      const m = readMapping(item, o.kind);
      if (m) out.push(m);
    }
    return out;
  }

  function readOne(o: Operation, res: RetriedResponse): Mapping {
    const body = parseBody(o, res) as { data?: unknown } | null;
    const m = readMapping(body && typeof body === 'object' ? body.data : undefined, o.kind);
    if (!m) throw malformed(o, res.status, 'no mapping in `data`');
    return m;
  }

  const client: MappingsClient = {
    async list(kind, signal) {
      const o: Operation = { op: 'list', kind, method: 'GET', retry: 'safe', what: `Listing the ${KIND_WORDS[kind]}s` };
      const { res } = await run(o, signal);
      return readList(o, res);
    },
    async create(kind, input, signal) {
      const arnPattern = typeof input?.arnPattern === 'string' ? input.arnPattern : '';
      if (!arnPattern.trim()) throw usage(`Creating an ${KIND_WORDS[kind]} needs an ARN pattern.`, 'Give the pattern, e.g. `arn:aws:sts::123456789012:assumed-role/my-role/*`.');
      const accountIdentifier = input.accountIdentifier?.trim();
      if (kind === 'identity' && !accountIdentifier) {
        throw usage('Creating an identity mapping needs an account identifier.', 'Give the email or handle of the Datadog user the pattern acts as, or a service account\'s UUID.');
      }
      const attributes = (): Record<string, unknown> => ({
        arn_pattern: arnPattern,
        ...(kind === 'identity' ? { account_identifier: accountIdentifier } : {}),
        ...(kind === 'intake' && typeof input.parEnrollmentEnabled === 'boolean' ? { par_enrollment_enabled: input.parEnrollmentEnabled } : {}),
      });
      const o: Operation = {
        op: 'create',
        kind,
        method: 'POST',
        retry: 'throttle-only',
        what: `Creating the ${KIND_WORDS[kind]} for \`${arnPattern}\``,
        arnPattern,
        body: (family) => JSON.stringify({ data: { type: mappingWriteType(family, kind), attributes: attributes() } }),
      };
      const { res } = await run(o, signal);
      return readOne(o, res);
    },
    async get(kind, id, signal) {
      const o: Operation = { op: 'get', kind, method: 'GET', retry: 'safe', id: checkId(kind, id), what: `Reading the ${KIND_WORDS[kind]} \`${id}\`` };
      const { res } = await run(o, signal);
      return readOne(o, res);
    },
    async delete(kind, id, signal) {
      const o: Operation = { op: 'delete', kind, method: 'DELETE', retry: 'safe', id: checkId(kind, id), what: `Deleting the ${KIND_WORDS[kind]} \`${id}\`` };
      await run(o, signal);
    },
    family() {
      return paths === 'auto' ? answeringFamily.get(key) : paths;
    },
  };

  function checkId(kind: MappingKind, id: string): string {
    if (typeof id !== 'string' || !id.trim()) throw usage(`An ${KIND_WORDS[kind]} id is needed.`, `List the ${KIND_WORDS[kind]}s to see their ids.`);
    // A URL resolves `.` and `..` as path segments even encoded by encodeURIComponent: the request would go to another path.
    if (id.trim() === '.' || id.trim() === '..') throw usage(`"${id.trim()}" is not an ${KIND_WORDS[kind]} id.`, `List the ${KIND_WORDS[kind]}s to see their ids.`);
    return id.trim();
  }

  return client;
}

/** A JSON:API resource as a Mapping; undefined when it has no id or pattern. Both type strings are read; an unknown type is tolerated. */
export function readMapping(item: unknown, kind: MappingKind): Mapping | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const r = item as { id?: unknown; type?: unknown; attributes?: unknown };
  const a = (r.attributes && typeof r.attributes === 'object' ? r.attributes : {}) as Record<string, unknown>;
  const id = typeof r.id === 'string' ? r.id : typeof r.id === 'number' ? String(r.id) : undefined;
  const arnPattern = typeof a.arn_pattern === 'string' ? a.arn_pattern : undefined;
  if (!id || arnPattern === undefined) return undefined;
  const type = typeof r.type === 'string' ? r.type : '';
  const typed = kindOfType(type);
  // A resource of the other kind in this list is not one of ours.
  if (typed && typed !== kind) return undefined;
  const m: Mapping = { kind, id, arnPattern, type };
  if (typeof a.account_identifier === 'string') m.accountIdentifier = a.account_identifier;
  if (typeof a.account_uuid === 'string') m.accountUuid = a.account_uuid;
  if (typeof a.par_enrollment_enabled === 'boolean') m.parEnrollmentEnabled = a.par_enrollment_enabled;
  return m;
}
