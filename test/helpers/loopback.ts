// A loopback HTTP server for the cloud core's tests: records every request
// (method, URL, headers, body) and every request the client gave up on (its
// connection closed before the answer was complete), and lets each test
// answer as it likes.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface LoopbackServer {
  port: number;
  /** `127.0.0.1:PORT`, as an allow-list entry. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  seen: Seen[];
  /**
   * The 1-based numbers of the requests whose connection the client closed
   * before the answer was complete (a client that timed out or was cancelled
   * and dropped its socket). Closing the server does not add to it.
   */
  dropped: number[];
  /**
   * Resolves once `condition` holds, looked at as each request arrives and
   * each is dropped: no clock. Pass the test's `t.signal`: when the test's own
   * `{ timeout }` ends it, this rejects, so that its `finally` closes the server
   * (a server left open keeps the test process alive).
   */
  until(condition: () => boolean, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** `handler` gets the request once its body has arrived, with its 1-based number. */
export async function startServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void): Promise<LoopbackServer> {
  const seen: Seen[] = [];
  const dropped: number[] = [];
  let closing = false;
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const w of [...waiters]) w();
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const n = seen.length;
      res.once('close', () => {
        if (closing || res.writableFinished) return;
        dropped.push(n);
        changed();
      });
      handler(req, res, n);
      changed();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    seen,
    dropped,
    until: (condition, signal) =>
      new Promise<void>((resolve, reject) => {
        const stop = () => {
          waiters.delete(check);
          reject(new Error('stopped waiting: the test ended'));
        };
        const check = () => {
          if (!condition()) return;
          waiters.delete(check);
          signal?.removeEventListener('abort', stop);
          resolve();
        };
        if (signal?.aborted) return stop();
        signal?.addEventListener('abort', stop, { once: true });
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((r) => {
        closing = true;
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Answers JSON (a string body is sent as is, for malformed-JSON cases). */
export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
