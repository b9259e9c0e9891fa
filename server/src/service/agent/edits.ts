// Text edits for quick fixes on YAML, computed from the tree's offsets and the
// file's own indentation and line breaks, so a fix never reformats anything
// but what it changes.

import type { TextEdit } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import type { Span, YEntry, YMap, YScalar } from './yamlTree';

export function replaceSpan(index: TextIndex, span: Span, newText: string): TextEdit {
  return { range: index.range(span.start, span.end), newText };
}

/** Replaces a scalar's value, keeping its quoting style. */
export function replaceScalar(index: TextIndex, scalar: YScalar, value: string): TextEdit {
  const quote = scalar.style === 'single' ? "'" : scalar.style === 'double' ? '"' : '';
  // A block scalar's span runs through its final line break: keep that break.
  let end = scalar.end;
  if (scalar.style === 'block') while (end > scalar.start && /\s/.test(index.text[end - 1] ?? '')) end--;
  return replaceSpan(index, { start: scalar.start, end }, `${quote}${value}${quote}`);
}

/** Whether an entry (and its value) is written in its map rather than merged or aliased in. */
export function entryWrittenHere(entry: YEntry): boolean {
  return !entry.merged && !entry.value.viaAlias;
}

export function replaceKey(index: TextIndex, entry: YEntry, newKey: string): TextEdit {
  return replaceSpan(index, entry.keySpan, newKey);
}

/** The column of a key: the indentation its siblings share. */
export function columnOf(index: TextIndex, offset: number): number {
  return index.positionAt(offset).character;
}

/** The indentation used for the children of `map`, or `fallback` spaces deeper than `parentColumn`. */
export function childIndent(index: TextIndex, map: YMap | undefined, parentColumn: number): string {
  // Own entries come before merged ones: the first entry tells whether there is any.
  const first = map?.entries[0];
  if (first && !first.merged) return ' '.repeat(columnOf(index, first.keySpan.start));
  return ' '.repeat(parentColumn + detectIndentUnit(index));
}

/** Each text's indentation step: fixes ask once per finding, the answer is the file's (and a file without indentation is read to its end). */
const indentUnits = new WeakMap<TextIndex, number>();

/** The file's indentation step (2 when it cannot tell). */
export function detectIndentUnit(index: TextIndex): number {
  let unit = indentUnits.get(index);
  if (unit === undefined) {
    const n = index.firstIndentation() ?? 2;
    unit = n >= 1 && n <= 8 ? n : 2;
    indentUnits.set(index, unit);
  }
  return unit;
}

/**
 * The last line an entry occupies: its key line through its value's last
 * non-blank character (trailing comments and blank lines are left alone).
 */
export function lastLineOfEntry(index: TextIndex, entry: YEntry): number {
  let end = Math.max(entry.value.end, entry.keySpan.end);
  const text = index.text;
  while (end > entry.keySpan.end && /\s/.test(text[end - 1] ?? '')) end--;
  return index.positionAt(end > entry.keySpan.end ? end - 1 : entry.keySpan.start).line;
}

/** Deletes the whole lines an entry occupies (block style only). */
export function deleteEntry(index: TextIndex, entry: YEntry): TextEdit {
  const first = index.positionAt(entry.keySpan.start).line;
  const last = lastLineOfEntry(index, entry);
  return { range: index.range(index.lineStart(first), index.lineEndWithBreak(last)), newText: '' };
}

/** The source lines of an entry, re-indented so its key sits at `indent`. */
export function entryLinesAt(index: TextIndex, entry: YEntry, indent: string): string[] {
  const first = index.positionAt(entry.keySpan.start).line;
  const last = lastLineOfEntry(index, entry);
  const keyColumn = columnOf(index, entry.keySpan.start);
  const lines: string[] = [];
  for (let l = first; l <= last; l++) {
    const line = index.lineText(l);
    const strip = Math.min(keyColumn, line.length - line.trimStart().length);
    lines.push(line.trim() === '' ? '' : indent + line.slice(strip));
  }
  return lines;
}

/** Inserts whole lines right after `afterLine`. */
export function insertLinesAfter(index: TextIndex, afterLine: number, lines: string[]): TextEdit {
  const eol = index.eol;
  const at = index.lineEndWithBreak(afterLine);
  const endsWithoutBreak = at === index.text.length && !/\r?\n$/.test(index.text);
  const body = lines.join(eol);
  return { range: index.range(at, at), newText: endsWithoutBreak ? eol + body : body + eol };
}

/** The line after which a new child of `map` goes to become its last entry. */
export function lastLineOfMap(index: TextIndex, map: YMap, keyLine: number): number {
  let last = lastLines.get(map);
  if (last === undefined) {
    last = -1;
    for (const e of map.entries) if (!e.merged) last = Math.max(last, lastLineOfEntry(index, e));
    lastLines.set(map, last);
  }
  return last < 0 ? keyLine : last;
}

/** Each map's last own line, worked out once: every key moved into one map asks for it. */
const lastLines = new WeakMap<YMap, number>();
