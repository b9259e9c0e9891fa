// The incremental lint of a datadog.yaml: the text kept as a list of
// segments, each read alone, so that an edit re-parses only the segments it
// touched and the rest is reused as it is.
//
// A segment is one of:
//   - a block: a top-level key line (`name:` at column 0) and the lines that
//     belong to it: indented lines, and comment or blank lines between them;
//   - a run of comment and blank lines (at most CHUNK_LINES of them) after a
//     block's last indented line, or before the first block;
//   - junk: a line at column 0 that is neither a key, a comment nor blank
//     (`---`, `%YAML`, `- item`, `[`, a tab, a BOM, a key being typed…), with
//     the lines after it up to the next block.
//
// A block read alone parses as it does inside the whole text when nothing
// crosses its edges. What could cross is caught where the block is read:
//   - a quote or a flow collection left open at the block's end, a mistake
//     the parser recovers from differently with more text after it: a block
//     with syntax errors is parsed a second time with a top-level key after
//     it (PROBE); unless that key comes out as a pair of its own and the
//     errors stay exactly the same, the text is "unsafe" (so is an error that
//     stops the YAML stream, and any junk line: a directive, a document
//     marker…);
//   - anchors, aliases and merge keys at the top level tie blocks together:
//     a block with an anchor or an alias (the only way to merge another
//     block) is unsafe; `<<` at column 0 is junk;
//   - a lone CR (a line break to LSP, not to the parser) is unsafe;
//   - the comment and blank lines after a block are neutral to the parser
//     except where they are not: a block scalar (`|`, `>`) may take them as
//     its text, and an empty value or list item ends where the next key
//     starts, past them. A block whose parse places any node differently with
//     comment lines after it (TRAILING_PROBE), or that has a block scalar,
//     keeps the comment lines that follow it.
// While the text is unsafe, the service lints it whole (parseAllDocuments,
// as ever); the segments are still kept up to date, so the fast path comes
// back with the edit that removes the last unsafe thing. A comment or blank
// line is text to no block: it needs no parse, only the scans every line gets
// (disallowed characters, suppression comments).
//
// The rules then run on a document made of the top-level pairs that matter
// to them (RELEVANT_KEYS, or a block that mentions `delegated_auth` or
// `arn_pattern`), parsed once per block and moved to their current offsets;
// what looks across every block (duplicate top-level keys, disallowed
// characters' cap, suppressions, the findings' cap) is put together from each
// block's summary. An edit costs the blocks it touched (a second parse of
// one with comment lines after it or with syntax errors), the relevant
// blocks' rules (their nodes moved when the edit is above them), a few steps
// per segment after the edit (offsets; no text is read), and two compares
// of the old and new text at memory speed to find what changed.

import { Document, YAMLMap, isAlias, isMap, isPair, isScalar, isSeq, type Pair } from 'yaml';
import type { Finding, Range } from '../common/types';
import { TextIndex, firstIndentationIn, type LineTable } from '../common/textIndex';
import { FindingCollector, addSuppression, filterOf, suppressedLines, type SeverityOverrides } from '../common/filter';
import { utf8Length } from '../common/inputGuard';
import { MAX_REPORTED_RUNS, disallowedRuns } from './rules/characters';
import { MAX_SYNTAX_FINDINGS, STREAM_ECHO, reportSyntaxErrors } from './rules/syntax';
import { AgentRuleContext } from './context';
import { YAML_OPTIONS, byStart, judgeAgentModel, parseAgentYaml } from './lint';
import { extractAgentModel, type AgentModel, type DuplicateKey } from './model';
import { rawKeyText, type Span } from './yamlTree';
import { lastAtOrBelow } from '../common/sortedSearch';

/** The model syntax errors are reported against: no alias, so nothing is reported once for several users. */
const EMPTY_MODEL: AgentModel = { sections: [], duplicates: [], directives: [], arnPatterns: [], aliasedSpans: [] };

type Suppressions = Map<number, Set<string> | 'all'>;

/** Blocks read alone (parsed) and their characters, counted for the tests (never timed). */
export const blockWork = { blocks: 0, chars: 0 };

/** A run of comment lines is cut every this many lines, so an edit in a long comment rescans little. */
const CHUNK_LINES = 64;

/**
 * Top-level keys some rule reads (model.ts: the sections and their parents,
 * `site`, `api_key`, `additional_endpoints` and `apm_config` for `DELA(…)`,
 * `type` for ARN pattern groups, `dd_url` for login targets). Other blocks
 * matter to the rules only by their key (duplicates) or when they mention
 * `delegated_auth` or `arn_pattern`.
 */
const RELEVANT_KEYS = new Set(['delegated_auth', 'site', 'api_key', 'logs_config', 'remote_configuration', 'evp_proxy_config', 'ol_proxy_config', 'additional_endpoints', 'apm_config', 'type', 'arn_pattern', 'dd_url']);

/** What follows a block with syntax errors in its second parse: another block's key line. */
const PROBE = '__dd_wif_probe__: 0\n';

/** A top-level key line: a plain key, its colon, then a space or the line's end. */
const KEY_LINE = /[A-Za-z_][A-Za-z0-9_.\-/]*:(?=[ \r\n]|$)/y;

/** A block scalar's header (`key: |`, `- >-`), or something like it: such a block keeps the comment lines after it. */
const BLOCK_SCALAR = /(?:^|[\s:\-?,[{])[|>][-+0-9]*[ \t]*(?:#[^\n]*)?\r?$/m;

interface Segment {
  kind: 'block' | 'comment' | 'junk';
  length: number;
  /** Where the lines that begin in the segment start, from its start ([0, …]). */
  lineStarts: Int32Array;
  /** Its size in UTF-8 (the input guard's limit). */
  bytes: number;
  /** False when something in it may cross its edges (see the top of this file). */
  safe: boolean;
  /** Disallowed-character findings, lines counted from the segment's first. */
  runs?: Finding[];
  /** Blocks: agent/yaml-syntax findings of its parse, lines counted from its first. */
  syntax?: Finding[];
  moreRuns: number;
  /** Suppression comments, lines counted from the segment's first (a comment alone on the last line covers the next segment's first). */
  suppressions?: Suppressions;
  /** Blocks: the top-level key, where it is (from the segment's start), whether the block swallowed the comments after it. */
  key?: string;
  keySpan?: Span;
  swallows?: boolean;
  /** Blocks: TextIndex.firstIndentation of its text. */
  firstIndent?: number;
  /** Relevant blocks: the parsed block, its offsets moved to `docBase`; what it mentions. */
  doc?: Document;
  docBase: number;
  mentions?: { delegatedAuth: boolean; arnPattern: boolean; dela: boolean };
}

/** How a line starts: Key, Indented content, Comment or blank, or Junk. */
type LineClass = 'K' | 'I' | 'C' | 'J';

function classify(text: string, i: number): LineClass {
  const c = text.charCodeAt(i);
  if (i >= text.length || c === 10 || c === 13 || c === 35 /* # */) return 'C';
  if (c === 32) {
    let j = i + 1;
    while (text.charCodeAt(j) === 32) j++;
    const d = text.charCodeAt(j);
    return j >= text.length || d === 10 || d === 13 || d === 35 ? 'C' : 'I';
  }
  KEY_LINE.lastIndex = i;
  return KEY_LINE.test(text) ? 'K' : 'J';
}

/** Whether some line at column 0 is junk (see the top of this file): a scan, no parse. */
export function hasJunkLine(text: string): boolean {
  const col0 = /^[^ #\r\n]/gm;
  for (let m = col0.exec(text); m; m = col0.exec(text)) if (classify(text, m.index) === 'J') return true;
  return false;
}

/** The start of the line after the one at `i` (lines end at LF; a lone CR makes its segment unsafe). */
function nextLine(text: string, i: number, to: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 || nl >= to ? to : nl + 1;
}

interface Segmented {
  segments: Segment[];
  /** The range starts with indented lines (after comments, if any), which belong to the block before it. */
  leadingIndented: boolean;
  /** The range starts with comment lines (before its first key or junk line, or its end). */
  leadingComments: boolean;
  /** The last segment is a block that swallows the comment lines after it (they may go on past the range). */
  lastSwallows: boolean;
}

/**
 * Cuts text[from, to) into segments and reads each; `from` and `to` are line
 * starts (or the text's end). `commentsAfter`: comment lines follow `to`, in
 * segments kept as they are.
 */
function segment(text: string, from: number, to: number, commentsAfter = false): Segmented {
  const segments: Segment[] = [];
  let unitStart = from;
  let unit: 'head' | 'block' | 'junk' = 'head';
  let contentEnd = from;
  let sawIndented = false;
  let leadingIndented = false;
  let leadingComments = false;
  let lastSwallows = false;
  const flush = (end: number) => {
    if (end <= unitStart) return;
    lastSwallows = false;
    if (unit === 'head') {
      if (unitStart === from) {
        leadingIndented = sawIndented;
        leadingComments = !sawIndented;
      }
      if (sawIndented) segments.push(readSegment(text, 'junk', unitStart, end));
      else commentChunks(text, unitStart, end, segments);
    } else if (unit === 'junk') {
      segments.push(readSegment(text, 'junk', unitStart, end));
    } else {
      // A block with no comment lines after it is marked as keeping them: comments put after it later read it again.
      const trailing = contentEnd < end || (end === to && commentsAfter);
      let swallows = !trailing || BLOCK_SCALAR.test(text.slice(unitStart, contentEnd));
      let block = readSegment(text, 'block', unitStart, swallows ? end : contentEnd, !swallows);
      if (block.swallows && !swallows) {
        // Its parse reaches over the comment lines after it: read it with them.
        swallows = true;
        block = readSegment(text, 'block', unitStart, end);
      }
      block.swallows = swallows;
      const bodyEnd = swallows ? end : contentEnd;
      segments.push(block);
      commentChunks(text, bodyEnd, end, segments);
      lastSwallows = swallows;
    }
  };
  for (let i = from; i < to; ) {
    const line = classify(text, i);
    const next = nextLine(text, i, to);
    if (line === 'K' || line === 'J') {
      flush(i);
      unitStart = i;
      unit = line === 'K' ? 'block' : 'junk';
      contentEnd = next;
      sawIndented = false;
    } else if (line === 'I') {
      contentEnd = next;
      sawIndented = true;
    }
    i = next;
  }
  flush(to);
  return { segments, leadingIndented, leadingComments, lastSwallows };
}

function commentChunks(text: string, from: number, to: number, out: Segment[]): void {
  let start = from;
  let lines = 0;
  for (let i = from; i < to; ) {
    i = nextLine(text, i, to);
    if (++lines === CHUNK_LINES || i >= to) {
      out.push(readSegment(text, 'comment', start, i));
      start = i;
      lines = 0;
    }
  }
}

/** Reads one segment alone: its lines, size, characters, suppressions and, for a block, its parse. */
/** `trailing`: comment lines follow the block in other segments (see readBlock). */
function readSegment(text: string, kind: Segment['kind'], start: number, end: number, trailing = false): Segment {
  const body = text.slice(start, end);
  const index = new TextIndex(body);
  const lines = index.lineCount - (body.length > 0 && isLineBreak(body.charCodeAt(body.length - 1)) ? 1 : 0);
  const lineStarts = new Int32Array(Math.max(lines, 1));
  for (let l = 0; l < lines; l++) lineStarts[l] = index.lineStart(l);
  // Every field from the start: one shape for all segments keeps the per-edit walk over them fast.
  const seg: Segment = {
    kind,
    length: body.length,
    lineStarts,
    bytes: utf8Length(body),
    safe: kind !== 'junk',
    runs: undefined,
    syntax: undefined,
    moreRuns: 0,
    suppressions: undefined,
    key: undefined,
    keySpan: undefined,
    swallows: false,
    firstIndent: undefined,
    doc: undefined,
    docBase: 0,
    mentions: undefined,
  };
  if (kind === 'junk') return seg;
  if (body.includes('\r') && /\r(?!\n)/.test(body)) seg.safe = false;
  const { runs, more } = disallowedRuns(index);
  if (runs.length) {
    seg.runs = runs;
    seg.moreRuns = more;
  }
  if (body.includes('datadog-wif-ignore')) {
    const s = suppressedLines(body, 'yaml');
    if (s.size) seg.suppressions = s;
  }
  if (kind === 'block') readBlock(seg, body, index, trailing);
  return seg;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

function parseBlock(body: string): Document[] {
  blockWork.blocks++;
  blockWork.chars += body.length;
  return parseAgentYaml(body);
}

/** The one top-level pair of a block's parse, or undefined. */
function onlyPair(doc: Document | undefined): Pair | undefined {
  const root = doc?.contents;
  return isMap(root) && root.items.length === 1 && isPair(root.items[0]) ? (root.items[0] as Pair) : undefined;
}

/**
 * Whether a block's syntax errors are its own: parsed again with a key line
 * after it, that key is a pair of its own and the errors are the same (a
 * quote or bracket left open, or a recovery that reads on, would take the
 * key in or change an error).
 */
function errorsStayInside(body: string, doc: Document): boolean {
  // An error at the block's end is placed on the next block's first line (and its range reads that line).
  if (doc.errors.some((e) => STREAM_ECHO.test(e.message) || e.pos[0] >= body.length || e.pos[1] > body.length)) return false;
  if (!isLineBreak(body.charCodeAt(body.length - 1))) return false;
  const probed = parseBlock(body + PROBE);
  const root = probed.length === 1 ? probed[0].contents : undefined;
  if (!isMap(root) || root.items.length !== 2) return false;
  const key = (root.items[1] as Pair).key;
  if (!isScalar(key) || key.value !== '__dd_wif_probe__' || key.range?.[0] !== body.length) return false;
  const same = (a: Document['errors'], b: Document['errors']) => a.length === b.length && a.every((e, i) => e.code === b[i].code && e.message === b[i].message && e.pos[0] === b[i].pos[0] && e.pos[1] === b[i].pos[1]);
  return same(doc.errors, probed[0].errors);
}

/**
 * Comment and blank lines of each kind, after a block: if the block's parse
 * places any node differently with them after it (a list item with no value
 * ends where the next key starts, past the comments), the block keeps the
 * comment lines that follow it, as it keeps them after a block scalar.
 */
const TRAILING_PROBE = '#\n  #\n\n#\n';

/**
 * Whether two parses of one block place every node the same (start and end
 * of value), below the root map (whose end is the document's; the rules read
 * the blocks' pairs, never it).
 */
function sameRanges(a: Document, b: Document): boolean {
  const left: unknown[] = [onlyPair(a)];
  const right: unknown[] = [onlyPair(b)];
  while (left.length) {
    const x = left.pop();
    const y = right.pop();
    if (isPair(x) || isPair(y)) {
      if (!isPair(x) || !isPair(y)) return false;
      left.push(x.key, x.value);
      right.push(y.key, y.value);
      continue;
    }
    const rx = (x as { range?: number[] | null } | null)?.range;
    const ry = (y as { range?: number[] | null } | null)?.range;
    if (!rx !== !ry || (rx && ry && (rx[0] !== ry[0] || rx[1] !== ry[1]))) return false;
    const ix = isMap(x) || isSeq(x) ? x.items : undefined;
    const iy = isMap(y) || isSeq(y) ? y.items : undefined;
    if (!ix !== !iy || (ix && iy && ix.length !== iy.length)) return false;
    // One at a time: a spread of a list of 140,000 items overflows the stack.
    if (ix && iy) for (let i = 0; i < ix.length; i++) {
      left.push(ix[i]);
      right.push(iy[i]);
    }
  }
  return true;
}

function readBlock(seg: Segment, body: string, index: TextIndex, trailing: boolean): void {
  seg.firstIndent = firstIndentationIn(body);
  const docs = parseBlock(body);
  const doc = docs.length === 1 ? docs[0] : undefined;
  const pair = onlyPair(doc);
  if (!doc || !pair || !isScalar(pair.key) || !pair.key.range || ((body.includes('&') || body.includes('*')) && linksNodes(doc)) || (doc.errors.length > 0 && !errorsStayInside(body, doc))) {
    seg.safe = false;
    return;
  }
  if (trailing) {
    const probed = parseBlock(body + TRAILING_PROBE);
    if (probed.length !== 1 || !sameRanges(doc, probed[0]) || probed[0].errors.length !== doc.errors.length) {
      // The caller reads the block again with its comment lines.
      seg.swallows = true;
      return;
    }
  }
  if (doc.errors.length) {
    const syntax: Finding[] = [];
    reportSyntaxErrors(new AgentRuleContext(EMPTY_MODEL, index, { add: (f) => syntax.push(f) }), doc.errors, doc);
    seg.syntax = syntax;
  }
  const key = rawKeyText(pair.key, doc);
  if (key === undefined) {
    seg.safe = false;
    return;
  }
  seg.key = key;
  seg.keySpan = { start: pair.key.range[0], end: pair.key.range[1] };
  const delegatedAuth = body.includes('delegated_auth');
  const arnPattern = body.includes('arn_pattern');
  if (RELEVANT_KEYS.has(key) || delegatedAuth || arnPattern) {
    seg.doc = doc;
    seg.mentions = { delegatedAuth, arnPattern, dela: body.includes('DELA(') };
  }
}

/**
 * Visits every node of a parsed block (pairs are walked through, not
 * visited), without recursion; stops at the first visit that returns true,
 * and says whether one did.
 */
function someNode(doc: Document, visit: (node: object) => boolean | void): boolean {
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    if (visit(node)) return true;
    if (isMap(node) || isSeq(node)) for (const item of node.items) stack.push(item);
  }
  return false;
}

/** Whether a parsed block has an anchor or an alias (which tie it to other blocks). */
function linksNodes(doc: Document): boolean {
  return someNode(doc, (node) => isAlias(node) || !!(node as { anchor?: string }).anchor);
}

/** Moves a parsed block's offsets by `delta`. */
function shiftNodes(doc: Document, delta: number): void {
  someNode(doc, (node) => {
    const n = node as { range?: [number, number, number] | null };
    if (n.range) n.range = [n.range[0] + delta, n.range[1] + delta, n.range[2] + delta];
  });
}

/** How many leading characters two texts share; compared a chunk at a time (string equality is a memory compare). */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  for (let chunk = 1024; i + chunk <= n && a.slice(i, i + chunk) === b.slice(i, i + chunk); chunk = Math.min(chunk * 2, 1 << 16)) i += chunk;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** How many trailing characters two texts share, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  for (let chunk = 1024; i + chunk <= max && a.slice(a.length - i - chunk, a.length - i) === b.slice(b.length - i - chunk, b.length - i); chunk = Math.min(chunk * 2, 1 << 16)) i += chunk;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/** A finding read in a segment, placed at the segment's first line. */
function moved(f: Finding, lines: number): Finding {
  const at = (r: Range): Range => ({ start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } });
  return { ...f, range: at(f.range) };
}

/**
 * The segments of one text, where they are, and what the whole lint needs
 * from them. `update` moves it to an edited text in place (the previous
 * text's analysis is dropped by then): what an edit did not touch is not
 * copied, only the offsets after it are moved.
 */
export class AgentBlocks implements LineTable {
  /** Offset and first line of each segment. */
  private readonly starts: number[] = [];
  private readonly startLines: number[] = [];
  count = 1;
  /** UTF-8 size of the text. */
  bytes = 0;
  private unsafe = 0;
  private runCount = 0;
  private syntaxCount = 0;
  /** Segments (by index, in order) that are relevant blocks, that have disallowed characters, that have suppressions. */
  private relevant: number[] = [];
  private withRuns: number[] = [];
  private withSuppressions: number[] = [];
  private withSyntax: number[] = [];
  /** How many blocks have each top-level key, and how many keys more than one block has. */
  private readonly keyCounts = new Map<string, number>();
  private duplicated = 0;
  private readonly segments: Segment[] = [];
  private _index: TextIndex | undefined;

  private constructor(public text: string) {}

  /** The segments of a text, every one read. */
  static build(text: string): AgentBlocks {
    const blocks = new AgentBlocks(text);
    blocks.replace(0, -1, segment(text, 0, text.length).segments);
    return blocks;
  }

  /**
   * Moves to `text`, an edited version of the current one: the segments the
   * edit touched are read again, the others kept (their offsets moved).
   */
  update(text: string): AgentBlocks {
    const old = this.text;
    const n = this.segments.length;
    this.text = text;
    this._index = undefined;
    if (n === 0 || old.length === 0) {
      this.replace(0, n - 1, segment(text, 0, text.length).segments);
      return this;
    }
    const p = commonPrefix(old, text);
    const s = commonSuffix(old, text, Math.min(old.length, text.length) - p);
    const delta = text.length - old.length;
    // The segment before the change too when it starts at a segment's start (a CR there could pair with a new LF).
    let first = this.segmentAt(Math.max(p - 1, 0));
    // The segment holding the first unchanged character: a line break deleted before it changes its first line.
    let last = this.segmentAt(Math.min(old.length - s, old.length - 1));
    for (;;) {
      const from = this.starts[first];
      const to = this.starts[last] + this.segments[last].length + delta;
      const r = segment(text, from, to, last + 1 < n && this.segments[last + 1].kind === 'comment');
      if (first > 0 && (r.leadingIndented || (r.leadingComments && this.segments[first - 1].swallows))) {
        // Indented lines belong to the block above (and comments to one that swallows them): read from there.
        first = this.unitStart(first - 1);
        continue;
      }
      if (r.lastSwallows && last + 1 < n && this.segments[last + 1].kind === 'comment') {
        while (last + 1 < n && this.segments[last + 1].kind === 'comment') last++;
        continue;
      }
      this.replace(first, last, r.segments);
      return this;
    }
  }

  /** Puts `fresh` in place of segments first..last (none when last < first) and moves the offsets after them. */
  private replace(first: number, last: number, fresh: Segment[]): void {
    const removed = this.segments.splice(first, last - first + 1, ...fresh);
    for (const s of removed) this.account(s, -1);
    for (const s of fresh) this.account(s, 1);
    const shift = fresh.length - removed.length;
    const reindex = (list: number[], has: (s: Segment) => boolean): number[] => {
      const out = list.filter((k) => k < first);
      fresh.forEach((s, i) => has(s) && out.push(first + i));
      for (const k of list) if (k > last) out.push(k + shift);
      return out;
    };
    this.relevant = reindex(this.relevant, (s) => s.doc !== undefined);
    this.withRuns = reindex(this.withRuns, (s) => s.runs !== undefined);
    this.withSuppressions = reindex(this.withSuppressions, (s) => s.suppressions !== undefined);
    this.withSyntax = reindex(this.withSyntax, (s) => s.syntax !== undefined);
    const n = this.segments.length;
    this.starts.length = n;
    this.startLines.length = n;
    let offset = first > 0 ? this.starts[first - 1] + this.segments[first - 1].length : 0;
    let line = first > 0 ? this.startLines[first - 1] + this.segments[first - 1].lineStarts.length : 0;
    for (let k = first; k < n; k++) {
      const seg = this.segments[k];
      this.starts[k] = offset;
      this.startLines[k] = line;
      offset += seg.length;
      line += seg.lineStarts.length;
    }
    if (n === 0) line = 0;
    else line = this.startLines[n - 1] + this.segments[n - 1].lineStarts.length;
    // An empty text, or one that ends with a line break, has one more (empty) line at its end.
    const text = this.text;
    this.count = line + (text.length === 0 || isLineBreak(text.charCodeAt(text.length - 1)) ? 1 : 0);
  }

  private account(s: Segment, by: 1 | -1): void {
    this.bytes += by * s.bytes;
    if (!s.safe) this.unsafe += by;
    if (s.runs) this.runCount += by * (s.runs.length + s.moreRuns);
    if (s.syntax) this.syntaxCount += by * s.syntax.length;
    this.countKey(s, by);
  }

  /** Whether the segments can be linted on their own (nothing crosses them), so `lint` answers. */
  get safe(): boolean {
    return this.unsafe === 0;
  }

  /** A TextIndex of the text made of the segments' line tables. */
  index(): TextIndex {
    return (this._index ??= new TextIndex(this.text, this));
  }

  /**
   * The findings of the text as LanguageService.lint gives them (suppressions,
   * severities, cap), or undefined when the text must be linted whole: it is
   * unsafe, or it has more disallowed characters or findings than the caps
   * let through (the notes on what was left out are about the whole text).
   */
  lint(overrides: SeverityOverrides | undefined): Finding[] | undefined {
    if (!this.safe || this.runCount > MAX_REPORTED_RUNS || this.syntaxCount > MAX_SYNTAX_FINDINGS) return undefined;
    const raw: Finding[] = [];
    // In the order a whole lint reports them: disallowed characters, syntax errors, then the rules.
    for (const k of this.withRuns) for (const f of this.segments[k].runs!) raw.push(moved(f, this.startLines[k]));
    for (const k of this.withSyntax) for (const f of this.segments[k].syntax!) raw.push(moved(f, this.startLines[k]));
    const doc = this.rulesDocument();
    if (doc) {
      const model = extractAgentModel(doc, this.text, (word) => this.mentions(word));
      // Duplicate top-level keys are found among every block's key, not only the relevant ones.
      if (model.sections.some((s) => s.supported)) model.duplicates = [...this.rootDuplicates(), ...model.duplicates.filter((d) => d.mapPath !== '')];
      judgeAgentModel(model, doc, this.index(), { add: (f) => raw.push(f) });
    }
    const suppressions: Suppressions = new Map();
    for (const k of this.withSuppressions) for (const [line, codes] of this.segments[k].suppressions!) addSuppression(suppressions, line + this.startLines[k], codes);
    const collector = new FindingCollector(filterOf(suppressions, overrides));
    for (const f of raw) collector.add(f);
    if (collector.omitted > 0) return undefined;
    return collector.findings().sort(byStart);
  }

  /**
   * One document made of the relevant blocks' top-level pairs, at their
   * offsets in the text: what the rules (and login targets) read. Undefined
   * when no block is relevant (no rule finds anything then).
   */
  rulesDocument(): Document | undefined {
    if (!this.safe || this.relevant.length === 0) return undefined;
    const pairs: Pair[] = [];
    for (const k of this.relevant) {
      const seg = this.segments[k];
      const doc = seg.doc!;
      if (seg.docBase !== this.starts[k]) {
        shiftNodes(doc, this.starts[k] - seg.docBase);
        seg.docBase = this.starts[k];
      }
      pairs.push((doc.contents as YAMLMap).items[0] as Pair);
    }
    const root = new YAMLMap();
    root.items = pairs;
    const start = this.starts[this.relevant[0]];
    root.range = [start, this.text.length, this.text.length];
    const doc = new Document(null, YAML_OPTIONS);
    doc.contents = root;
    return doc;
  }

  /** Whether a relevant block mentions a word (model.ts only skips work with it; no alias is left to find). */
  private mentions(word: string): boolean {
    const which = word === 'delegated_auth' ? 'delegatedAuth' : word === 'arn_pattern' ? 'arnPattern' : word === 'DELA(' ? 'dela' : undefined;
    return which !== undefined && this.relevant.some((k) => this.segments[k].mentions![which]);
  }

  /** Keys written twice at the top level, as model.ts finds them in the root map (each after the first, naming the first). */
  private rootDuplicates(): DuplicateKey[] {
    const out: DuplicateKey[] = [];
    if (this.duplicated === 0) return out;
    const first = new Map<string, Span>();
    this.segments.forEach((s, k) => {
      if (s.key === undefined || (this.keyCounts.get(s.key) ?? 0) < 2) return;
      const span = { start: this.starts[k] + s.keySpan!.start, end: this.starts[k] + s.keySpan!.end };
      const prior = first.get(s.key);
      if (prior) out.push({ key: s.key, mapPath: '', keySpan: span, firstSpan: prior });
      else first.set(s.key, span);
    });
    return out;
  }

  private countKey(s: Segment, by: 1 | -1): void {
    if (s.key === undefined) return;
    const before = this.keyCounts.get(s.key) ?? 0;
    const after = before + by;
    if (after === 0) this.keyCounts.delete(s.key);
    else this.keyCounts.set(s.key, after);
    if (before < 2 && after >= 2) this.duplicated++;
    else if (before >= 2 && after < 2) this.duplicated--;
  }

  /** The block or junk segment whose unit holds segment k (comment runs belong to the unit above them). */
  private unitStart(k: number): number {
    while (k > 0 && this.segments[k].kind === 'comment') k--;
    return k;
  }

  /** The segment holding `offset` (the last one for the text's end). */
  private segmentAt(offset: number): number {
    return lastAtOrBelow(this.starts, offset);
  }

  // LineTable: the text's lines, from the segments' own tables.

  start(line: number): number {
    const n = this.segments.length;
    if (n === 0) return 0;
    const lo = lastAtOrBelow(this.startLines, line);
    const rel = line - this.startLines[lo];
    const starts = this.segments[lo].lineStarts;
    // Past the last segment's lines: the empty line after a final line break.
    return rel < starts.length ? this.starts[lo] + starts[rel] : this.text.length;
  }

  lineAt(offset: number): number {
    const n = this.segments.length;
    if (n === 0) return 0;
    const k = this.segmentAt(offset);
    const rel = offset - this.starts[k];
    const seg = this.segments[k];
    if (k === n - 1 && rel >= seg.length && this.count > this.startLines[k] + seg.lineStarts.length) return this.count - 1;
    return this.startLines[k] + lastAtOrBelow(seg.lineStarts, rel);
  }

  firstIndentation(): number | undefined {
    // Junk is read by no parse here: the whole text says (it is linted whole anyway).
    if (!this.safe) return firstIndentationIn(this.text);
    for (const s of this.segments) if (s.firstIndent !== undefined) return s.firstIndent;
    return undefined;
  }
}
