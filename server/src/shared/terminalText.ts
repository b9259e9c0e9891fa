// Text from files and servers, made safe to print on a terminal, in a CI log
// or in an editor's message: a value that carries ESC, BEL, CR, BS, a C1
// control or a bidirectional override could clear a screen, rewrite the line
// above, open an OSC 8 link or make a CI log lie about what it checked. Every
// such character is shown as a visible escape instead (`\x1b`, `\u202e`), so
// what was in the file is still readable, and nothing in it acts.
//
// JSON and SARIF output are left as they are: the programs that read them
// need the values exactly, and JSON.stringify already escapes the C0 controls
// (ESC, BEL, CR, BS) a terminal acts on. Pure (no I/O): the CLI, the language
// server and the client all use it.

import { redact } from './redact';

/**
 * C0 controls (TAB and, when kept, LF aside), DEL, C1 controls, the line and
 * paragraph separators, and the bidirectional embedding/override/isolate
 * controls (the "Trojan Source" set: they reorder what a reader sees).
 */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_KEEP_LF = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export interface EscapeOptions {
  /** Keep line feeds (a multi-line message of our own); a CR is escaped all the same. Default: escape them too. */
  keepNewlines?: boolean;
}

/** `text` with every control character that could act on a terminal shown as a visible escape. Linear. */
export function escapeControl(text: string, options: EscapeOptions = {}): string {
  const re = options.keepNewlines ? UNSAFE_KEEP_LF : UNSAFE;
  re.lastIndex = 0;
  return re.test(text) ? text.replace(re, visible) : text;
}

/**
 * Text ready to show a person: secrets redacted first, then control characters
 * escaped. The order matters: an escape written next to a key (`\x1b` before
 * 32 hex digits) joins it to a longer run of word characters, which redact()
 * would no longer recognise as a key.
 */
export function displayText(text: string, options: EscapeOptions = {}): string {
  return escapeControl(redact(text), options);
}
