// Caret markers for tests: write the expected places into the text itself.
//   «…»  a range (several allowed, in order)
//   ‸    the cursor (at most one)
// The markers are removed from the returned text.

import type { Position, Range } from '../../server/src/service';
import { TextIndex } from '../../server/src/service/common/textIndex';

export interface Marked {
  text: string;
  ranges: Range[];
  cursor?: Position;
}

export function marked(source: string): Marked {
  let text = '';
  const starts: number[] = [];
  const spans: [number, number][] = [];
  let cursorOffset: number | undefined;
  for (const ch of source) {
    if (ch === '«') starts.push(text.length);
    else if (ch === '»') {
      const s = starts.pop();
      if (s === undefined) throw new Error('» without «');
      spans.push([s, text.length]);
    } else if (ch === '‸') cursorOffset = text.length;
    else text += ch;
  }
  if (starts.length) throw new Error('« without »');
  spans.sort((a, b) => a[0] - b[0]);
  const index = new TextIndex(text);
  return { text, ranges: spans.map(([s, e]) => index.range(s, e)), cursor: cursorOffset === undefined ? undefined : index.positionAt(cursorOffset) };
}

/** Applies edits (non-overlapping, any order) to a text. */
export function applyEdits(text: string, edits: readonly { range: Range; newText: string }[]): string {
  const index = new TextIndex(text);
  const sorted = edits.map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Dedents a template literal so tests can indent YAML naturally. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').replace(/\n\s*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export const SHARED_DIR = require('path').resolve(__dirname, '..', '..', '..', '..', 'shared');
