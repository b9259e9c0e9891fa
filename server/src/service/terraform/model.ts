// Extracts from a parsed Terraform file what the tf/* and arn/* rules judge,
// as plain data with offsets (UTF-16, as JS strings index; see hcl.ts):
//   - every `provider "datadog"` block (also under a local name that
//     required_providers maps to datadog/datadog), with its attributes;
//   - the required_providers entries, and which of them is the Datadog one;
//   - the WIF mapping resources with `arn_pattern` / `account_identifier`;
//   - in .terraform.lock.hcl, the pinned provider versions.
// Values are classified (string, template, heredoc, number, bool, null,
// expression, invalid) so a rule judges literals only. Nothing here keeps a
// tree-sitter Node: the model outlives the tree.
//
// Syntax errors: the tree-sitter parser recovers by wrapping what it could not
// place in ERROR nodes. The reader looks into them for the usual shapes (a
// block header and its attributes, `name = value`, a value left out while
// typing), into a block whose `}` is missing for the top-level blocks the
// missing brace swallowed, and at a block header broken across lines (a word
// being typed above a block). When an error is not contained in a block that
// still closed, the rest of the file is parsed again from the next block
// header (see topLevelBlocks), so rules still see what follows the error.

import type { Node } from 'web-tree-sitter';
import { parseRegion, syntaxProblems, type HclTree, type Span } from './hcl';

// ---------------------------------------------------------------------------
// Values

export type HclValue = HclString | HclTemplate | HclHeredoc | HclNumber | HclBool | HclNull | HclExpression | HclInvalid;

interface ValueBase {
  /** The whole value as written (quotes, heredoc markers included). */
  span: Span;
}

/** A quoted string without interpolation or directive. */
export interface HclString extends ValueBase {
  kind: 'string';
  /** Escapes resolved (`\"`, `\\`, `\n`, `\u00e9`, `$${` → `${`, `%%{` → `%{`). */
  value: string;
  /** Between the quotes. */
  innerSpan: Span;
  /** The source between the quotes equals `value`: offset i of the value is innerSpan.start + i. */
  verbatim: boolean;
}

export type TemplatePart =
  | { kind: 'literal'; value: string; span: Span; verbatim: boolean }
  /** `${…}`, delimiters included: an unknown value. */
  | { kind: 'interpolation'; span: Span; source: string }
  /** `%{…}` … `%{end…}`: conditional or repeated text, unknown. */
  | { kind: 'directive'; span: Span; source: string };

/** A quoted string with `${…}` interpolations or `%{…}` directives. */
export interface HclTemplate extends ValueBase {
  kind: 'template';
  innerSpan: Span;
  /** The source between the quotes, `${…}` kept: what the ARN engine reads (it treats `${…}` as unknown). */
  raw: string;
  /** The literal parts with escapes resolved and interpolations/directives kept as written. */
  value: string;
  /** `raw === value`: offset i of the value is innerSpan.start + i. */
  verbatim: boolean;
  parts: TemplatePart[];
  /** Has a `%{…}` directive: the text is not known even in its literal parts. */
  hasDirective: boolean;
}

/** `<<EOT` / `<<-EOT` … `EOT`. */
export interface HclHeredoc extends ValueBase {
  kind: 'heredoc';
  marker: string;
  /** `<<-`: the common leading white space is stripped from every line. */
  indented: boolean;
  /** The text (ending with its last line break), indentation stripped for `<<-`, `${…}` kept as written. */
  value: string;
  /** The lines between the opening and closing markers, as written. */
  bodySpan: Span;
  /** Has `${…}` or `%{…}`. */
  templated: boolean;
  /** Literal runs (as written, not stripped) and interpolations/directives of the body. */
  parts: TemplatePart[];
  /** The closing marker is missing. */
  unterminated: boolean;
}

export interface HclNumber extends ValueBase {
  kind: 'number';
  value: number;
  source: string;
}

export interface HclBool extends ValueBase {
  kind: 'bool';
  value: boolean;
}

export interface HclNull extends ValueBase {
  kind: 'null';
}

export type ExpressionForm = 'reference' | 'function' | 'conditional' | 'operation' | 'collection' | 'for' | 'parenthesized' | 'other';

/** Anything computed (var.x, local.x, data.…, a function call, a conditional, …): never judged as a literal. */
export interface HclExpression extends ValueBase {
  kind: 'expression';
  form: ExpressionForm;
  source: string;
}

/** No value could be read: nothing after `=`, a string that runs past its line, or a syntax error. */
export interface HclInvalid extends ValueBase {
  kind: 'invalid';
  reason: 'missing' | 'unterminated-string' | 'syntax';
}

/** A literal string's text: the value of a string, or of a heredoc without interpolation. */
export function literalString(v: HclValue | undefined): string | undefined {
  if (!v) return undefined;
  if (v.kind === 'string') return v.value;
  if (v.kind === 'heredoc' && !v.templated) return v.value;
  return undefined;
}

// ---------------------------------------------------------------------------
// Blocks and attributes

export interface HclAttribute {
  name: string;
  nameSpan: Span;
  /** `name = value`. */
  span: Span;
  value: HclValue;
}

export interface HclLabel {
  /** Quotes removed, escapes resolved. */
  value: string;
  /** As written (quotes included). */
  span: Span;
}

interface BlockInfo {
  /** From the block type to the closing brace (or as far as it parsed). */
  span: Span;
  typeSpan: Span;
  openBrace?: Span;
  /** Undefined when the `}` is missing. */
  closeBrace?: Span;
  /** Top-level attributes, in order (a name may repeat: the last one wins in Terraform… after an error). */
  attributes: HclAttribute[];
}

export interface TfProviderBlock extends BlockInfo {
  /** The label: `datadog`, or another local name required_providers maps to datadog/datadog. */
  localName: string;
  label: HclLabel;
  /** `alias`, when a literal string. */
  alias?: string;
}

export const WIF_MAPPING_TYPES = ['datadog_aws_wif_intake_mapping', 'datadog_aws_wif_identity_mapping', 'datadog_aws_wif_persona_mapping'] as const;
export type WifMappingType = (typeof WIF_MAPPING_TYPES)[number];

export interface TfMappingResource extends BlockInfo {
  type: WifMappingType;
  typeLabel: HclLabel;
  name: string;
  nameLabel?: HclLabel;
  arnPattern?: HclAttribute;
  accountIdentifier?: HclAttribute;
}

export interface TfRequiredProvider {
  localName: string;
  keySpan: Span;
  /** `key = …`. */
  span: Span;
  /** `datadog = { source = …, version = … }`, or the pre-0.13 `datadog = "~> 3.0"`. */
  form: 'object' | 'string' | 'other';
  /** The `source` attribute (object form). */
  source?: HclAttribute;
  /** The version constraint: the `version` attribute, or for the string form the entry itself. */
  version?: HclAttribute;
  /** Every attribute of the object form. */
  attributes: HclAttribute[];
  /** Its source is datadog/datadog (any registry host, any case), or it is named `datadog` and has no literal source. */
  isDatadog: boolean;
}

export interface TerraformModel {
  providers: TfProviderBlock[];
  /**
   * Provider blocks under a local name this file does not map to datadog/datadog
   * (`provider "dd"`): another file of the folder may (`dd = { source =
   * "datadog/datadog" }` in versions.tf). The folder decides (lint.ts).
   */
  otherProviders: TfProviderBlock[];
  /** Every entry of every `terraform { required_providers { … } }`. */
  requiredProviders: TfRequiredProvider[];
  /** The entries that are the Datadog provider. */
  datadogRequirements: TfRequiredProvider[];
  mappings: TfMappingResource[];
}

export interface TfLockedProvider extends BlockInfo {
  /** The address as written: `registry.terraform.io/datadog/datadog`. */
  address: string;
  label: HclLabel;
  isDatadog: boolean;
  version?: HclAttribute;
  constraints?: HclAttribute;
}

export interface TerraformLockModel {
  providers: TfLockedProvider[];
  /** The first datadog/datadog entry. */
  datadog?: TfLockedProvider;
}

/** The last attribute of that name (what Terraform would read if it accepted a duplicate). */
export function attributeNamed(block: { attributes: readonly HclAttribute[] }, name: string): HclAttribute | undefined {
  for (let i = block.attributes.length - 1; i >= 0; i--) if (block.attributes[i].name === name) return block.attributes[i];
  return undefined;
}

/** `datadog/datadog`, `DataDog/datadog`, `registry.terraform.io/datadog/datadog`, `registry.opentofu.org/DataDog/datadog`, … */
export function isDatadogSource(source: string): boolean {
  const parts = source.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3) return false;
  return parts[parts.length - 2] === 'datadog' && parts[parts.length - 1] === 'datadog' && (parts.length === 2 || parts[0].length > 0);
}

// ---------------------------------------------------------------------------
// Extraction

const TOP_LEVEL_TYPES = new Set(['terraform', 'provider', 'resource', 'data', 'module', 'variable', 'output', 'locals', 'moved', 'import', 'check', 'removed']);
const MAPPING_TYPES = new Set<string>(WIF_MAPPING_TYPES);

export function extractTerraformModel(tree: HclTree): TerraformModel {
  const subtrees: HclTree[] = [];
  try {
    return extractFrom(tree, topLevelBlocks(tree, subtrees));
  } finally {
    for (const t of subtrees) t.delete();
  }
}

function extractFrom(tree: HclTree, blocks: RawBlock[]): TerraformModel {
  const text = tree.text;
  const model: TerraformModel = { providers: [], otherProviders: [], requiredProviders: [], datadogRequirements: [], mappings: [] };
  const providerBlocks: RawBlock[] = [];
  for (const b of blocks) {
    if (b.type === 'terraform') {
      for (const inner of readBody(b.items, text).blocks) {
        if (inner.type === 'required_providers') model.requiredProviders.push(...requiredProviders(inner, text));
      }
    } else if (b.type === 'provider' && b.labels.length >= 1) providerBlocks.push(b);
    else if (b.type === 'resource' && b.labels.length >= 1 && MAPPING_TYPES.has(b.labels[0].value)) {
      const body = readBody(b.items, text);
      model.mappings.push({
        ...blockInfo(b, body.attributes),
        type: b.labels[0].value as WifMappingType,
        typeLabel: b.labels[0],
        name: b.labels[1]?.value ?? '',
        nameLabel: b.labels[1],
        arnPattern: attributeNamed(body, 'arn_pattern'),
        accountIdentifier: attributeNamed(body, 'account_identifier'),
      });
    }
  }
  model.datadogRequirements = model.requiredProviders.filter((r) => r.isDatadog);
  const localNames = new Set(['datadog', ...model.datadogRequirements.map((r) => r.localName)]);
  for (const b of providerBlocks) {
    const label = b.labels[0];
    // A name this file maps to another source is not Datadog's, whatever other files say.
    const elsewhere = model.requiredProviders.some((r) => r.localName === label.value && !r.isDatadog);
    if (!localNames.has(label.value) && elsewhere) continue;
    const body = readBody(b.items, text);
    const alias = attributeNamed(body, 'alias');
    const block = { ...blockInfo(b, body.attributes), localName: label.value, label, alias: alias?.value.kind === 'string' ? alias.value.value : undefined };
    (localNames.has(label.value) ? model.providers : model.otherProviders).push(block);
  }
  return model;
}

export function extractLockModel(tree: HclTree): TerraformLockModel {
  const subtrees: HclTree[] = [];
  try {
    return extractLockFrom(tree, topLevelBlocks(tree, subtrees));
  } finally {
    for (const t of subtrees) t.delete();
  }
}

function extractLockFrom(tree: HclTree, blocks: RawBlock[]): TerraformLockModel {
  const text = tree.text;
  const model: TerraformLockModel = { providers: [] };
  for (const b of blocks) {
    if (b.type !== 'provider' || b.labels.length < 1) continue;
    const body = readBody(b.items, text);
    const label = b.labels[0];
    const p: TfLockedProvider = {
      ...blockInfo(b, body.attributes),
      address: label.value,
      label,
      isDatadog: isDatadogSource(label.value),
      version: attributeNamed(body, 'version'),
      constraints: attributeNamed(body, 'constraints'),
    };
    model.providers.push(p);
    if (p.isDatadog && !model.datadog) model.datadog = p;
  }
  return model;
}

function blockInfo(b: RawBlock, attributes: HclAttribute[]): BlockInfo {
  return { span: b.span, typeSpan: b.typeSpan, openBrace: b.openBrace, closeBrace: b.closeBrace, attributes };
}

// ---------------------------------------------------------------------------
// required_providers

function requiredProviders(block: RawBlock, text: string): TfRequiredProvider[] {
  const out: TfRequiredProvider[] = [];
  const body = readBody(block.items, text);
  for (const a of body.attributes) {
    const entry: TfRequiredProvider = { localName: a.name, keySpan: a.nameSpan, span: a.span, form: 'other', attributes: [], isDatadog: false };
    const node = a.value.kind === 'expression' && a.value.form === 'collection' ? objectOf(body.valueNodes.get(a)) : undefined;
    if (node) {
      entry.form = 'object';
      entry.attributes = objectAttributes(node, text);
      entry.source = attributeNamed(entry, 'source');
      entry.version = attributeNamed(entry, 'version');
    } else if (a.value.kind === 'string' || a.value.kind === 'template') {
      entry.form = 'string';
      entry.version = a;
    }
    const source = literalString(entry.source?.value);
    entry.isDatadog = source !== undefined ? isDatadogSource(source) : a.name === 'datadog';
    out.push(entry);
  }
  return out;
}

/** The `object` node of an `{ … }` value. */
function objectOf(value: Node | undefined): Node | undefined {
  let n = value;
  while (n && (n.type === 'expression' || n.type === 'collection_value') && n.namedChildCount === 1) n = n.namedChildren[0] ?? undefined;
  return n?.type === 'object' ? n : undefined;
}

function objectAttributes(object: Node, text: string): HclAttribute[] {
  const out: HclAttribute[] = [];
  for (const elem of object.namedChildren) {
    if (!elem || elem.type !== 'object_elem') continue;
    const key = elem.childForFieldName('key');
    const val = elem.childForFieldName('val');
    if (!key) continue;
    const name = keyName(key, text);
    if (name === undefined) continue;
    const nameSpan = spanOf(key);
    out.push({ name, nameSpan, span: { start: nameSpan.start, end: val ? val.endIndex : elem.endIndex }, value: val ? classify(val, text) : invalid({ start: elem.endIndex, end: elem.endIndex }, 'missing') });
  }
  return out;
}

/** An object key: a bare name, or a literal string. */
function keyName(key: Node, text: string): string | undefined {
  const inner = unwrapExpression(key);
  if (inner.length === 1 && inner[0].type === 'variable_expr') return text.slice(inner[0].startIndex, inner[0].endIndex);
  if (inner.length === 1 && inner[0].type === 'identifier') return text.slice(inner[0].startIndex, inner[0].endIndex);
  const v = classify(key, text);
  return v.kind === 'string' ? v.value : undefined;
}

// ---------------------------------------------------------------------------
// Reading bodies, with recovery inside ERROR nodes

interface RawBlock {
  type: string;
  typeSpan: Span;
  labels: HclLabel[];
  span: Span;
  openBrace?: Span;
  closeBrace?: Span;
  /** The body's items, ERROR nodes flattened. */
  items: Node[];
}

interface Body {
  attributes: HclAttribute[];
  blocks: RawBlock[];
  /** Each attribute's value node, for the few places that look further (while extracting only). */
  valueNodes: Map<HclAttribute, Node>;
}

/**
 * The top-level blocks that matter (terraform, provider, WIF mapping
 * resources), also those a block with a missing `}` swallowed. Other blocks
 * are skipped on a look at their first words, so a large file costs little
 * beyond its parse.
 *
 * After a syntax error the tree may not be worth much: an unclosed quote
 * shifts every quote after it, and in error recovery the grammar's scanner
 * takes any word for a heredoc marker and stays in that state, so later
 * blocks come out as junk. Unless every error sits inside a top-level block
 * that still closed properly, the text is parsed again (parseRegion) from the
 * first line after the first error that looks like a block header, and the
 * blocks before that line are cut there. Those extra trees go to `subtrees`;
 * the caller deletes them once the model is built.
 */
function topLevelBlocks(tree: HclTree, subtrees: HclTree[], depth = 0): RawBlock[] {
  const text = tree.text;
  const root = tree.root;
  const out: RawBlock[] = [];
  const wanted = (n: Node) => interestingHeader(n, text) || n.hasError;
  const visit = (items: readonly Node[], nested: boolean) => {
    for (const b of readBody(items, text, wanted).blocks) {
      if (!nested || TOP_LEVEL_TYPES.has(b.type)) out.push(b);
      if (!b.closeBrace) visit(b.items, true);
    }
  };
  const top = flatten(root.children);
  visit(top, false);
  if (!root.hasError || depth >= MAX_REPARSE_DEPTH) return out;
  const damage = firstDamage(tree, top);
  if (damage === undefined) return out;
  const p = nextHeaderLine(text, damage + 1, text.length);
  if (p === undefined) return out;
  const sub = parseRegion(tree, p, text.length);
  if (!sub) return out;
  subtrees.push(sub);
  const kept = out.filter((b) => b.span.start < p).map((b) => cutAt(b, p));
  return [...kept, ...topLevelBlocks(sub, subtrees, depth + 1).filter((b) => b.span.start >= p)];
}

const MAX_REPARSE_DEPTH = 6;

/**
 * Where the tree stops being trustworthy: the first syntax problem that is not
 * inside a top-level block that closed properly (an unclosed quote always
 * counts). Undefined when every error is contained.
 */
function firstDamage(tree: HclTree, top: readonly Node[]): number | undefined {
  let first: number | undefined;
  for (const p of syntaxProblems(tree)) {
    const at = p.fullSpan.start;
    if (first !== undefined && at >= first) continue;
    if (p.kind !== 'unterminated-string' && containedInClosedBlock(top, at)) continue;
    first = at;
  }
  return first;
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

/** A block kept from before a re-parse at `p`: nothing of it from `p` on. */
function cutAt(b: RawBlock, p: number): RawBlock {
  if (b.span.end <= p) return b;
  return { ...b, span: { start: b.span.start, end: p }, closeBrace: undefined, items: b.items.filter((n) => n.endIndex <= p) };
}

const HEADER_LINE = /^[ \t]*(?:terraform|provider|resource|data|module|variable|output|locals)\b[^\r\n{]*\{/gm;

/** The start of the first line in [from, to) that looks like a top-level block header. */
function nextHeaderLine(text: string, from: number, to: number): number | undefined {
  // Start at a line start: back up to the one `from` is on, unless that is where we were.
  HEADER_LINE.lastIndex = from;
  for (let m = HEADER_LINE.exec(text); m && m.index < to; m = HEADER_LINE.exec(text)) {
    if (m.index >= from) return m.index + (m[0].length - m[0].trimStart().length);
  }
  return undefined;
}

const HEADER = /([A-Za-z_][A-Za-z0-9_-]*)[ \t]*(?:"([^"\\\r\n]*)")?/y;

/**
 * terraform, provider, a resource whose type label is a WIF mapping (or cannot
 * be told from the text), or a header broken across lines (see readBlock).
 */
function interestingHeader(n: Node, text: string): boolean {
  HEADER.lastIndex = n.startIndex;
  const m = HEADER.exec(text);
  if (!m) return true;
  if (m[1] === 'terraform' || m[1] === 'provider') return true;
  if (m[1] === 'resource' && (m[2] === undefined || MAPPING_TYPES.has(m[2]))) return true;
  const brace = text.indexOf('{', n.startIndex);
  const lineBreak = text.indexOf('\n', n.startIndex);
  return lineBreak !== -1 && lineBreak < brace;
}

/** Children with `body` and ERROR nodes replaced by their own children (recursively), comments dropped. */
function flatten(children: readonly (Node | null)[], out: Node[] = []): Node[] {
  for (const c of children) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'body' || c.isError) flatten(c.children, out);
    else out.push(c);
  }
  return out;
}

function isValueNode(n: Node): boolean {
  return VALUE_TYPES.has(n.type);
}

const VALUE_TYPES = new Set(['expression', 'literal_value', 'template_expr', 'collection_value', 'function_call', 'variable_expr', 'conditional', 'operation', 'for_expr', 'string_lit', 'quoted_template', 'heredoc_template', 'numeric_lit', 'bool_lit', 'null_lit']);

/** A bare name written as an expression (`org_uuid` before an `=` inside an ERROR). */
function bareName(n: Node, text: string): string | undefined {
  if (n.type === 'identifier') return text.slice(n.startIndex, n.endIndex);
  if (n.type !== 'expression' && n.type !== 'variable_expr') return undefined;
  let cur = n;
  while (cur.type === 'expression' && cur.namedChildCount === 1 && cur.childCount === 1) cur = cur.namedChildren[0]!;
  if (cur.type === 'variable_expr' && cur.childCount === 1) return text.slice(cur.startIndex, cur.endIndex);
  return undefined;
}

/** Attributes and blocks of a body; `wanted` skips `block` nodes not worth reading. */
function readBody(items: readonly Node[], text: string, wanted?: (block: Node) => boolean): Body {
  const body: Body = { attributes: [], blocks: [], valueNodes: new Map() };
  let i = 0;
  while (i < items.length) {
    const n = items[i];
    if (n.type === 'attribute') {
      body.attributes.push(...readAttribute(n, text, body.valueNodes));
      i++;
    } else if (n.type === 'block') {
      if (!wanted || wanted(n)) body.blocks.push(readBlock(n, text));
      i++;
    } else if (items[i + 1]?.type === '=' && bareName(n, text) !== undefined) {
      i = scanAttribute(items, i, text, body.attributes, body.valueNodes);
    } else if (n.type === 'identifier') {
      i = scanBlock(items, i, text, body.blocks);
    } else i++;
  }
  return body;
}

function readBlock(node: Node, text: string): RawBlock {
  const children = node.children.filter((c): c is Node => !!c && c.type !== 'comment');
  const typeNode = children[0];
  const block: RawBlock = { type: text.slice(typeNode.startIndex, typeNode.endIndex), typeSpan: spanOf(typeNode), labels: [], span: spanOf(node), items: [] };
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
  block.items = flatten(inner);
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

/** A block whose header ended up in an ERROR: `type label* {` then items up to the matching `}`. */
function scanBlock(items: readonly Node[], i: number, text: string, out: RawBlock[]): number {
  const typeNode = items[i];
  let j = i + 1;
  const labels: HclLabel[] = [];
  while (j < items.length && (items[j].type === 'string_lit' || items[j].type === 'identifier')) labels.push(label(items[j++], text));
  if (j >= items.length || !(items[j].type === 'block_start' || items[j].type === '{')) return i + 1;
  const block: RawBlock = { type: text.slice(typeNode.startIndex, typeNode.endIndex), typeSpan: spanOf(typeNode), labels, span: { start: typeNode.startIndex, end: items[j].endIndex }, openBrace: spanOf(items[j]), items: [] };
  let depth = 0;
  const inner: Node[] = [];
  for (j++; j < items.length; j++) {
    const c = items[j];
    if (c.type === 'block_start' || c.type === '{') depth++;
    else if (c.type === 'block_end' || c.type === '}') {
      if (depth === 0) {
        if (!c.isMissing) block.closeBrace = spanOf(c);
        block.span.end = c.endIndex;
        j++;
        break;
      }
      depth--;
    }
    inner.push(c);
    block.span.end = c.endIndex;
  }
  block.items = inner;
  out.push(block);
  return j;
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
  const items = flatten(children);
  let i = 0;
  while (i < items.length) {
    if (items[i + 1]?.type === '=' && bareName(items[i], text) !== undefined) i = scanAttribute(items, i, text, out, valueNodes);
    else i++;
  }
  return out;
}

/**
 * `name = value` from items[i]: the value is what follows `=` up to the next
 * `name =` (a value being typed leaves the next attribute inside an ERROR).
 * Nothing there: a missing value; more than one piece: a syntax error.
 */
function scanAttribute(items: readonly Node[], i: number, text: string, out: HclAttribute[], valueNodes: Map<HclAttribute, Node>): number {
  const nameNode = items[i];
  const eq = items[i + 1];
  let j = i + 2;
  const pieces: Node[] = [];
  while (j < items.length && !(items[j + 1]?.type === '=' && bareName(items[j], text) !== undefined) && items[j].type !== 'attribute' && items[j].type !== 'block') {
    if (items[j].type === 'block_end' || items[j].type === '}' || (items[j].type === 'identifier' && isBlockHeader(items, j))) break;
    pieces.push(items[j++]);
  }
  let value: HclValue;
  if (pieces.length === 0) value = invalid({ start: eq.endIndex, end: eq.endIndex }, 'missing');
  else if (pieces.length === 1 && isValueNode(pieces[0])) value = classify(pieces[0], text);
  else value = invalid({ start: pieces[0].startIndex, end: pieces[pieces.length - 1].endIndex }, 'syntax');
  const end = pieces.length ? pieces[pieces.length - 1].endIndex : eq.endIndex;
  const a: HclAttribute = { name: bareName(nameNode, text)!, nameSpan: spanOf(nameNode), span: { start: nameNode.startIndex, end }, value };
  if (pieces.length === 1) valueNodes.set(a, pieces[0]);
  out.push(a);
  return j;
}

function isBlockHeader(items: readonly Node[], j: number): boolean {
  let k = j + 1;
  while (k < items.length && (items[k].type === 'string_lit' || items[k].type === 'identifier')) k++;
  return k < items.length && (items[k].type === 'block_start' || items[k].type === '{');
}

function label(n: Node, text: string): HclLabel {
  if (n.type === 'identifier') return { value: text.slice(n.startIndex, n.endIndex), span: spanOf(n) };
  const v = classifyString(n, text);
  return { value: v.kind === 'string' ? v.value : v.kind === 'template' ? v.value : text.slice(n.startIndex, n.endIndex), span: spanOf(n) };
}

// ---------------------------------------------------------------------------
// Classifying values

function spanOf(n: Node): Span {
  return { start: n.startIndex, end: n.endIndex };
}

function invalid(span: Span, reason: HclInvalid['reason']): HclInvalid {
  return { kind: 'invalid', span, reason };
}

/** The children of an `expression` wrapper (comments dropped), or the node itself. */
function unwrapExpression(n: Node): Node[] {
  if (n.type !== 'expression') return [n];
  return n.children.filter((c): c is Node => !!c && c.type !== 'comment');
}

/** Classifies a value node (`expression` or anything an expression holds). */
export function classifyValue(node: Node, text: string): HclValue {
  return classify(node, text);
}

function classify(node: Node, text: string): HclValue {
  const span = spanOf(node);
  if (node.hasError) {
    // A string that ran past its line swallowed what followed: say so rather than judge it.
    const str = node.descendantsOfType(['string_lit', 'quoted_template'])[0];
    if (str && str.startIndex === node.startIndex && /[\r\n]/.test(text.slice(str.startIndex, str.endIndex))) return invalid(span, 'unterminated-string');
    return invalid(span, 'syntax');
  }
  const kids = unwrapExpression(node);
  if (kids.length !== 1) {
    if (kids[0]?.type === '(') return expression(span, 'parenthesized', text);
    // A reference and its traversals: var.x, data.a.b.c, module.m.out[0], local.x[*].y
    if (kids[0]?.type === 'variable_expr') return expression(span, 'reference', text);
    if (kids[0]?.type === 'function_call') return expression(span, 'function', text);
    return expression(span, 'other', text);
  }
  const n = kids[0];
  switch (n.type) {
    case 'literal_value':
      return classify(n.namedChildren[0] ?? n, text);
    case 'string_lit':
    case 'template_expr':
    case 'quoted_template':
    case 'heredoc_template':
      return n.type === 'template_expr' ? classify(n.namedChildren[0] ?? n, text) : n.type === 'heredoc_template' ? heredoc(n, text) : classifyString(n, text);
    case 'numeric_lit': {
      const source = text.slice(n.startIndex, n.endIndex);
      // HCL numbers are decimal (the grammar also takes 0x10, which Terraform refuses).
      return DECIMAL.test(source) ? { kind: 'number', span, value: Number(source), source } : invalid(span, 'syntax');
    }
    case 'bool_lit':
      return { kind: 'bool', span, value: text.slice(n.startIndex, n.endIndex) === 'true' };
    case 'null_lit':
      return { kind: 'null', span };
    case 'variable_expr':
      return expression(span, 'reference', text);
    case 'function_call':
      return expression(span, 'function', text);
    case 'conditional':
      return expression(span, 'conditional', text);
    case 'operation': {
      // -1 is a number written with a sign.
      const op = n.namedChildren[0];
      if (op?.type === 'unary_operation' && op.child(0)?.type === '-') {
        const operand = op.namedChildren[0];
        const inner = operand ? classify(operand, text) : undefined;
        if (inner?.kind === 'number') return { kind: 'number', span, value: -inner.value, source: text.slice(span.start, span.end) };
      }
      return expression(span, 'operation', text);
    }
    case 'collection_value':
      return expression(span, 'collection', text);
    case 'for_expr':
      return expression(span, 'for', text);
    case 'expression':
      return classify(n, text);
    default:
      return expression(span, 'other', text);
  }
}

const DECIMAL = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function expression(span: Span, form: ExpressionForm, text: string): HclExpression {
  return { kind: 'expression', form, span, source: text.slice(span.start, span.end) };
}

const PLAIN_STRING = /^"[^"\\$%\r\n]*"$/;

/** A `string_lit` or `quoted_template` node. */
function classifyString(n: Node, text: string): HclValue {
  const span = spanOf(n);
  // The common case, without looking at the children: "text" with nothing to resolve.
  if (PLAIN_STRING.test(text.slice(span.start, span.end))) {
    return { kind: 'string', span, value: text.slice(span.start + 1, span.end - 1), innerSpan: { start: span.start + 1, end: span.end - 1 }, verbatim: true };
  }
  const last = n.lastChild;
  const closed = !!last && last.type === 'quoted_template_end' && !last.isMissing && last.endIndex > last.startIndex;
  const innerSpan = { start: n.startIndex + 1, end: closed ? n.endIndex - 1 : n.endIndex };
  const parts: TemplatePart[] = [];
  let pos = innerSpan.start;
  let hasDirective = false;
  const literal = (start: number, end: number) => {
    if (end <= start) return;
    const source = text.slice(start, end);
    const value = unescapeQuoted(source);
    parts.push({ kind: 'literal', value, span: { start, end }, verbatim: value === source });
  };
  for (const c of n.namedChildren) {
    if (!c || (c.type !== 'template_interpolation' && c.type !== 'template_directive')) continue;
    literal(pos, c.startIndex);
    const source = text.slice(c.startIndex, c.endIndex);
    if (c.type === 'template_directive') hasDirective = true;
    parts.push({ kind: c.type === 'template_interpolation' ? 'interpolation' : 'directive', span: spanOf(c), source });
    pos = c.endIndex;
  }
  literal(pos, innerSpan.end);
  // Literal text running past its line: an unclosed quote swallowed what followed.
  if (!closed || parts.some((p) => p.kind === 'literal' && /[\r\n]/.test(text.slice(p.span.start, p.span.end)))) return invalid(span, 'unterminated-string');
  const raw = text.slice(innerSpan.start, innerSpan.end);
  const value = parts.map((p) => (p.kind === 'literal' ? p.value : p.source)).join('');
  if (parts.every((p) => p.kind === 'literal')) return { kind: 'string', span, value, innerSpan, verbatim: value === raw };
  return { kind: 'template', span, innerSpan, raw, value, verbatim: value === raw, parts, hasDirective };
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Resolves HCL quoted-string escapes; an unknown escape is kept as written. */
export function unescapeQuoted(source: string): string {
  if (!source.includes('\\') && !source.includes('$${') && !source.includes('%%{')) return source;
  return source.replace(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([\s\S]))|\$\$\{|%%\{/g, (m, u4: string | undefined, u8: string | undefined, c: string | undefined) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    if (u4) return String.fromCharCode(parseInt(u4, 16));
    if (u8) {
      const cp = parseInt(u8, 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return c !== undefined && c in ESCAPES ? ESCAPES[c] : m;
  });
}

function heredoc(n: Node, text: string): HclHeredoc {
  const span = spanOf(n);
  const start = n.children.find((c) => c?.type === 'heredoc_start');
  const idents = n.children.filter((c): c is Node => c?.type === 'heredoc_identifier');
  const open = idents[0];
  const close = idents.length > 1 ? idents[idents.length - 1] : undefined;
  const marker = open ? text.slice(open.startIndex, open.endIndex) : '';
  const indented = !!start && text.slice(start.startIndex, start.endIndex) === '<<-';
  const headerEnd = open ? open.endIndex : span.start;
  const nl = text.indexOf('\n', headerEnd);
  const bodyStart = nl === -1 || nl > span.end ? span.end : nl + 1;
  let bodyEnd = close ? close.startIndex : span.end;
  // The closing marker's line starts after the last line break before it.
  if (close) {
    const lb = text.lastIndexOf('\n', close.startIndex - 1);
    bodyEnd = lb >= bodyStart - 1 ? lb + 1 : bodyStart;
  }
  if (bodyEnd < bodyStart) bodyEnd = bodyStart;
  const bodySpan = { start: bodyStart, end: bodyEnd };
  const parts: TemplatePart[] = [];
  let pos = bodyStart;
  for (const c of n.namedChildren) {
    if (!c || (c.type !== 'template_interpolation' && c.type !== 'template_directive')) continue;
    if (c.startIndex > pos) parts.push({ kind: 'literal', value: text.slice(pos, c.startIndex), span: { start: pos, end: c.startIndex }, verbatim: true });
    parts.push({ kind: c.type === 'template_interpolation' ? 'interpolation' : 'directive', span: spanOf(c), source: text.slice(c.startIndex, c.endIndex) });
    pos = c.endIndex;
  }
  if (bodyEnd > pos) parts.push({ kind: 'literal', value: text.slice(pos, bodyEnd), span: { start: pos, end: bodyEnd }, verbatim: true });
  const body = text.slice(bodyStart, bodyEnd);
  return {
    kind: 'heredoc',
    span,
    marker,
    indented,
    value: indented ? stripIndent(body) : body,
    bodySpan,
    templated: parts.some((p) => p.kind !== 'literal'),
    parts,
    unterminated: !close,
  };
}

/** `<<-`: removes the smallest leading white space of the non-blank lines from every line. */
function stripIndent(body: string): string {
  const lines = body.split(/(?<=\n)/);
  let min = Infinity;
  for (const line of lines) {
    const content = line.replace(/\r?\n$/, '');
    if (content.trim() === '') continue;
    min = Math.min(min, content.length - content.replace(/^[ \t]+/, '').length);
  }
  if (!Number.isFinite(min) || min === 0) return body;
  return lines.map((l) => {
    const lead = l.length - l.replace(/^[ \t]+/, '').length;
    return l.slice(Math.min(min, lead));
  }).join('');
}
