// HCL parsing with tree-sitter, pure: the web-tree-sitter runtime (the Parser
// class after Parser.init, and the loaded Terraform grammar) is handed in, so
// this module reads no file. shared/treeSitter.ts loads it in Node.
//
// Offsets: web-tree-sitter parses a JS string as UTF-16, and every index it
// reports (startIndex, endIndex, Point.column) counts UTF-16 code units, not
// UTF-8 bytes. So a node's [startIndex, endIndex) slices the JS string as is,
// and the same unit is used for edits. Rows count '\n' only (a lone '\r' is
// not a line break to tree-sitter, unlike LSP), so points are computed here,
// never taken from LSP positions.
//
// Memory: a Tree, a Parser and a TreeCursor hold wasm memory that the garbage
// collector never frees. Ownership here:
//   - an HclTree owns its Tree; call delete() when it is no longer needed
//     (e.g. when the document closes). Deleting twice is harmless; using a
//     deleted HclTree throws.
//   - parseHcl(…, { tree: old }) takes ownership of `old`: it edits the old
//     tree in place, parses against it and deletes it (unless `keep` is set,
//     then a copy is edited and deleted and `old` stays valid and unchanged).
//   - one Parser per runtime is created on first use and kept for the life of
//     the process (disposeHclParser frees it); parsing is synchronous, so one
//     parser serves every document.
//   - Nodes are plain JS views of a Tree: they need no freeing but must not be
//     used after their tree is deleted. The model (model.ts) copies what it
//     needs into plain data and keeps no Node.
//   - parseRegion returns a new HclTree the caller owns (the model deletes
//     those it makes before it returns).
//   - a TreeCursor (node.walk()) must be deleted too; none is kept here.
//
// Repairs: what the grammar reads otherwise than HCL (a number with an
// exponent but no fraction, a quoted argument name) is rewritten at the same
// length before parsing (repair.ts). The tree is a parse of that `source`;
// `text` is what the user wrote, and everything reads values from it.

import type { Edit, Language, Node, Parser, Point, Range, Tree } from 'web-tree-sitter';
import { applyRepairs, findRepairs } from './repair';
import { firstAtOrAbove } from '../common/sortedSearch';

/** Offsets into the text (UTF-16 code units, as JS strings index): [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** The loaded web-tree-sitter runtime: what shared/treeSitter.ts's loadHclLanguage returns. */
export interface HclRuntime {
  /** web-tree-sitter's Parser class, after `Parser.init()`. */
  readonly Parser: new () => Parser;
  /** The Terraform grammar (tree-sitter-terraform.wasm). */
  readonly language: Language;
  /** The most memory the runtime may take (its WebAssembly memory's maximum), and what it has taken: for messages. */
  readonly maxMemoryBytes?: number;
  memoryBytes?(): number;
}

/** An LSP-style content change: `range` in 0-based lines and UTF-16 characters; no range means the whole text. */
export interface TextChange {
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

/** The previous parse of the same document, to re-parse incrementally. */
export interface PreviousParse {
  tree: HclTree;
  /**
   * The changes from `tree.text` to the new text, in the order they were made
   * (as LSP's didChange sends them). Without them, one edit is computed from
   * the old and new text (their common prefix and suffix).
   */
  changes?: readonly TextChange[];
  /** Keep `tree` valid and unchanged (a copy is edited instead). Default: `tree` is consumed. */
  keep?: boolean;
}

/** A mistake rewritten before parsing (repair.ts), at the same offsets. */
export interface SourceRepair {
  span: Span;
  kind: 'exponent' | 'quoted-name';
}

/** A parsed document: owns its tree-sitter Tree (see the ownership note at the top). */
export class HclTree {
  private _tree: Tree | undefined;

  /**
   * @param incremental whether the parse reused a previous tree.
   * @param runtime what parsed it, for parseRegion.
   * @param deadline when parsing this text has taken long enough (performance.now() time), for parseRegion.
   */
  constructor(
    readonly text: string,
    tree: Tree,
    readonly incremental: boolean,
    readonly runtime?: HclRuntime,
    readonly deadline?: Deadline,
    /** What was rewritten before parsing (repair.ts). */
    readonly repairs: readonly SourceRepair[] = [],
    /** The text the tree is a parse of: `text` with the repairs applied (same length, same offsets). */
    readonly source: string = text,
  ) {
    this._tree = tree;
  }

  get tree(): Tree {
    if (!this._tree) throw new Error('HclTree used after delete()');
    return this._tree;
  }

  get root(): Node {
    return this.tree.rootNode;
  }

  get deleted(): boolean {
    return this._tree === undefined;
  }

  /** Frees the tree's wasm memory. Idempotent. */
  delete(): void {
    const t = this._tree;
    this._tree = undefined;
    t?.delete();
  }

  /** For parseHcl: hands the tree over (this object is then deleted). */
  take(): Tree {
    const t = this.tree;
    this._tree = undefined;
    return t;
  }
}

const parsers = new WeakMap<HclRuntime, Parser>();

function parserFor(runtime: HclRuntime): Parser {
  let p = parsers.get(runtime);
  if (!p) {
    p = new runtime.Parser();
    p.setLanguage(runtime.language);
    parsers.set(runtime, p);
  }
  return p;
}

/** Frees the parser kept for `runtime` (a new one is made on the next parse). */
export function disposeHclParser(runtime: HclRuntime): void {
  parsers.get(runtime)?.delete();
  parsers.delete(runtime);
}

export interface ParseOptions {
  /**
   * Give up after this long (error recovery on a large, broken file can take
   * seconds; some 50 KB of hostile text, minutes): parseHcl then throws
   * HclParseCancelled. The re-parses of regions made from the result
   * (parseRegion) share the same time: they give up once it has passed.
   * Default: no limit.
   */
  timeoutMs?: number;
}

/** The end of a parse's time (performance.now() time) and the budget it came from. */
export interface Deadline {
  at: number;
  timeoutMs: number;
}

/** Thrown by parseHcl when `timeoutMs` ran out. A consumed previous tree is deleted all the same. */
export class HclParseCancelled extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Parsing took longer than ${timeoutMs} ms and was cancelled`);
    this.name = 'HclParseCancelled';
  }
}

// WebAssembly's own error (an abort, out-of-bounds memory, unreachable code),
// reached through globalThis: the service's TypeScript lib has no DOM types.
const WasmRuntimeError = (globalThis as { WebAssembly?: { RuntimeError?: new () => Error } }).WebAssembly?.RuntimeError;

/**
 * Whether `err` is the runtime itself failing (tree-sitter aborts when it
 * cannot allocate): nothing more can be parsed with that runtime.
 */
export function isHclRuntimeFailure(err: unknown): err is Error {
  return WasmRuntimeError !== undefined && err instanceof WasmRuntimeError;
}

/**
 * Parses `text`. With `previous`, the old tree is edited to match the new
 * text and reused, so only the changed region is re-parsed; the old tree is
 * consumed (see PreviousParse.keep). If the changes do not turn the old text
 * into `text`, the parse starts afresh rather than trust them.
 */
export function parseHcl(runtime: HclRuntime, text: string, previous?: PreviousParse, options: ParseOptions = {}): HclTree {
  const parser = parserFor(runtime);
  const deadline = options.timeoutMs === undefined ? undefined : { at: performance.now() + options.timeoutMs, timeoutMs: options.timeoutMs };
  const repairs = findRepairs(text);
  const source = applyRepairs(text, repairs);
  const make = (tree: Tree, incremental: boolean) => new HclTree(text, tree, incremental, runtime, deadline, repairs, source);
  const fresh = () => make(mustParse(parser, source, undefined, deadline), false);
  // A tree made by another runtime (one that failed and was replaced) lives in
  // that runtime's memory: it is neither reused nor freed here.
  if (!previous || previous.tree.runtime !== runtime) return fresh();
  const { tree: prev, changes, keep } = previous;
  if (prev.tree.rootNode.hasError) {
    // tree-sitter recovers differently from a reused broken tree than from
    // scratch (tree-sitter#4001): an editor would show other syntax errors than
    // `dd-wif lint`. A broken tree is therefore never reused.
    if (!keep) prev.take().delete();
    return fresh();
  }
  const old = keep ? prev.tree.copy() : prev.take();
  try {
    // The LSP changes edit the text as written; when a repair was made before
    // or after them, the parsed sources may differ elsewhere too: one edit
    // between the two sources is right either way.
    const asWritten = prev.source === prev.text && source === text;
    const edits = changes && asWritten ? editsFromChanges(prev.text, changes, text) : [editBetween(prev.source, source)];
    if (!edits) return fresh();
    if (edits.length === 0 || (edits.length === 1 && isEmptyEdit(edits[0]))) {
      // Same text: the old tree is still right; hand a copy over (cheap: trees share nodes).
      return make(old.copy(), true);
    }
    for (const e of edits) old.edit(e);
    return make(mustParse(parser, source, old, deadline), true);
  } finally {
    old.delete();
  }
}

/**
 * Parses only `tree.text[start, end)`, as if the rest were not there, with
 * the indices of the whole text (so spans from either tree index the same
 * string). For recovery: re-reading what follows a point where the parser got
 * lost. The caller owns the result (delete it). Undefined when `tree` was not
 * made by parseHcl (no runtime to parse with) or the region is empty. Within
 * the time `tree`'s parse was given (see ParseOptions.timeoutMs), or throws
 * HclParseCancelled.
 */
export function parseRegion(tree: HclTree, start: number, end: number): HclTree | undefined {
  const { runtime, text, source, deadline } = tree;
  if (!runtime || end <= start) return undefined;
  const parser = parserFor(runtime);
  const range = { startIndex: start, endIndex: end, startPosition: pointAt(text, start), endPosition: pointAt(text, end) };
  const repairs = tree.repairs.filter((r) => r.span.start >= start && r.span.end <= end);
  return new HclTree(text, mustParse(parser, source, undefined, deadline, [range]), false, runtime, deadline, repairs, source);
}

function mustParse(parser: Parser, text: string, old: Tree | undefined, deadline: Deadline | undefined, includedRanges?: Range[]): Tree {
  if (deadline && performance.now() > deadline.at) throw new HclParseCancelled(deadline.timeoutMs);
  // The callback runs every hundred or so parser operations; returning true cancels.
  const progressCallback = deadline && (() => performance.now() > deadline.at);
  const tree = parser.parse(text, old ?? null, { ...(progressCallback ? { progressCallback } : {}), ...(includedRanges ? { includedRanges } : {}) });
  if (!tree) {
    // A cancelled parse would otherwise resume on the next call.
    parser.reset();
    if (deadline) throw new HclParseCancelled(deadline.timeoutMs);
    throw new Error('tree-sitter returned no tree');
  }
  return tree;
}

function isEmptyEdit(e: Edit): boolean {
  return e.startIndex === e.oldEndIndex && e.startIndex === e.newEndIndex;
}

// ---------------------------------------------------------------------------
// Edits

/** The tree-sitter point (row = number of '\n' before, column in UTF-16 units since the last '\n') of an offset. */
export function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** The point reached after `from` by appending `inserted`. */
function advance(from: Point, inserted: string): Point {
  const last = inserted.lastIndexOf('\n');
  if (last === -1) return { row: from.row, column: from.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: from.row + rows, column: inserted.length - last - 1 };
}

/** One edit replacing text[start, oldEnd) with `inserted`, as tree-sitter wants it. */
export function makeEdit(text: string, start: number, oldEnd: number, inserted: string): Edit {
  const startPosition = pointAt(text, start);
  const oldEndPosition = advance(startPosition, text.slice(start, oldEnd));
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: start + inserted.length,
    startPosition,
    oldEndPosition,
    newEndPosition: advance(startPosition, inserted),
  };
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The single edit turning `before` into `after`: everything between their common prefix and suffix. */
export function editBetween(before: string, after: string): Edit {
  const max = Math.min(before.length, after.length);
  let p = 0;
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  // Never split a surrogate pair.
  if (p > 0 && p < max && isHighSurrogate(before.charCodeAt(p - 1))) p--;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  if (s > 0 && s < max - p && isLowSurrogate(before.charCodeAt(before.length - s))) s--;
  return makeEdit(before, p, before.length - s, after.slice(p, after.length - s));
}

/**
 * The tree-sitter edits for LSP content changes applied in order to `before`,
 * or undefined when they do not produce `after` (then the caller parses afresh).
 */
export function editsFromChanges(before: string, changes: readonly TextChange[], after: string): Edit[] | undefined {
  const edits: Edit[] = [];
  let text = before;
  for (const c of changes) {
    if (!c.range) {
      edits.push(makeEdit(text, 0, text.length, c.text));
      text = c.text;
      continue;
    }
    const starts = lspLineStarts(text);
    const start = lspOffset(text, starts, c.range.start);
    const end = lspOffset(text, starts, c.range.end);
    if (end < start) return undefined;
    edits.push(makeEdit(text, start, end, c.text));
    text = text.slice(0, start) + c.text + text.slice(end);
  }
  return text === after ? edits : undefined;
}

/** Line starts as LSP counts lines: '\n', '\r\n' and a lone '\r' each end one. */
function lspLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

function lspOffset(text: string, starts: number[], pos: { line: number; character: number }): number {
  if (pos.line < 0) return 0;
  if (pos.line >= starts.length) return text.length;
  const lineStart = starts[pos.line];
  let lineEnd = pos.line + 1 < starts.length ? starts[pos.line + 1] : text.length;
  if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 10) lineEnd--;
  if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
  return Math.min(lineStart + Math.max(0, pos.character), lineEnd);
}

// ---------------------------------------------------------------------------
// Syntax problems

export interface SyntaxProblem {
  /** Where to point: one line at most (zero-width for a missing token). */
  span: Span;
  /** The whole ERROR node (equals `span` for a missing token). */
  fullSpan: Span;
  kind: 'error' | 'missing' | 'unterminated-string';
  /** Short, for a diagnostic: `Unexpected "="`, `Missing "}"`, … */
  message: string;
}

const MAX_PROBLEMS = 100;
const EXPECTED_VALUE = 'Expected a value after "="';

/**
 * The syntax problems of a tree: ERROR nodes (the outermost of nested ones),
 * MISSING tokens the parser inserted to recover, quoted strings that run
 * past the end of their line (the grammar lets a quoted string span lines,
 * HCL does not, so an unclosed quote swallows what follows without an ERROR
 * where it happened), and the quoted argument names repaired before parsing
 * (repair.ts: one problem where the mistake is, not the parser's cascade).
 * At most 100, in text order, and none after the first unclosed quote (the
 * rest would be its cascade).
 */
export function syntaxProblems(tree: HclTree | Tree, limit = MAX_PROBLEMS): SyntaxProblem[] {
  const root = tree instanceof HclTree ? tree.root : tree.rootNode;
  const repaired = tree instanceof HclTree ? tree.repairs.filter((r) => r.kind === 'quoted-name').map(quotedNameProblem) : [];
  // An error-free tree costs one check. (A quoted string spanning lines that
  // happens to leave no error is not reported here; the model marks its value
  // `invalid` / 'unterminated-string'.)
  if (!root.hasError) return repaired.slice(0, limit);
  const src = tree instanceof HclTree ? tree.text : root.text;
  const breaks = new LineBreaks(src);
  const out: SyntaxProblem[] = [];
  // Unclosed quotes first: the usual cause of a long ERROR or a `}` missing far below.
  for (const s of root.descendantsOfType(['string_lit', 'quoted_template'])) {
    const p = s && breaks.first(s.startIndex, s.endIndex) !== -1 ? unterminated(s, breaks) : undefined;
    if (p) out.push(p);
    if (out.length >= limit) break;
  }
  // ERROR and MISSING nodes, looking only into subtrees that have one (with a
  // stack of child lists: a tree is as deep as the input's nesting).
  if (root.isError) out.push(errorProblem(root, src));
  else {
    const stack: (Node | null)[][] = [root.children.slice().reverse()];
    while (stack.length && out.length < limit) {
      const c = stack[stack.length - 1].pop();
      if (c === undefined) stack.pop();
      else if (!c) continue;
      else if (c.isMissing) out.push(missingProblem(c, src));
      else if (c.isError) out.push(errorProblem(c, src));
      else if (c.hasError) stack.push(c.children.slice().reverse());
    }
  }
  out.push(...repaired);
  out.sort((a, b) => a.span.start - b.span.start);
  // After an unclosed quote every quote is the wrong way round: what the
  // parser says about the rest is a cascade, not news. Stop at the quote.
  const quote = out.findIndex((p) => p.kind === 'unterminated-string');
  if (quote !== -1) return out.slice(0, quote + 1);
  // A value left out took the block's `}` for an object's: the `}` the parser
  // then misses at the end of the file is the same mistake.
  if (out.some((p) => p.kind === 'missing' && p.message === EXPECTED_VALUE)) {
    const end = src.trimEnd().length;
    return out.filter((p) => !(p.kind === 'missing' && p.message === 'Missing "}"' && p.span.start >= end)).slice(0, limit);
  }
  return out.slice(0, limit);
}

/** `"*" = 0` in a body, as HCL says it (hclsyntax: "Invalid argument name"). */
function quotedNameProblem(r: SourceRepair): SyntaxProblem {
  return { span: r.span, fullSpan: r.span, kind: 'error', message: 'Invalid argument name: argument names must not be quoted' };
}

/** The offsets of the line breaks (`\n`, `\r`) of a text, to ask for the first one in a range in logarithmic time. */
class LineBreaks {
  private readonly at: number[] = [];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) this.at.push(i);
    }
  }

  /** The first line break in [from, to), or -1. */
  first(from: number, to: number): number {
    const i = firstAtOrAbove(this.at, from);
    return i < this.at.length && this.at[i] < to ? this.at[i] : -1;
  }
}

function missingProblem(node: Node, text: string): SyntaxProblem {
  const span = { start: node.startIndex, end: node.startIndex };
  // `a =` with nothing after, then the block's `}`: the parser makes that `}`
  // close an object whose `{` it says is missing. Say what is really missing.
  if (node.type === '{' || node.type === 'object_start') {
    let up = node.parent;
    for (let i = 0; up && i < 6 && up.type !== 'attribute' && up.type !== 'object_elem'; i++) up = up.parent;
    const eq = up?.children.find((c) => c?.type === '=' || c?.type === ':');
    if (up && eq) {
      const at = { start: up.startIndex, end: eq.endIndex };
      return { span: firstLine(text, at), fullSpan: at, kind: 'missing', message: EXPECTED_VALUE };
    }
  }
  return { span, fullSpan: span, kind: 'missing', message: `Missing ${describeToken(node.type)}` };
}

const TOKEN_NAMES: Record<string, string> = {
  block_end: '"}"',
  object_end: '"}"',
  tuple_end: '"]"',
  quoted_template_end: 'closing quote',
  template_interpolation_end: '"}"',
  identifier: 'a name',
  expression: 'a value',
};

function describeToken(type: string): string {
  return TOKEN_NAMES[type] ?? (/^[a-z_]+$/.test(type) ? type.replace(/_/g, ' ') : `"${type}"`);
}

function errorProblem(node: Node, text: string): SyntaxProblem {
  const fullSpan = { start: node.startIndex, end: node.endIndex };
  const children = node.children.filter((c): c is Node => !!c && c.type !== 'comment');
  const last = children[children.length - 1];
  // An ERROR on one line is shown whole; a longer one at its last piece, which
  // is where the parser gave up (what came before was still making sense).
  let focus: Span = fullSpan;
  if (text.slice(fullSpan.start, fullSpan.end).includes('\n') && last) focus = firstLine(text, { start: last.startIndex, end: last.endIndex });
  if (focus.end === focus.start && focus.end < fullSpan.end) focus = firstLine(text, fullSpan);
  if (last && last.type === '=' && children.length <= 2) {
    return { span: firstLine(text, fullSpan), fullSpan, kind: 'error', message: EXPECTED_VALUE };
  }
  const shown = text.slice(focus.start, focus.end).trim();
  const message = shown ? `Unexpected ${quote(shown)}` : 'Syntax error';
  return { span: focus, fullSpan, kind: 'error', message };
}

function unterminated(node: Node, breaks: LineBreaks): SyntaxProblem | undefined {
  // Literal parts only: an interpolation may span lines.
  let pos = node.startIndex + 1;
  let lineBreak = -1;
  for (const c of node.children) {
    if (!c) continue;
    if (c.type === 'template_interpolation' || c.type === 'template_directive') {
      lineBreak = breaks.first(pos, c.startIndex);
      if (lineBreak !== -1) break;
      pos = c.endIndex;
    }
  }
  if (lineBreak === -1) lineBreak = breaks.first(pos, node.endIndex);
  if (lineBreak === -1) return undefined;
  const span = { start: node.startIndex, end: lineBreak };
  return { span, fullSpan: { start: node.startIndex, end: node.endIndex }, kind: 'unterminated-string', message: 'Unterminated string: a quoted string must end on the line it starts' };
}

function indexOfBreak(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

/** `span` cut at its first line break. */
export function firstLine(text: string, span: Span): Span {
  const b = indexOfBreak(text, span.start, span.end);
  return b === -1 ? span : { start: span.start, end: b };
}

function quote(s: string): string {
  const short = s.length > 30 ? `${s.slice(0, 29)}…` : s;
  return short.includes('"') ? `\`${short}\`` : `"${short}"`;
}

// ---------------------------------------------------------------------------
// Comments

export interface HclComment extends Span {
  style: '#' | '//' | '/*';
}

/** Every comment in the tree, in text order. */
export function hclComments(tree: HclTree | Tree): HclComment[] {
  const root = tree instanceof HclTree ? tree.root : tree.rootNode;
  const text = tree instanceof HclTree ? tree.text : root.text;
  const out: HclComment[] = [];
  for (const c of root.descendantsOfType('comment')) {
    if (!c) continue;
    const two = text.slice(c.startIndex, c.startIndex + 2);
    out.push({ start: c.startIndex, end: c.endIndex, style: two === '//' ? '//' : two === '/*' ? '/*' : '#' });
  }
  return out;
}
