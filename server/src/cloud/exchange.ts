// The proof exchange (PROTOCOL.md §2): POST the proof to
// `/api/v2/delegated-token` (Terraform: a short-lived JWT) or
// `/api/v2/intake-key` (Agent: the org's managed API key), and read the
// answer strictly: 200 only is success.
//
// The token or API key comes back in a OneTimeSecret: it can be taken once
// (for SecretStorage, say) and is `[redacted]` in every string, JSON or
// inspect form of the result.
//
// Node only; never imports `vscode`.

import { inspect } from 'node:util';
import { CloudError, FLOW_PATHS, type LoginFlow } from './types';
import { sendWithRetry, type RetriedResponse } from './http';
import { errorDetails } from './apiErrors';
import { decodeJwtClaims } from './jwt';
import { DEFAULT_USER_AGENT } from './proof';
import { redact } from '../shared/redact';

/** A secret that leaves its box once. Never part of a string or JSON form. */
export class OneTimeSecret {
  #value: string | undefined;
  /** The last 4 characters, the most that may be shown. */
  readonly last4: string;
  constructor(value: string) {
    this.#value = value;
    this.last4 = value.slice(-4);
  }
  /** The secret, the first time; undefined afterwards. */
  take(): string | undefined {
    const v = this.#value;
    this.#value = undefined;
    return v;
  }
  get taken(): boolean {
    return this.#value === undefined;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return `OneTimeSecret([redacted …${this.last4}])`;
  }
}

export interface ExchangeOptions {
  flow: LoginFlow;
  /** From the host policy (`resolveApiBaseUrl`), no trailing slash. */
  baseUrl: string;
  /** The proof string (`buildProof(...).value`). */
  proof: string;
  /** Budget of every attempt and wait together. */
  timeoutMs: number;
  signal?: AbortSignal;
  allowedHosts: readonly string[];
  userAgent?: string;
  sleep?: (ms: number) => Promise<void>;
  /** Clock for a missing `expires` and Retry-After dates. */
  now?: () => Date;
  maxAttempts?: number;
  maxWaitMs?: number;
  /** Other secrets of this login (AWS secret, session token), scrubbed exactly from the server's words with the proof. */
  secrets?: readonly (string | undefined)[];
}

export type ExchangeFailureKind =
  | 'host-refused'
  | 'unauthorized'
  | 'forbidden'
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'redirect'
  | 'malformed'
  | 'cancelled'
  | 'http';

export type ExchangeResult =
  | {
      ok: true;
      flow: 'terraform';
      status: 200;
      attempts: number;
      /** The JWT: take it once. */
      token: OneTimeSecret;
      expiresAt: Date;
      /** `expires` was absent or unreadable: 15 minutes were assumed. */
      expiresAssumed: boolean;
      /** The JWT's payload, decoded WITHOUT verification. */
      claims?: Record<string, unknown>;
    }
  | {
      ok: true;
      flow: 'agent';
      status: 200;
      attempts: number;
      /** The org's managed API key: take it once. */
      apiKey: OneTimeSecret;
      apiKeyLast4: string;
      orgId?: string | number;
    }
  | {
      ok: false;
      flow: LoginFlow;
      kind: ExchangeFailureKind;
      status?: number;
      attempts?: number;
      /** What went wrong, in words (no secret, no raw body). */
      message: string;
      nextStep?: string;
      /** The server's `errors[]` explanations, redacted. */
      details: string[];
      /** On 429 (and 503): what the server asked to wait. */
      retryAfterSeconds?: number;
      /** On a 3xx: the origin the server pointed to (never followed). */
      redirectTo?: string;
    };

export const DEFAULT_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/** `expires` [drift]: a number or numeric string of unix seconds, or an ISO date. */
export function parseExpires(value: unknown): Date | undefined {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    ms = value > 1e12 ? value : value * 1000;
  } else if (typeof value === 'string' && value.trim()) {
    const v = value.trim();
    if (/^\d+(\.\d+)?$/.test(v)) {
      const n = Number(v);
      ms = n > 1e12 ? n : n * 1000;
    } else if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
      const t = Date.parse(v);
      if (Number.isFinite(t)) ms = t;
    }
  }
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function attributesOf(bodyText: string): Record<string, unknown> | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const data = (body as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const attributes = (data as { attributes?: unknown }).attributes;
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return undefined;
  return attributes as Record<string, unknown>;
}

/** The origin a Location header points to (resolved against the request), for words only. */
function redirectOrigin(location: string | undefined, base: string): string | undefined {
  if (!location) return undefined;
  try {
    const u = new URL(location, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.protocol}//${u.host}` : u.protocol;
  } catch {
    return undefined;
  }
}

/** Posts the proof; never throws (a failure is a result). */
export async function exchangeProof(o: ExchangeOptions): Promise<ExchangeResult> {
  const flow = o.flow;
  const url = `${o.baseUrl.replace(/\/+$/, '')}${FLOW_PATHS[flow]}`;
  const now = o.now ?? (() => new Date());
  let res: RetriedResponse;
  try {
    res = await sendWithRetry(
      {
        url,
        method: 'POST',
        headers: {
          Authorization: `Delegated ${o.proof}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'User-Agent': o.userAgent ?? DEFAULT_USER_AGENT,
        },
        body: '',
        timeoutMs: o.timeoutMs,
        signal: o.signal,
        allowedHosts: o.allowedHosts,
      },
      { retry: 'safe', sleep: o.sleep, now, maxAttempts: o.maxAttempts, maxWaitMs: o.maxWaitMs },
    );
  } catch (err) {
    if (err instanceof CloudError) {
      const kind: ExchangeFailureKind = err.code === 'credentials' || err.code === 'usage' ? 'http' : err.code;
      return { ok: false, flow, kind, message: err.message, nextStep: err.nextStep, details: [] };
    }
    return {
      ok: false,
      flow,
      kind: 'network',
      message: `the request failed (${redact(err instanceof Error ? err.message : String(err)).slice(0, 200)})`,
      details: [],
    };
  }

  const status = res.status;
  const attempts = res.attempts;
  const details = errorDetails(res.bodyText, [o.proof, ...o.proof.split('|').filter((p) => p.length >= 16), ...(o.secrets ?? [])]);
  const fail = (kind: ExchangeFailureKind, message: string, extra: Partial<Extract<ExchangeResult, { ok: false }>> = {}): ExchangeResult => ({
    ok: false,
    flow,
    kind,
    status,
    attempts,
    message,
    details,
    ...extra,
  });

  if (status === 200) {
    const attrs = res.truncated ? undefined : attributesOf(res.bodyText);
    if (!attrs) return fail('malformed', 'no data.attributes in the 200 response', { details: [] });
    if (flow === 'terraform') {
      const token = attrs.access_token;
      if (typeof token !== 'string' || !token.trim()) {
        return fail('malformed', 'the 200 response has no access_token (an empty token is a failure)', { details: [] });
      }
      const parsed = parseExpires(attrs.expires);
      const expiresAt = parsed ?? new Date(now().getTime() + DEFAULT_TOKEN_LIFETIME_MS);
      const claims = decodeJwtClaims(token);
      return {
        ok: true,
        flow,
        status: 200,
        attempts,
        token: new OneTimeSecret(token.trim()),
        expiresAt,
        expiresAssumed: !parsed,
        ...(claims ? { claims } : {}),
      };
    }
    const apiKey = attrs.api_key;
    if (typeof apiKey !== 'string' || !apiKey.trim()) {
      return fail('malformed', 'the 200 response has no api_key (an empty API key is a failure)', { details: [] });
    }
    const orgId = attrs.org_id;
    const secret = new OneTimeSecret(apiKey.trim());
    return {
      ok: true,
      flow,
      status: 200,
      attempts,
      apiKey: secret,
      apiKeyLast4: secret.last4,
      ...(typeof orgId === 'string' || typeof orgId === 'number' ? { orgId } : {}),
    };
  }

  const retryAfterSeconds = res.retryAfterMs !== undefined ? Math.max(1, Math.ceil(res.retryAfterMs / 1000)) : undefined;
  if (status >= 300 && status < 400) {
    const redirectTo = redirectOrigin(res.headers['location'], url);
    return fail('redirect', `the server answered ${status} with a redirect${redirectTo ? ` to ${redirectTo}` : ''}; a proof is never forwarded`, {
      details: [],
      ...(redirectTo ? { redirectTo } : {}),
    });
  }
  if (status === 401) return fail('unauthorized', 'the proof was rejected (401)');
  if (status === 403) return fail('forbidden', 'no mapping matches the verified identity (403)');
  if (status === 429) {
    return fail('rate-limited', 'Datadog is rate limiting these requests (429)', retryAfterSeconds !== undefined ? { retryAfterSeconds } : {});
  }
  if (status >= 500) {
    return fail('server', `Datadog answered ${status}`, retryAfterSeconds !== undefined ? { retryAfterSeconds } : {});
  }
  if (status >= 200 && status < 300) return fail('malformed', `the server answered ${status} instead of 200`, { details: [] });
  return fail('http', `the server answered ${status}`);
}
