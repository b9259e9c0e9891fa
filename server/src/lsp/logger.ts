// The server's one logger: everything goes through redaction first.

import { LogMessageNotification, MessageType, type Connection } from 'vscode-languageserver/node';
import { redact } from '../shared/redact';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

/**
 * At most this many log messages written to the client and not yet flushed.
 * Past it the client is not reading (or far behind): further messages are
 * dropped and counted, and the count is logged once the backlog has drained
 * to half, so a stalled client never makes the server's memory grow with logs.
 */
export const MAX_LOGS_IN_FLIGHT = 100;

export function connectionLogger(connection: Connection): Logger {
  let inFlight = 0;
  let dropped = 0;
  const send = (type: MessageType, message: string): void => {
    if (inFlight >= MAX_LOGS_IN_FLIGHT) {
      dropped++;
      return;
    }
    inFlight++;
    const written = () => {
      inFlight--;
      if (dropped > 0 && inFlight < MAX_LOGS_IN_FLIGHT / 2) {
        const n = dropped;
        dropped = 0;
        send(MessageType.Warning, `${n} log ${n === 1 ? 'message was' : 'messages were'} dropped: the client was not reading the server's output`);
      }
    };
    try {
      // The promise settles once the message is written to the client's stream (vscode-jsonrpc's writer).
      connection.sendNotification(LogMessageNotification.type, { type, message: redact(message) }).then(written, written);
    } catch {
      // The connection is closed: there is no one to tell.
      inFlight--;
    }
  };
  return {
    info: (m) => send(MessageType.Info, m),
    warn: (m) => send(MessageType.Warning, m),
    error: (m, err) => send(MessageType.Error, err ? `${m}: ${describeError(err)}` : m),
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
