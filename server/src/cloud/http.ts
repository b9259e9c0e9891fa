// The HTTP layer of the cloud core: one request through node:http / node:https
// (not fetch: VS Code's proxy support patches node's http modules), and
// bounded retries through @smithy/core's StandardRetryStrategy.
//
// - The host policy is asked before every connection (`mayReceiveProof`).
// - Redirects are never followed: a 3xx is returned as is (a redirect would
//   forward the proof to another host).
// - One timeout covers connect + response; cancellation through an AbortSignal.
// - Errors are CloudErrors in words; nothing here logs or echoes a header.
//
// Node only; never imports `vscode`.

import * as http from 'node:http';
import * as https from 'node:https';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { StandardRetryToken } from '@smithy/types';
import { CloudError } from './types';
import { mayReceiveProof } from './hostPolicy';
import { formatSeconds } from './durations';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface HttpRequest {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string;
  /** Connect + response, in milliseconds. For `sendWithRetry`, the budget of all attempts and waits. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** User-level allow-list (`datadogWif.allowedApiHosts`, `--allow-host`), passed to the host policy. */
  allowedHosts: readonly string[];
  /** Response bodies larger than this are cut off (`truncated`); 1 MB by default. */
  maxResponseBytes?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  bodyText: string;
  /** The body was larger than `maxResponseBytes` and was not read to the end. */
  truncated?: boolean;
}

export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** A network failure with the system error code (`ECONNRESET`, `ENOTFOUND`, a TLS code), for the retry decision. */
export class NetworkError extends CloudError {
  constructor(
    message: string,
    readonly errno: string,
    nextStep?: string,
  ) {
    super(message, 'network', nextStep);
    this.name = 'NetworkError';
  }
}


/** `host[:port]` of a URL, for messages: never the path, query or anything else. */
function where(url: URL): string {
  return url.host;
}

function cancelledError(url: URL): CloudError {
  return new CloudError(`the request to ${where(url)} was cancelled`, 'cancelled');
}

function timeoutError(url: URL, ms: number): CloudError {
  return new CloudError(
    `no answer from ${where(url)} within ${formatSeconds(ms)}`,
    'timeout',
    'check your network or proxy, or try again with a longer timeout',
  );
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** A node socket / DNS / TLS error in words. */
export function networkError(err: unknown, url: URL): NetworkError {
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = typeof e?.code === 'string' ? e.code : 'UNKNOWN';
  const host = where(url);
  switch (code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return new NetworkError(`the connection was reset by ${host}`, code, 'try again; if it keeps happening, check your network or proxy');
    case 'ECONNREFUSED':
      return new NetworkError(`the connection was refused by ${host}`, code, 'check the API URL and that the server (or proxy) is running');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new NetworkError(`could not resolve ${url.hostname}: check your network or proxy`, code, 'check the site or API URL, your DNS and your proxy settings');
    case 'ETIMEDOUT':
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
      return new NetworkError(`could not reach ${host} (${code})`, code, 'check your network or proxy');
    default:
      if (TLS_CODES.has(code) || /^(ERR_TLS|ERR_SSL|CERT_)/.test(code)) {
        return new NetworkError(
          `the TLS connection to ${host} failed (${code})`,
          code,
          'a proxy that inspects TLS needs its certificate trusted (NODE_EXTRA_CA_CERTS, or VS Code\'s system certificates); check the clock too',
        );
      }
      return new NetworkError(`the request to ${host} failed (${code})`, code, 'check your network or proxy');
  }
}

/** One request. Rejects with a CloudError (`host-refused`, `timeout`, `cancelled`, `network`). */
export function send(req: HttpRequest): Promise<HttpResponse> {
  return sendOnce(req, req.timeoutMs, req.timeoutMs);
}

function sendOnce(req: HttpRequest, timeoutMs: number, budgetMs: number): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    if (!mayReceiveProof(req.url, req.allowedHosts)) {
      let shown = 'that URL';
      try {
        shown = new URL(req.url).host || shown;
      } catch {
        /* keep the words */
      }
      reject(
        new CloudError(
          `refused to send to ${shown}: it is not a Datadog API host, and it is not in the allowed hosts`,
          'host-refused',
          'to use this host, add it to the user setting `datadogWif.allowedApiHosts` (or pass `--allow-host` to dd-wif); plain http:// works only to 127.0.0.1, [::1] or localhost',
        ),
      );
      return;
    }
    const url = new URL(req.url);
    if (req.signal?.aborted) {
      reject(cancelledError(url));
      return;
    }
    const mod = url.protocol === 'http:' ? http : https;
    const maxBytes = req.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    const headers: Record<string, string> = { ...req.headers };
    const body = req.body ?? '';
    if (req.method !== 'GET' || body) headers['Content-Length'] = String(Buffer.byteLength(body));

    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let request: http.ClientRequest | undefined;
    const onAbort = () => {
      fail(cancelledError(url));
    };
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    };
    function fail(err: CloudError) {
      if (settled) return;
      settled = true;
      cleanup();
      request?.destroy();
      reject(err);
    }
    function succeed(res: HttpResponse) {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(res);
    }

    req.signal?.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(() => fail(timeoutError(url, budgetMs)), Math.max(0, timeoutMs));

    try {
      request = mod.request(
        {
          method: req.method,
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          let truncated = false;
          const out = (): HttpResponse => {
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) {
              if (v === undefined) continue;
              h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
            }
            return {
              status: res.statusCode ?? 0,
              headers: h,
              bodyText: Buffer.concat(chunks).toString('utf8'),
              ...(truncated ? { truncated: true } : {}),
            };
          };
          res.on('data', (chunk: Buffer) => {
            if (settled || truncated) return;
            if (size + chunk.length > maxBytes) {
              chunks.push(chunk.subarray(0, maxBytes - size));
              size = maxBytes;
              truncated = true;
              succeed(out());
              res.destroy();
              request?.destroy();
              return;
            }
            size += chunk.length;
            chunks.push(chunk);
          });
          res.on('end', () => succeed(out()));
          res.on('error', (err) => fail(networkError(err, url)));
          res.on('close', () => {
            // A response cut off before its end: the connection was reset.
            if (!settled && !res.complete) fail(networkError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), url));
          });
        },
      );
    } catch (err) {
      fail(new CloudError(`could not start the request to ${where(url)} (${err instanceof Error ? err.message : String(err)})`, 'network'));
      return;
    }
    request.on('error', (err) => fail(networkError(err, url)));
    request.end(body);
  });
}

export type RetryMode = 'safe' | 'throttle-only' | 'never';

export interface RetryOptions {
  /**
   * `safe` (idempotent: GET, DELETE, the proof exchange): 429, 502/503/504 and
   * a reset connection; `throttle-only` (a POST that creates): 429 only;
   * `never`.
   */
  retry: RetryMode;
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** The longest single wait; a server asking for longer is not waited for. Default 10 s. */
  maxWaitMs?: number;
  /** Injected in tests; the wait is cancelled with the request's signal either way. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock for Retry-After dates (tests). */
  now?: () => Date;
}

export interface RetriedResponse extends HttpResponse {
  /** Requests sent, the first included. */
  attempts: number;
  /** What the server asked to wait (Retry-After / X-RateLimit-Reset), in ms, on a 429 or 503 that is returned. */
  retryAfterMs?: number;
}

/**
 * How long the server asks to wait, in milliseconds: `Retry-After` as seconds
 * or an HTTP date, else `X-RateLimit-Reset` (Datadog: seconds until the
 * window resets; a value that looks like a unix time is read as one).
 * Undefined when neither is present or readable.
 */
export function parseRetryAfter(headers: Record<string, string | undefined>, now: Date = new Date()): number | undefined {
  const ms = readRetryAfter(headers, now);
  // A server asking for longer than a day (or for 10^400 seconds) is capped: the wait stays a number words can say.
  return ms === undefined || Number.isNaN(ms) ? undefined : Math.min(ms, MAX_RETRY_AFTER_MS);
}

const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

function readRetryAfter(headers: Record<string, string | undefined>, now: Date): number | undefined {
  const get = (name: string) => {
    for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name && typeof v === 'string') return v.trim();
    return undefined;
  };
  const ra = get('retry-after');
  if (ra) {
    if (/^\d+$/.test(ra)) return Number(ra) * 1000;
    if (/^\d+\.\d+$/.test(ra)) return Math.ceil(Number(ra) * 1000);
    if (/[a-z]/i.test(ra)) {
      const t = Date.parse(ra);
      if (Number.isFinite(t)) return Math.max(0, t - now.getTime());
    }
  }
  const reset = get('x-ratelimit-reset');
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const v = Number(reset);
    if (v > 1e9) return Math.max(0, Math.ceil(v * 1000 - now.getTime()));
    return Math.ceil(v * 1000);
  }
  return undefined;
}

/**
 * @smithy/core's StandardRetryStrategy decides whether another attempt may
 * be made (attempt count, retry capacity) and computes the backoff. Since
 * 2026 it also sleeps inside `refreshRetryTokenForRetry` (with a global
 * timer nobody can cancel, and a Retry-After hint capped at backoff + 5 s).
 * This subclass keeps its decision and its backoff but hands the wait back
 * to us (`takePlannedDelay`), so the wait is cancellable, injectable in tests
 * and capped by `maxWaitMs`; the Retry-After hint is applied here, not passed
 * to the strategy, so a long hint is reported instead of shortened.
 */
class PlannedDelayRetryStrategy extends StandardRetryStrategy {
  private planned = 0;
  constructor(maxAttempts: number) {
    super({ maxAttempts });
    const backoff = this.retryBackoffStrategy;
    const compute = backoff.computeNextBackoffDelay.bind(backoff);
    backoff.computeNextBackoffDelay = (attempt: number) => {
      this.planned = compute(attempt);
      return 0;
    };
  }
  takePlannedDelay(): number {
    const d = this.planned;
    this.planned = 0;
    return d;
  }
}

/** A wait that ends (and frees its timer) when the signal aborts. */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const listener = () => reject(onAbort());
    signal.addEventListener('abort', listener, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', listener);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', listener);
        reject(e);
      },
    );
  });
}

type Classified = 'THROTTLING' | 'TRANSIENT' | undefined;

function classifyStatus(status: number, mode: RetryMode): Classified {
  if (mode === 'never') return undefined;
  if (status === 429) return 'THROTTLING';
  if (mode === 'safe' && (status === 502 || status === 503 || status === 504)) return 'TRANSIENT';
  return undefined;
}

function classifyError(err: unknown, mode: RetryMode): Classified {
  if (mode !== 'safe') return undefined;
  return err instanceof NetworkError && (err.errno === 'ECONNRESET' || err.errno === 'EPIPE') ? 'TRANSIENT' : undefined;
}

/**
 * `send` with bounded retries. `req.timeoutMs` is the budget of every
 * attempt and wait together: a timeout is never retried, and no wait is
 * started that would end past it. A 3xx or a 4xx other than 429 is returned
 * at once. When the retries are spent, the last response is returned (or the
 * last network error thrown).
 */
export async function sendWithRetry(req: HttpRequest, options: RetryOptions): Promise<RetriedResponse> {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
  const maxWaitMs = Math.max(0, options.maxWaitMs ?? 10_000);
  const sleep = options.sleep ?? ((ms: number) => defaultSleep(ms, req.signal));
  const now = options.now ?? (() => new Date());
  const strategy = new PlannedDelayRetryStrategy(maxAttempts);
  let token: StandardRetryToken = await strategy.acquireInitialRetryToken('datadog-wif');
  const started = Date.now();
  const remaining = () => req.timeoutMs - (Date.now() - started);
  let attempts = 0;
  const url = safeUrl(req.url);

  for (;;) {
    const left = remaining();
    if (left <= 0) throw timeoutError(url, req.timeoutMs);
    attempts++;
    let response: HttpResponse | undefined;
    let error: unknown;
    try {
      response = await sendOnce(req, left, req.timeoutMs);
    } catch (err) {
      error = err;
    }
    const errorType = response ? classifyStatus(response.status, options.retry) : classifyError(error, options.retry);
    const hintMs = response ? parseRetryAfter(response.headers, now()) : undefined;
    const done = (): RetriedResponse => {
      if (!response) throw error;
      const out: RetriedResponse = { ...response, attempts };
      if ((response.status === 429 || response.status === 503) && hintMs !== undefined) out.retryAfterMs = hintMs;
      return out;
    };
    if (!errorType) {
      if (response && response.status < 300) strategy.recordSuccess(token);
      return done();
    }
    // The server asked for longer than we are willing to wait: report it.
    if (hintMs !== undefined && hintMs > maxWaitMs) return done();
    try {
      token = await strategy.refreshRetryTokenForRetry(token, { errorType });
    } catch {
      return done(); // attempts or retry capacity spent
    }
    const backoff = Math.max(token.getRetryDelay(), strategy.takePlannedDelay());
    const wait = Math.min(Math.max(backoff, hintMs ?? 0), maxWaitMs);
    if (wait >= remaining()) return done();
    if (wait > 0) await abortable(sleep(wait), req.signal, () => cancelledError(url));
    if (req.signal?.aborted) throw cancelledError(url);
  }
}

function safeUrl(raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    return new URL('about:blank');
  }
}
