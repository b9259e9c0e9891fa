// A minimal LSP client over stdio, written for the tests so that they depend
// on nothing but the protocol: Content-Length framing, requests with ids,
// notifications, and answers to the requests a server sends to its client
// (workspace/configuration, client/registerCapability, …).
//
// This module has no side effects: the test runner may load it as a file of
// its own without anything happening.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface Message {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** A response error from the server, with its JSON-RPC error code. */
export class ResponseError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export interface Received {
  method: string;
  params: unknown;
  /** Milliseconds since the client started. */
  at: number;
}

export type ServerRequestHandler = (params: unknown) => unknown | Promise<unknown>;

export interface SpawnOptions {
  /** Options of node itself, before the script (the extension's: SERVER_NODE_FLAGS). */
  nodeArgs?: readonly string[];
  args?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Default timeout of requests and waits, in ms. */
  timeoutMs?: number;
}

/**
 * Splits a byte stream into JSON-RPC messages. Content-Length counts bytes
 * (UTF-8), not characters; other headers (Content-Type) are accepted and
 * ignored.
 */
export class MessageReader {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly onMessage: (m: Message) => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const headers = this.buffer.subarray(0, headerEnd).toString('ascii').split('\r\n');
      let length = -1;
      for (const h of headers) {
        const m = /^content-length:\s*(\d+)\s*$/i.exec(h);
        if (m) length = Number(m[1]);
      }
      if (length < 0) throw new Error(`LSP message without Content-Length: ${JSON.stringify(headers)}`);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const body = this.buffer.subarray(start, start + length).toString('utf8');
      this.buffer = this.buffer.subarray(start + length);
      this.onMessage(JSON.parse(body) as Message);
    }
  }
}

export function frame(message: Message): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  method: string;
  predicate: (params: any) => boolean;
  since: number;
  resolve: (params: any) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class LspClient {
  /** Every notification from the server, in order. */
  readonly notifications: Received[] = [];
  /** Every request from the server, in order (after it was answered). */
  readonly serverRequests: Received[] = [];
  /** What the server wrote on stderr. */
  stderr = '';
  /** Resolves when the server process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The value answered to workspace/configuration, by section ('' for no section). */
  settings: Record<string, unknown> = {};
  /**
   * Per workspace folder (its URI), the value answered to an item whose
   * scopeUri is that folder or under it, by section; other items get `settings`.
   */
  folderSettings: Record<string, Record<string, unknown>> = {};

  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly waiters = new Set<Waiter>();
  private readonly handlers = new Map<string, ServerRequestHandler>();
  private readonly started = Date.now();
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly timeoutMs: number;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    timeoutMs: number,
  ) {
    this.timeoutMs = timeoutMs;
    const reader = new MessageReader((m) => this.dispatch(m));
    child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        const err = new Error(`the language server exited (code ${code}, signal ${signal})${this.stderr ? `; stderr:\n${this.stderr}` : ''}`);
        for (const p of this.pending.values()) {
          clearTimeout(p.timer);
          p.reject(err);
        }
        this.pending.clear();
        for (const w of this.waiters) {
          clearTimeout(w.timer);
          w.reject(err);
        }
        this.waiters.clear();
        resolve({ code, signal });
      });
    });
    // Writing to a server that died must fail the test, not the test runner.
    child.stdin.on('error', () => undefined);

    this.handlers.set('workspace/configuration', (params) => {
      const items = (params as { items?: { section?: string; scopeUri?: string }[] } | undefined)?.items ?? [];
      return items.map((i) => this.settingsFor(i.scopeUri)[i.section ?? ''] ?? null);
    });
    this.handlers.set('client/registerCapability', () => null);
    this.handlers.set('client/unregisterCapability', () => null);
    this.handlers.set('window/workDoneProgress/create', () => null);
    this.handlers.set('window/showMessageRequest', () => null);
    this.handlers.set('workspace/applyEdit', () => ({ applied: false, failureReason: 'the test client does not apply edits' }));
  }

  /** Starts `node <serverJs> --stdio` (or the given args). */
  static start(serverJs: string, options: SpawnOptions = {}): LspClient {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), serverJs, ...(options.args ?? ['--stdio'])], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new LspClient(child, options.timeoutMs ?? 10_000);
  }

  /** The settings for a scope: those of the innermost folder of `folderSettings` holding it, else `settings`. */
  settingsFor(scopeUri: string | undefined): Record<string, unknown> {
    if (scopeUri === undefined) return this.settings;
    const folder = Object.keys(this.folderSettings)
      .filter((f) => scopeUri === f || scopeUri.startsWith(f.replace(/\/+$/, '') + '/'))
      .sort((a, b) => b.length - a.length)[0];
    return folder === undefined ? this.settings : this.folderSettings[folder];
  }

  get isAlive(): boolean {
    return this.exitInfo === undefined;
  }

  /** Milliseconds since the client started. */
  now(): number {
    return Date.now() - this.started;
  }

  /** A mark in the notification log: waits `since` it only see what came after. */
  mark(): number {
    return this.notifications.length;
  }

  onRequest(method: string, handler: ServerRequestHandler): void {
    this.handlers.set(method, handler);
  }

  request<R = any>(method: string, params?: unknown, timeoutMs = this.timeoutMs): Promise<R> {
    if (!this.isAlive) return Promise.reject(new Error(`request ${method}: the server has exited`));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`request ${method} (id ${id}) got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params?: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** Sends raw bytes (for tests of the framing itself). */
  writeRaw(bytes: Buffer | string): void {
    this.child.stdin.write(bytes);
  }

  /**
   * The first notification `method` at or after `since` (a mark) that
   * satisfies `predicate`: one already received, or the next one to come.
   */
  waitForNotification<P = any>(method: string, predicate: (params: P) => boolean = () => true, options: { since?: number; timeoutMs?: number } = {}): Promise<P> {
    const since = options.since ?? 0;
    for (let i = since; i < this.notifications.length; i++) {
      const n = this.notifications[i];
      if (n.method === method && safely(predicate, n.params as P)) return Promise.resolve(n.params as P);
    }
    if (!this.isAlive) return Promise.reject(new Error(`waiting for ${method}: the server has exited`));
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new Promise<P>((resolve, reject) => {
      const waiter: Waiter = {
        method,
        predicate: predicate as (p: any) => boolean,
        since,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const seen = this.notifications
            .slice(since)
            .filter((n) => n.method === method)
            .map((n) => JSON.stringify(n.params).slice(0, 300));
          reject(new Error(`no ${method} notification matched within ${timeoutMs} ms; received since the mark:\n${seen.join('\n') || '(none)'}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves with the next server request `method` (one already answered counts too, from `since`). */
  waitForServerRequest(method: string, options: { since?: number; timeoutMs?: number } = {}): Promise<Received> {
    const since = options.since ?? 0;
    const deadline = Date.now() + (options.timeoutMs ?? this.timeoutMs);
    return new Promise((resolve, reject) => {
      const poll = () => {
        const found = this.serverRequests.slice(since).find((r) => r.method === method);
        if (found) return resolve(found);
        if (!this.isAlive) return reject(new Error(`waiting for the ${method} request: the server has exited`));
        if (Date.now() > deadline) return reject(new Error(`the server sent no ${method} request`));
        setTimeout(poll, 10);
      };
      poll();
    });
  }

  /** Notifications of one method received from `since` on. */
  received(method: string, since = 0): unknown[] {
    return this.notifications.slice(since).filter((n) => n.method === method).map((n) => n.params);
  }

  /** The LSP handshake: initialize, then initialized. Returns the InitializeResult. */
  async initialize(params: Record<string, unknown>): Promise<any> {
    const result = await this.request('initialize', { processId: process.pid, rootUri: null, workspaceFolders: null, ...params });
    this.notify('initialized', {});
    return result;
  }

  /** shutdown, exit, and the process's exit code. */
  async shutdown(timeoutMs = this.timeoutMs): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    await this.request('shutdown', null, timeoutMs);
    this.notify('exit');
    return withTimeout(this.exited, timeoutMs, 'the server did not exit after shutdown/exit');
  }

  /** Ends the server however it is: for `after` hooks. */
  async dispose(): Promise<void> {
    if (!this.isAlive) return;
    try {
      await this.shutdown(2_000);
    } catch {
      this.child.kill('SIGKILL');
      await withTimeout(this.exited, 2_000, 'the server did not die').catch(() => undefined);
    }
  }

  private write(message: Message): void {
    if (!this.isAlive || this.child.stdin.destroyed) return;
    this.child.stdin.write(frame(message));
  }

  private dispatch(m: Message): void {
    if (m.method !== undefined && m.id !== undefined && m.id !== null) {
      void this.answer(m);
      return;
    }
    if (m.method !== undefined) {
      const n: Received = { method: m.method, params: m.params, at: this.now() };
      this.notifications.push(n);
      for (const w of [...this.waiters]) {
        if (w.method === m.method && this.notifications.length - 1 >= w.since && safely(w.predicate, m.params)) {
          clearTimeout(w.timer);
          this.waiters.delete(w);
          w.resolve(m.params);
        }
      }
      return;
    }
    if (typeof m.id === 'number') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.error) p.reject(new ResponseError(m.error.code, `${p.method}: ${m.error.message}`, m.error.data));
      else p.resolve(m.result ?? null);
    }
  }

  private async answer(m: Message): Promise<void> {
    const handler = this.handlers.get(m.method!);
    if (!handler) {
      this.serverRequests.push({ method: m.method!, params: m.params, at: this.now() });
      this.write({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: `the test client does not handle ${m.method}` } });
      return;
    }
    try {
      const result = await handler(m.params);
      this.serverRequests.push({ method: m.method!, params: m.params, at: this.now() });
      this.write({ jsonrpc: '2.0', id: m.id, result: result ?? null });
    } catch (err) {
      this.serverRequests.push({ method: m.method!, params: m.params, at: this.now() });
      this.write({ jsonrpc: '2.0', id: m.id, error: { code: -32603, message: err instanceof Error ? err.message : String(err) } });
    }
  }
}

function safely<P>(predicate: (p: P) => boolean, params: P): boolean {
  try {
    return predicate(params);
  } catch {
    return false;
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${message} (after ${ms} ms)`)), ms);
    }),
  ]);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
