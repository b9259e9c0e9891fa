import type { Position, Range } from './types';
import { lastAtOrBelow } from './sortedSearch';

/**
 * Where lines start in a text. The plain one is an array built by one scan;
 * the Agent lint's incremental path supplies one made of per-block tables
 * (agent/blocks.ts), so an edit does not rescan the whole text.
 */
export interface LineTable {
  readonly count: number;
  /** Offset of the first character of `line` (0 ≤ line < count). */
  start(line: number): number;
  /** The line holding `offset`: the last line whose start is ≤ offset. */
  lineAt(offset: number): number;
  /** The first indented content line's indentation, when the table knows it without reading the text (see TextIndex.firstIndentation). */
  firstIndentation?(): number | undefined;
}

/** The line starts of a text: after each LF, and after each CR not followed by LF (as LSP counts lines). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) starts.push(i + 1);
    else if (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/**
 * Converts between string offsets and LSP positions for one text. Built once
 * per lint; lookups are a binary search over line starts.
 */
export class TextIndex {
  /** The plain table's starts (the common case, searched inline); undefined when `table` is another kind. */
  private readonly lineStarts: number[] | undefined;
  private readonly table: LineTable | undefined;

  constructor(
    readonly text: string,
    table?: LineTable,
  ) {
    if (table) this.table = table;
    else this.lineStarts = lineStartsOf(text);
  }

  get lineCount(): number {
    return this.lineStarts ? this.lineStarts.length : this.table!.count;
  }

  private startOf(line: number): number {
    return this.lineStarts ? this.lineStarts[line] : this.table!.start(line);
  }

  private lineAt(o: number): number {
    const starts = this.lineStarts;
    if (!starts) return this.table!.lineAt(o);
    return lastAtOrBelow(starts, o);
  }

  positionAt(offset: number): Position {
    let o = Math.max(0, Math.min(offset, this.text.length));
    // Between the CR and LF of a CRLF is no position on any line: take the line's end.
    if (o > 0 && this.text.charCodeAt(o) === 10 && this.text.charCodeAt(o - 1) === 13) o--;
    const line = this.lineAt(o);
    return { line, character: o - this.startOf(line) };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineCount) return this.text.length;
    const start = this.startOf(pos.line);
    return Math.min(start + Math.max(0, pos.character), this.lineEnd(pos.line));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  lineStart(line: number): number {
    return this.startOf(Math.max(0, Math.min(line, this.lineCount - 1)));
  }

  /** Offset of the end of a line's content, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.lineCount) return this.text.length;
    let end = this.startOf(line + 1);
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** Offset just after a line's line break (the start of the next line), or the text's end. */
  lineEndWithBreak(line: number): number {
    return line + 1 < this.lineCount ? this.startOf(line + 1) : this.text.length;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** The line break this text uses, so inserted lines match it. */
  get eol(): string {
    const i = this.text.indexOf('\n');
    return i > 0 && this.text.charCodeAt(i - 1) === 13 ? '\r\n' : '\n';
  }

  /**
   * The indentation (in spaces) of the first line that is indented and holds
   * content (not a comment, not a list dash), or undefined: how deep the
   * file indents, for fixes that insert lines.
   */
  firstIndentation(): number | undefined {
    if (this.table?.firstIndentation) return this.table.firstIndentation();
    return firstIndentationIn(this.text);
  }
}

/** `firstIndentation` of a text read whole (the match needs the line break before the indentation). */
export function firstIndentationIn(text: string): number | undefined {
  const m = /\n( +)[^\s#-]/.exec(text);
  return m ? m[1].length : undefined;
}

export function rangeContains(range: Range, pos: Position): boolean {
  if (pos.line < range.start.line || pos.line > range.end.line) return false;
  if (pos.line === range.start.line && pos.character < range.start.character) return false;
  if (pos.line === range.end.line && pos.character > range.end.character) return false;
  return true;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
