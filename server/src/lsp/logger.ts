// The server's one logger: everything goes through redaction first.

import type { Connection } from 'vscode-languageserver/node';
import { redact } from '../shared/redact';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

export function connectionLogger(connection: Connection): Logger {
  return {
    info: (m) => connection.console.info(redact(m)),
    warn: (m) => connection.console.warn(redact(m)),
    error: (m, err) => connection.console.error(redact(err ? `${m}: ${describeError(err)}` : m)),
  };
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.message}${err.stack ? `\n${err.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  return String(err);
}

/**
 * Wraps a handler so that a throw is logged and answered with `fallback`:
 * one bad file must never take the server down.
 */
export function guarded<P extends unknown[], R>(log: Logger, name: string, fallback: R, fn: (...args: P) => R | Promise<R>): (...args: P) => Promise<R> {
  return async (...args: P) => {
    try {
      return await fn(...args);
    } catch (err) {
      log.error(`${name} failed`, err);
      return fallback;
    }
  };
}
