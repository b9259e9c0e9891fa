// Fault injection: the next N requests under a path prefix get a failure
// instead of their answer, so clients can be tested against timeouts, resets,
// rate limits, server errors, garbage and redirects. A prefix `sts:/…` aims
// at the STS server instead of the Datadog API.

import type { Socket } from 'node:net';
import { type HttpExchange, errorObject, type ServerName } from './http';

export type Fault =
  /** Accept the request and never answer (until the emulator closes). */
  | { kind: 'timeout' }
  /** Destroy the socket without a response. */
  | { kind: 'reset' }
  /** Answer with this status (429 with Retry-After, 500, 503…); a JSON:API error body by default. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed' }
  /** A redirect, 302 by default: a client must not follow it with a proof. */
  | { kind: 'redirect'; location: string; status?: number };

/** A fault waiting in the table; `times` null means unlimited. */
export interface PendingFault {
  path: string;
  fault: Fault;
  times: number | null;
}

const STS_PREFIX = 'sts:';

export class FaultTable {
  private entries: { prefix: string; fault: Fault; remaining: number }[] = [];

  add(prefix: string, fault: Fault, times = 1): void {
    if (!(times > 0)) throw new Error(`times must be a positive number or Infinity, not ${times}`);
    this.entries.push({ prefix, fault: parseFault(fault), remaining: times });
  }

  clear(): void {
    this.entries = [];
  }

  /** The fault the next request on `server` at `path` gets, counting it down; first added, first used. */
  take(server: ServerName, path: string): Fault | undefined {
    const entry = this.entries.find((e) =>
      server === 'sts' ? e.prefix.startsWith(STS_PREFIX) && path.startsWith(e.prefix.slice(STS_PREFIX.length)) : !e.prefix.startsWith(STS_PREFIX) && path.startsWith(e.prefix),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.entries.splice(this.entries.indexOf(entry), 1);
    return entry.fault;
  }

  list(): PendingFault[] {
    return this.entries.map((e) => ({ path: e.prefix, fault: e.fault, times: Number.isFinite(e.remaining) ? e.remaining : null }));
  }
}

/** Checks a fault that came from outside (the control endpoint), returning a clean copy; throws a plain message. */
export function parseFault(value: unknown): Fault {
  if (typeof value !== 'object' || value === null) throw new Error('a fault is an object with a "kind"');
  const f = value as Record<string, unknown>;
  switch (f.kind) {
    case 'timeout':
    case 'reset':
    case 'malformed':
      return { kind: f.kind };
    case 'status': {
      if (typeof f.status !== 'number' || !Number.isInteger(f.status) || f.status < 100 || f.status > 599) throw new Error('a status fault needs an integer "status" between 100 and 599');
      if (f.body !== undefined && typeof f.body !== 'string') throw new Error('a status fault\'s "body" is a string');
      const headers = f.headers === undefined ? undefined : stringRecord(f.headers);
      return { kind: 'status', status: f.status, ...(headers ? { headers } : {}), ...(f.body !== undefined ? { body: f.body as string } : {}) };
    }
    case 'redirect': {
      if (typeof f.location !== 'string' || f.location === '') throw new Error('a redirect fault needs a "location"');
      if (f.status !== undefined && (typeof f.status !== 'number' || f.status < 300 || f.status > 399)) throw new Error('a redirect fault\'s "status" is a 3xx number');
      return { kind: 'redirect', location: f.location, ...(f.status !== undefined ? { status: f.status as number } : {}) };
    }
    default:
      throw new Error(`unknown fault kind ${JSON.stringify(f.kind)}: timeout, reset, status, malformed or redirect`);
  }
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('fault "headers" is an object of strings');
  for (const v of Object.values(value)) if (typeof v !== 'string') throw new Error('fault "headers" is an object of strings');
  return { ...(value as Record<string, string>) };
}

/**
 * Answers `ex` with `fault`. A held socket goes to `hold` so that closing the
 * emulator can end it: a test must never hang on the emulator.
 */
export function applyFault(ex: HttpExchange, fault: Fault, hold: (socket: Socket) => void): void {
  switch (fault.kind) {
    case 'timeout':
      ex.record(0);
      hold(ex.req.socket);
      return;
    case 'reset': {
      ex.record(0);
      const socket = ex.req.socket;
      // A TCP RST where the platform allows it, so the client sees ECONNRESET rather than a clean close.
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      return;
    }
    case 'status': {
      const body = fault.body ?? JSON.stringify({ errors: [errorObject(fault.status, `emulated fault: HTTP ${fault.status}`)] });
      ex.send(fault.status, body, { 'content-type': 'application/json', ...lower(fault.headers ?? {}) });
      return;
    }
    case 'malformed':
      ex.send(200, '<html><body>Not JSON: an emulated malformed answer', { 'content-type': 'application/json' });
      return;
    case 'redirect':
      ex.send(fault.status ?? 302, '', { location: fault.location });
      return;
  }
}

/** Header names in lower case, so a fault's `Content-Type` replaces the default rather than doubling it. */
function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
