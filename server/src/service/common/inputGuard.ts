// Decides, before any parser sees a file, whether it is text of a size worth
// parsing. A refused file gets one finding saying why and what the limit is;
// nothing else reads it. One guard for every kind of file the service reads
// (Agent YAML and Terraform alike), applied by lint, hover, completion and
// code lenses, and by the CLI on a file's size before it is even read.
//
// The limits, and why a real repository never meets them:
//   - Size: 2 MiB of UTF-8. A full Agent template (the commented
//     datadog.yaml.example) is about 180 KB; real .tf files are rarely over
//     1 MB. Parsing costs far more than the text: tree-sitter's tree for real
//     HCL takes ~80 bytes a byte (2 MiB → ~170 MB; one unclosed quote near the
//     top more than doubles it), and the YAML library ~90 bytes a byte (a
//     50 MB YAML ran out of memory at 4.3 GB). Neither terraform-ls nor
//     yaml-language-server refuses a file by size (yaml-language-server only
//     caps derived items, `maxItemsComputed`, default 5000, in
//     src/yamlSettings.ts); VS Code itself stops tokenizing a file over 20 MB
//     (`LARGE_FILE_SIZE_THRESHOLD`) and sends none over 50 MB to extensions
//     (`_MODEL_SYNC_LIMIT`), both in src/vs/editor/common/model/textModel.ts.
//     Ours is lower because the whole file is parsed at once, synchronously.
//   - Binary: more than a third of the first 8000 characters are NULs, other
//     control characters or bytes that were not UTF-8 (U+FFFD). git calls a
//     file binary on a NUL in its first 8000 bytes (`buffer_is_binary`,
//     xdiff-interface.c), Perl's -B (perlfunc -X) on about a third of odd
//     characters in its first block. A share, not a single NUL: a real file
//     with a stray NUL is still best judged as text. A UTF-16 file read as
//     UTF-8 (every other byte NUL) is refused too, and the message says so.

import { ruleInfo } from '../catalog';
import type { FileKind, Finding } from './types';

/** The largest file (UTF-8 bytes) the service parses. */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024;

/** How many leading characters decide whether a text is binary (git looks at as many bytes). */
export const BINARY_SNIFF_CHARS = 8000;

export type InputRefusal = { reason: 'too-large'; bytes: number } | { reason: 'binary' };

/**
 * Why `text` must not be parsed, or undefined when it may be. Linear, and
 * cheap for text that passes. `utf8Bytes`, when the caller knows it (the
 * incremental Agent lint adds up its blocks' sizes), spares counting them.
 */
export function checkInput(text: string, utf8Bytes?: number): InputRefusal | undefined {
  // A UTF-16 code unit is at least one UTF-8 byte: the length alone settles most texts.
  if (text.length > MAX_INPUT_BYTES) return { reason: 'too-large', bytes: utf8Bytes ?? utf8Length(text) };
  if (text.length * 3 > MAX_INPUT_BYTES) {
    const bytes = utf8Bytes ?? utf8Length(text);
    if (bytes > MAX_INPUT_BYTES) return { reason: 'too-large', bytes };
  }
  return looksBinary(text) ? { reason: 'binary' } : undefined;
}

/** The refusal for a file known only by its size on disk (the CLI asks before reading it). */
export function checkSize(bytes: number): InputRefusal | undefined {
  return bytes > MAX_INPUT_BYTES ? { reason: 'too-large', bytes } : undefined;
}

/** Whether the text looks binary (its first BINARY_SNIFF_CHARS characters decide): cheap, whatever the text's length. */
export function looksBinary(text: string): boolean {
  const n = Math.min(text.length, BINARY_SNIFF_CHARS);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // C0 controls other than tab, line feed, vertical tab, form feed and carriage return; and U+FFFD.
    if ((c < 0x20 && (c < 0x09 || c > 0x0d)) || c === 0xfffd) odd++;
  }
  return odd * 3 > n;
}

/** The UTF-8 size of a JS string (a lone surrogate counts 3, as TextEncoder writes U+FFFD for it). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** `2 MiB`, `3.5 MiB`, `512 KiB`: a size as a person reads it, rounded up (a file just over 2 MiB reads 2.1 MiB, not 2). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  const tenths = Math.ceil(value * 10);
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)} ${units[unit]}`;
}

/** The syntax code of a kind of file: a file that is not parsed is reported as one that does not parse. */
export function syntaxCode(kind: FileKind): 'agent/yaml-syntax' | 'tf/hcl-syntax' {
  return kind === 'agent' || kind === 'agent-env' ? 'agent/yaml-syntax' : 'tf/hcl-syntax';
}

/** The one finding of a refused file, at its start. */
export function refusalFinding(kind: FileKind, refusal: InputRefusal): Finding {
  const language = kind === 'agent' ? 'YAML' : kind === 'agent-env' ? 'YAML or JSON' : 'HCL';
  const message =
    refusal.reason === 'too-large'
      ? `Not checked: this file is ${formatBytes(refusal.bytes)}, and files over ${formatBytes(MAX_INPUT_BYTES)} are not parsed (a real ${kind === 'agent' ? 'Agent configuration' : kind === 'agent-env' ? 'manifest' : 'Terraform file'} is far smaller).`
      : `Not checked: this file looks binary, not ${language} text (NUL or other control characters, or bytes that are not UTF-8, in its first ${BINARY_SNIFF_CHARS} characters). A file saved as UTF-16 looks like this too: save it as UTF-8.`;
  return notCheckedFinding(kind, message);
}

/** A finding at the start of a file that could not be checked, with the file's syntax code. */
export function notCheckedFinding(kind: FileKind, message: string): Finding {
  const code = syntaxCode(kind);
  return { code, severity: ruleInfo(code)?.severity ?? 'error', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

/**
 * How long parsing a text of `chars` UTF-16 units (recovery's re-parses
 * included) may take before it is abandoned: 5 s, and 10 s more a MiB. Real
 * HCL parses at about 1 s a MiB; the worst real case measured, 2 MiB with an
 * unclosed quote near its top, took 13 s with recovery on a 2-core machine
 * running six times its load, half of the 25 s it is given. Without a limit,
 * 50 KB of hostile text (a `"` on each line) held the parser for over a minute.
 */
export function parseTimeoutMs(chars: number): number {
  return Math.round(5_000 + (10_000 * chars) / (1024 * 1024));
}
