// The "Datadog WIF" output channel as everything writes to it (our commands
// and the language client): every line redacted and its control characters
// escaped (displayText, line feeds kept), so no file or server value can
// rewrite what the log shows; and the last lines kept in memory, so the
// real-VS-Code tests can check that nothing secret was ever written there.
// Everything else is the channel itself. The channel object VS Code hands out
// is frozen, so this is a forwarding proxy over an empty target, not a patch
// of the channel.

import type * as vscode from 'vscode';
import { displayText } from '../../server/src/shared/terminalText';

/** The channel's name, which the language client shares (its lines go to the same channel). */
export const CHANNEL_NAME = 'Datadog WIF';
const MAX_LINES = 2000;
const RECORDED = new Set(['append', 'appendLine', 'replace', 'trace', 'debug', 'info', 'warn', 'error']);

export type RecordingChannel = vscode.LogOutputChannel & { readonly recent: readonly string[] };

export function recordingChannel(channel: vscode.LogOutputChannel): RecordingChannel {
  const lines: string[] = [];
  const record = (args: unknown[]) => {
    const text = args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : safeJson(a))).join(' ');
    lines.push(...text.split('\n'));
    if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
  };
  return new Proxy({} as RecordingChannel, {
    get(_target, prop) {
      if (prop === 'recent') return lines.slice();
      const value = Reflect.get(channel, prop, channel) as unknown;
      if (typeof value !== 'function') return value;
      if (typeof prop === 'string' && RECORDED.has(prop)) {
        return (...args: unknown[]) => {
          const shown = args.map((a) => (typeof a === 'string' ? displayText(a, { keepNewlines: true }) : a));
          record(shown);
          return (value as (...a: unknown[]) => unknown).apply(channel, shown);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(channel);
    },
    has(_target, prop) {
      return prop === 'recent' || prop in channel;
    },
  });
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
