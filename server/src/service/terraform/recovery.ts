// Reading blocks and attributes out of a tree-sitter tree, also where the
// parser recovered from a syntax error. The parser wraps what it could not
// place in ERROR nodes; the reader looks into them for the usual shapes (a
// block header and its attributes, `name = value`, a value left out while
// typing), into a block whose `}` is missing for the top-level blocks the
// missing brace swallowed, and at a block header broken across lines (a word
// being typed above a block). When an error is not contained in a block that
// still closed and left the grammar's scanner astray, the rest of the file is
// parsed again from the next block header (see topLevelBlocks), so rules
// still see what follows the error.
//
// Linear in the size of the tree, whatever the input: the loose tokens of
// ERROR nodes are grouped into blocks in one pass with a stack (structure), so
// a block's items are its own and never those of the blocks inside it; each
// block is read once; nothing recurses on the depth of the input. (Scanning
// each unclosed block to the end of the file, and again for each block inside
// it, made `provider "x" {` repeated quadratic.)

import type { Node } from 'web-tree-sitter';
import { parseRegion, syntaxProblems, type HclTree, type Span, type SyntaxProblem } from './hcl';
import { classify, classifyString, invalid, spanOf, unescapeQuoted, type HclAttribute, type HclLabel, type HclValue } from './values';

/** A block as read: from a `block` node, or scanned out of the loose tokens of an ERROR. */
export interface RawBlock {
  readonly raw: true;
  type: string;
  typeSpan: Span;
  labels: HclLabel[];
  /** From the block type to the closing brace (or as far as it parsed). */
  span: Span;
  openBrace?: Span;
  /** Undefined when the `}` is missing. */
  closeBrace?: Span;
  /** The body's own items: nodes (ERROR nodes flattened, comments dropped) and the blocks scanned out of loose tokens. */
  items: Item[];
}

export type Item = Node | RawBlock;

export const isBlock = (i: Item): i is RawBlock => (i as RawBlock).raw === true;
const itemEnd = (i: Item): number => (isBlock(i) ? i.span.end : i.endIndex);
/** A node's type; undefined for a scanned block (whose `type` is its block type, not a node type). */
const nodeType = (i: Item | undefined): string | undefined => (i && !isBlock(i) ? i.type : undefined);

export interface Body {
  attributes: HclAttribute[];
  blocks: RawBlock[];
  /** Each attribute's value node, for the few places that look further (while extracting only). */
  valueNodes: Map<HclAttribute, Node>;
}

/** Block types Terraform accepts at the top level: those a block with a missing `}` swallowed are still read. */
const TOP_LEVEL_TYPES = new Set(['terraform', 'provider', 'resource', 'data', 'module', 'variable', 'output', 'locals', 'moved', 'import', 'check', 'removed']);

/**
 * The top-level blocks that `wanted` keeps (a block node with an error is
 * always read), also those a block with a missing `}` swallowed, in text
 * order. Other blocks are skipped on a look at their first words, so a large
 * file costs little beyond its parse.
 *
 * After a syntax error the tree may not be worth much: an unclosed quote
 * shifts every quote after it, and in error recovery the grammar's scanner
 * takes any word for a heredoc marker and stays in that state, so later
 * blocks come out as junk. When an error is not contained in a top-level
 * block that still closed properly and the scanner went astray after it
 * (scannerAstray), the text is parsed again (parseRegion) from the first line
 * after the error that looks like a block header, at most six times, and the
 * blocks before that line are cut there. Those extra trees go to `subtrees`;
 * the caller deletes them once the model is built.
 */
export function topLevelBlocks(tree: HclTree, wanted: (block: Node, text: string) => boolean, subtrees: HclTree[], depth = 0): RawBlock[] {
  const text = tree.text;
  const root = tree.root;
  const out: RawBlock[] = [];
  const want = (n: Node) => n.hasError || wanted(n, text);
  const top = flatten(root.children);
  const pending: { items: readonly Item[]; nested: boolean }[] = [{ items: structure(top, text), nested: false }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    for (const b of readBody(next.items, text, want).blocks) {
      if (!next.nested || TOP_LEVEL_TYPES.has(b.type)) out.push(b);
      if (!b.closeBrace) pending.push({ items: b.items, nested: true });
    }
  }
  // Blocks nest or follow each other: by start, parents come before what they swallowed.
  out.sort((a, b) => a.span.start - b.span.start);
  if (!root.hasError || depth >= MAX_REPARSE_DEPTH) return out;
  const problems = syntaxProblems(tree);
  const damage = firstDamage(tree, top, problems);
  if (damage === undefined || !scannerAstray(tree, damage, problems)) return out;
  const p = nextHeaderLine(text, damage + 1, text.length);
  if (p === undefined) return out;
  const sub = parseRegion(tree, p, text.length);
  if (!sub) return out;
  subtrees.push(sub);
  const cut = new Map<RawBlock, RawBlock>();
  const kept = out.filter((b) => b.span.start < p).map((b) => cutAt(b, p, cut));
  return [...kept, ...topLevelBlocks(sub, wanted, subtrees, depth + 1).filter((b) => b.span.start >= p)];
}

const MAX_REPARSE_DEPTH = 6;

/**
 * Where the tree stops being trustworthy: the first syntax problem that is not
 * inside a top-level block that closed properly (an unclosed quote always
 * counts). Undefined when every error is contained.
 */
function firstDamage(tree: HclTree, top: readonly Node[], problems: readonly SyntaxProblem[]): number | undefined {
  // A mistake repaired before parsing (a quoted argument name) damaged nothing.
  const repaired = new Set(tree.repairs.map((r) => r.span.start));
  let first: number | undefined;
  for (const p of problems) {
    const at = p.fullSpan.start;
    if (first !== undefined && at >= first) continue;
    if (repaired.has(p.fullSpan.start)) continue;
    if (p.kind !== 'unterminated-string' && containedInClosedBlock(top, at)) continue;
    first = at;
  }
  return first;
}

/**
 * The grammar's scanner went astray from `from` on: a quoted string ran past
 * its line (every later quote is then the wrong way round), or a heredoc
 * marker outside any heredoc (in error recovery the scanner takes a word for
 * one and stays in heredoc state). Otherwise the parser's own recovery, read
 * by `structure`, is as good as a parse of the rest would be, and cheaper.
 */
function scannerAstray(tree: HclTree, from: number, problems: readonly SyntaxProblem[]): boolean {
  if (problems.some((p) => p.kind === 'unterminated-string' && p.fullSpan.end > from)) return true;
  const text = tree.text;
  for (const n of tree.root.descendantsOfType('heredoc_identifier')) {
    if (!n || n.endIndex < from) continue;
    const heredoc = n.parent;
    if (heredoc?.type !== 'heredoc_template') return true;
    // A real heredoc: `<<` or `<<-`, its marker, the body, the same marker (or none: unclosed at the end).
    const opener = heredoc.child(1);
    if (n.previousSibling?.type === 'heredoc_start' && n.endIndex > n.startIndex) continue;
    const sameMarker = !!opener && opener.type === 'heredoc_identifier' && text.slice(opener.startIndex, opener.endIndex) === text.slice(n.startIndex, n.endIndex);
    if (heredoc.child(0)?.type === 'heredoc_start' && heredoc.lastChild?.equals(n) && (sameMarker || n.startIndex === n.endIndex)) continue;
    return true;
  }
  return false;
}

function containedInClosedBlock(top: readonly Node[], at: number): boolean {
  // `top` is in text order: binary search for the node that contains `at`.
  let lo = 0;
  let hi = top.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = top[mid];
    if (at < n.startIndex) hi = mid - 1;
    else if (at >= n.endIndex) lo = mid + 1;
    else {
      if (n.type !== 'block') return false;
      const end = n.lastChild;
      return !!end && end.type === 'block_end' && !end.isMissing && !end.firstChild?.isMissing && end.endIndex > end.startIndex;
    }
  }
  return false;
}

/** A block kept from before a re-parse at `p`: nothing of it from `p` on (a block scanned inside it is cut too). Each block is cut once. */
function cutAt(b: RawBlock, p: number, done: Map<RawBlock, RawBlock>): RawBlock {
  if (b.span.end <= p) return b;
  const known = done.get(b);
  if (known) return known;
  const items: Item[] = [];
  for (const i of b.items) {
    if (itemEnd(i) <= p) items.push(i);
    else if (isBlock(i) && i.span.start < p) items.push(cutAt(i, p, done));
  }
  const cut: RawBlock = { ...b, span: { start: b.span.start, end: p }, closeBrace: undefined, items };
  done.set(b, cut);
  return cut;
}

const HEADER_LINE = /^[ \t]*(?:terraform|provider|resource|data|module|variable|output|locals)\b[^\r\n{]*\{/gm;

/** The start of the first line in [from, to) that looks like a top-level block header. */
function nextHeaderLine(text: string, from: number, to: number): number | undefined {
  HEADER_LINE.lastIndex = from;
  for (let m = HEADER_LINE.exec(text); m && m.index < to; m = HEADER_LINE.exec(text)) {
    if (m.index >= from) return m.index + (m[0].length - m[0].trimStart().length);
  }
  return undefined;
}

/** Children with `body` and ERROR nodes replaced by their own children (at any depth), comments dropped, in order. */
function flatten(children: readonly (Node | null)[]): Node[] {
  const out: Node[] = [];
  // An explicit stack of child lists: ERROR nodes may nest as deep as the input.
  const stack: { list: readonly (Node | null)[]; at: number }[] = [{ list: children, at: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.at >= top.list.length) {
      stack.pop();
      continue;
    }
    const c = top.list[top.at++];
    if (!c || c.type === 'comment') continue;
    if (c.type === 'body' || c.isError) stack.push({ list: c.children, at: 0 });
    else out.push(c);
  }
  return out;
}

const isOpenBrace = (t: string | undefined) => t === 'block_start' || t === '{';
const isCloseBrace = (t: string | undefined) => t === 'block_end' || t === '}';
const isLabelToken = (t: string | undefined) => t === 'string_lit' || t === 'identifier';

/**
 * Groups loose tokens into blocks, in one pass: an identifier followed by
 * labels and `{` opens a block (a RawBlock item, its tokens its own items) up
 * to the matching `}`. A `{` with no header stays an item of the enclosing
 * block with everything up to its `}`. Blocks still open at the end run to
 * the last token.
 */
function structure(tokens: readonly Node[], text: string): Item[] {
  const top: Item[] = [];
  // Each open `{`: the block it opened, or none (a bare `{`, whose tokens stay in the enclosing list).
  const stack: { block?: RawBlock; items: Item[] }[] = [];
  let items = top;
  // runEnd[i]: the first index after i that is not a label token (string_lit or identifier).
  const runEnd = new Int32Array(tokens.length + 1);
  runEnd[tokens.length] = tokens.length;
  for (let k = tokens.length - 1; k >= 0; k--) runEnd[k] = k + 1 < tokens.length && isLabelToken(tokens[k + 1].type) ? runEnd[k + 1] : k + 1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const type = t.type;
    const j = runEnd[i];
    if (type === 'identifier' && j < tokens.length && isOpenBrace(tokens[j].type)) {
      const labels: HclLabel[] = [];
      for (let k = i + 1; k < j; k++) labels.push(label(tokens[k], text));
      const block: RawBlock = { raw: true, type: text.slice(t.startIndex, t.endIndex), typeSpan: spanOf(t), labels, span: { start: t.startIndex, end: tokens[j].endIndex }, openBrace: spanOf(tokens[j]), items: [] };
      items.push(block);
      stack.push({ block, items });
      items = block.items;
      i = j;
    } else if (isOpenBrace(type)) {
      items.push(t);
      stack.push({ items });
    } else if (isCloseBrace(type) && stack.length) {
      const open = stack.pop()!;
      if (open.block) {
        if (!t.isMissing && !t.firstChild?.isMissing) open.block.closeBrace = spanOf(t);
        open.block.span.end = t.endIndex;
      } else items.push(t);
      items = open.items;
    } else items.push(t);
  }
  const last = tokens[tokens.length - 1];
  for (const open of stack) if (open.block && last) open.block.span.end = Math.max(open.block.span.end, last.endIndex);
  return top;
}

const VALUE_TYPES = new Set(['expression', 'literal_value', 'template_expr', 'collection_value', 'function_call', 'variable_expr', 'conditional', 'operation', 'for_expr', 'string_lit', 'quoted_template', 'heredoc_template', 'numeric_lit', 'bool_lit', 'null_lit']);

/** A bare name written as an expression (`org_uuid` before an `=` inside an ERROR). */
function bareName(i: Item | undefined, text: string): string | undefined {
  if (!i || isBlock(i)) return undefined;
  if (i.type === 'identifier') return text.slice(i.startIndex, i.endIndex);
  if (i.type !== 'expression' && i.type !== 'variable_expr') return undefined;
  let cur = i;
  while (cur.type === 'expression' && cur.namedChildCount === 1 && cur.childCount === 1) cur = cur.namedChildren[0]!;
  if (cur.type === 'variable_expr' && cur.childCount === 1) return text.slice(cur.startIndex, cur.endIndex);
  return undefined;
}

/** `name =` starts at items[i]. */
const isNameEquals = (items: readonly Item[], i: number, text: string) => nodeType(items[i + 1]) === '=' && bareName(items[i], text) !== undefined;

/** Attributes and blocks of a body; `wanted` skips `block` nodes not worth reading (scanned blocks are always kept). */
export function readBody(items: readonly Item[], text: string, wanted?: (block: Node) => boolean): Body {
  const body: Body = { attributes: [], blocks: [], valueNodes: new Map() };
  let i = 0;
  while (i < items.length) {
    const n = items[i];
    if (isBlock(n)) {
      body.blocks.push(n);
      i++;
    } else if (n.type === 'attribute') {
      body.attributes.push(...readAttribute(n, text, body.valueNodes));
      i++;
    } else if (n.type === 'block') {
      if (!wanted || wanted(n)) body.blocks.push(readBlock(n, text));
      i++;
    } else if (isNameEquals(items, i, text)) {
      i = scanAttribute(items, i, text, body.attributes, body.valueNodes);
    } else i++;
  }
  return body;
}

function readBlock(node: Node, text: string): RawBlock {
  const children = node.children.filter((c): c is Node => !!c && c.type !== 'comment');
  const typeNode = children[0];
  const block: RawBlock = { raw: true, type: text.slice(typeNode.startIndex, typeNode.endIndex), typeSpan: spanOf(typeNode), labels: [], span: spanOf(node), items: [] };
  let i = 1;
  for (; i < children.length; i++) {
    const c = children[i];
    if (c.type === 'string_lit' || c.type === 'identifier') block.labels.push(label(c, text));
    else if (c.type === 'block_start') break;
  }
  if (i < children.length) {
    block.openBrace = spanOf(children[i]);
    if (/[\r\n]/.test(text.slice(typeNode.endIndex, block.openBrace.start))) reheader(block, text);
  }
  const inner: Node[] = [];
  for (i++; i < children.length; i++) {
    const c = children[i];
    if (c.type === 'block_end') {
      if (!c.isMissing && !c.firstChild?.isMissing) block.closeBrace = spanOf(c);
      break;
    }
    inner.push(c);
  }
  block.items = structure(flatten(inner), text);
  return block;
}

const HEADER_BEFORE_BRACE = /^[ \t]*([A-Za-z_][A-Za-z0-9_-]*)((?:[ \t]+(?:"(?:[^"\\\r\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*))*)[ \t]*$/;
const LABEL_TOKEN = /"((?:[^"\\\r\n]|\\.)*)"|[A-Za-z_][A-Za-z0-9_-]*/g;

/**
 * A block header spans lines, which HCL does not allow: the parser took a word
 * being typed (`resour`, `y`) as the type of the block on the next line. The
 * real header is the line of the `{`: read the type and labels from there.
 */
function reheader(block: RawBlock, text: string): void {
  const open = block.openBrace!.start;
  const lineStart = Math.max(text.lastIndexOf('\n', open - 1), text.lastIndexOf('\r', open - 1)) + 1;
  const m = HEADER_BEFORE_BRACE.exec(text.slice(lineStart, open));
  if (!m) return;
  const typeStart = lineStart + m[0].indexOf(m[1]);
  block.type = m[1];
  block.typeSpan = { start: typeStart, end: typeStart + m[1].length };
  block.span = { start: typeStart, end: block.span.end };
  block.labels = [];
  const labelsStart = typeStart + m[1].length;
  LABEL_TOKEN.lastIndex = 0;
  for (let t = LABEL_TOKEN.exec(m[2]); t; t = LABEL_TOKEN.exec(m[2])) {
    const start = labelsStart + t.index;
    block.labels.push({ value: t[1] !== undefined ? unescapeQuoted(t[1]) : t[0], span: { start, end: start + t[0].length } });
  }
}

function readAttribute(node: Node, text: string, valueNodes: Map<HclAttribute, Node>): HclAttribute[] {
  const children = node.children.filter((c): c is Node => !!c && c.type !== 'comment');
  // The usual shape: name = expression.
  if (children.length === 3 && children[1].type === '=' && children[2].type === 'expression') {
    const name = children[0];
    const a: HclAttribute = { name: text.slice(name.startIndex, name.endIndex), nameSpan: spanOf(name), span: spanOf(node), value: classify(children[2], text) };
    valueNodes.set(a, children[2]);
    return [a];
  }
  const out: HclAttribute[] = [];
  const items = structure(flatten(children), text);
  let i = 0;
  while (i < items.length) {
    if (isNameEquals(items, i, text)) i = scanAttribute(items, i, text, out, valueNodes);
    else i++;
  }
  return out;
}

/**
 * `name = value` from items[i]: the value is what follows `=` up to the next
 * `name =` (a value being typed leaves the next attribute inside an ERROR), a
 * block, or a `}`. Nothing there: a missing value; more than one piece: a
 * syntax error.
 */
function scanAttribute(items: readonly Item[], i: number, text: string, out: HclAttribute[], valueNodes: Map<HclAttribute, Node>): number {
  const nameNode = items[i] as Node;
  const eq = items[i + 1] as Node;
  let j = i + 2;
  const pieces: Node[] = [];
  for (; j < items.length; j++) {
    const it = items[j];
    if (isBlock(it) || it.type === 'attribute' || it.type === 'block' || isCloseBrace(it.type) || isNameEquals(items, j, text)) break;
    pieces.push(it);
  }
  let value: HclValue;
  if (pieces.length === 0) value = invalid({ start: eq.endIndex, end: eq.endIndex }, 'missing');
  else if (pieces.length === 1 && VALUE_TYPES.has(pieces[0].type)) value = classify(pieces[0], text);
  else value = invalid({ start: pieces[0].startIndex, end: pieces[pieces.length - 1].endIndex }, 'syntax');
  const end = pieces.length ? pieces[pieces.length - 1].endIndex : eq.endIndex;
  const a: HclAttribute = { name: bareName(nameNode, text)!, nameSpan: spanOf(nameNode), span: { start: nameNode.startIndex, end }, value };
  if (pieces.length === 1) valueNodes.set(a, pieces[0]);
  out.push(a);
  return j;
}

function label(n: Node, text: string): HclLabel {
  if (n.type === 'identifier') return { value: text.slice(n.startIndex, n.endIndex), span: spanOf(n) };
  const v = classifyString(n, text);
  return { value: v.kind === 'string' ? v.value : v.kind === 'template' ? v.value : text.slice(n.startIndex, n.endIndex), span: spanOf(n) };
}
