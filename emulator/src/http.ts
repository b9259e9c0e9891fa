// The small HTTP vocabulary both emulated servers share: one request/response
// pair with its body reader and the senders that record what was answered.
// Recording happens as the answer is written (not on 'finish') so a test that
// awaited its response always finds its request in the log.

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

export type ServerName = 'api' | 'sts';

/** One request the emulator saw: no headers, no bodies, so nothing secret is ever kept. */
export interface RecordedRequest {
  server: ServerName;
  method: string;
  path: string;
  /** The status answered; 0 when the socket was held or reset by a fault. */
  status: number;
}

/** The largest body the emulator reads; a proof exchange sends none, a mapping a few hundred bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLarge extends Error {}

/** One request being answered. */
export class HttpExchange {
  readonly method: string;
  /** The path without its query. */
  readonly path: string;
  /** The request target as received (path and query). */
  readonly target: string;
  private answered = false;

  constructor(
    readonly server: ServerName,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly log: RecordedRequest[],
  ) {
    this.method = req.method ?? 'GET';
    this.target = req.url ?? '/';
    const q = this.target.indexOf('?');
    this.path = q < 0 ? this.target : this.target.slice(0, q);
  }

  /** A header's value; repeated headers joined with `, `. */
  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  /** Whether the peer is on this machine (the control endpoints answer nobody else). */
  get fromLoopback(): boolean {
    const a = this.req.socket.remoteAddress ?? '';
    return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
  }

  get isAnswered(): boolean {
    return this.answered;
  }

  readBody(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      this.req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          reject(new BodyTooLarge(`request body over ${MAX_BODY_BYTES} bytes`));
          this.req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      this.req.on('end', () => resolve(Buffer.concat(chunks)));
      this.req.on('error', reject);
    });
  }

  /** Records the request with the status it got, once. */
  record(status: number): void {
    if (this.answered) return;
    this.answered = true;
    this.log.push({ server: this.server, method: this.method, path: this.path, status });
  }

  send(status: number, body: string | Buffer = '', headers: OutgoingHttpHeaders = {}): void {
    if (this.answered) return;
    this.record(status);
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.res.writeHead(status, { ...headers, 'content-length': payload.length });
    this.res.end(status === 204 || status === 304 ? undefined : payload);
  }

  json(status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
    this.send(status, JSON.stringify(value), { 'content-type': 'application/json', ...headers });
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusTitle(status: number): string {
  return TITLES[status] ?? `HTTP ${status}`;
}

/** One JSON:API error object (the "objects" shape of PROTOCOL.md §3). */
export interface ApiErrorObject {
  status: string;
  title: string;
  detail: string;
  source?: { pointer: string };
}

export function errorObject(status: number, detail: string, pointer?: string): ApiErrorObject {
  return { status: String(status), title: statusTitle(status), detail, ...(pointer ? { source: { pointer } } : {}) };
}

/** `{"errors":[{status,title,detail,source?}]}`. */
export function sendErrorObjects(ex: HttpExchange, status: number, detail: string, pointer?: string): void {
  ex.json(status, { errors: [errorObject(status, detail, pointer)] });
}

/** `{"errors":["text"]}`: the other shape Datadog answers with, even from the same endpoint. */
export function sendErrorStrings(ex: HttpExchange, status: number, ...messages: string[]): void {
  ex.json(status, { errors: messages });
}
