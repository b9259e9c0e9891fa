// Every `arn_pattern` of a Terraform file the arn/* rules judge (RULES.md: any
// string value whose key is `arn_pattern`), and what the API would receive
// from each:
//   - `arn_pattern` of the WIF mapping resources;
//   - any object key `arn_pattern`, in the values of any block: locals,
//     variable defaults, module inputs, a mapping resource's `for_each`,
//     `jsonencode({ … })`; and a local named `arn_pattern`. (An attribute
//     `arn_pattern` of another resource type is that resource's business.)
// `each.value.arn_pattern` and other expressions are kept, unknown, unjudged.
//
// Overlaps (arn/overlapping-patterns) are looked for within a group, as the
// YAML side groups by key path:
//   - the mapping resources of one kind (intake; identity and the older
//     persona), with the entries of their own literal `for_each`;
//   - otherwise the entries of one collection: the block-level value that
//     holds them (`local.roles`, `var.x`, `module.m.mappings`) and the object
//     keys on the way down, except the key of each entry itself
//     (`{ ci = { arn_pattern = … }, cd = { … } }` is one collection, as
//     `[{ … }, { … }]` is), refined by a sibling `type` when it is a literal.
// References are not followed (`for_each = local.roles` does not make
// `local.roles` a collection of identity mappings).
//
// Only nodes that contain the text `arn_pattern` are looked into, and the
// walk is iterative: linear in the file, whatever its nesting.

import type { Node } from 'web-tree-sitter';
import type { Span } from './hcl';
import { readBody, type Body, type RawBlock } from './recovery';
import { classify, objectKey, spanOf, templateText, type HclValue, type TemplateText } from './values';
import { firstAtOrAbove } from '../common/sortedSearch';

export const ARN_PATTERN_KEY = 'arn_pattern';

/** The kind of a mapping resource, for overlaps: identity and the older persona mappings are one kind. */
export type MappingKind = 'intake' | 'identity';

export interface TfArnPattern {
  value: HclValue;
  /** The key, as written (`arn_pattern`, `"arn_pattern"`). */
  keySpan: Span;
  /** Patterns of one group are compared for overlaps: `intake mappings`, `identity mappings`, or a collection (`local.roles`). */
  group: string;
  /** Where it is, for messages: `datadog_aws_wif_identity_mapping.ci`, `local.roles`. */
  owner: string;
  /** The `arn_pattern` attribute of a mapping resource (not an entry of a collection). */
  direct: boolean;
  /** The kind of mapping it belongs to, when it is a mapping resource's (its attribute or its `for_each`). */
  kind?: MappingKind;
  /** An entry of a collection: the `account_identifier` beside its `arn_pattern`, if any (an identity mapping's account; drift compares it). */
  accountIdentifier?: HclValue;
  /**
   * An entry of a mapping resource's written-out `for_each` map: the entry's
   * key when it is a literal and the pattern sits right in its value
   * (`for_each = { ci = { arn_pattern = … } }`), so the instance is
   * addressable (`<type>.<name>["ci"]`, an `import` block's `to`).
   */
  entryKey?: string;
}

/** A mapping resource as the collector needs it. */
export interface MappingRef {
  block: RawBlock;
  /** Its body, as the model read it. */
  body: Body;
  kind: MappingKind;
  owner: string;
  pattern?: { value: HclValue; nameSpan: Span };
}

export const groupOfKind = (kind: MappingKind) => `${kind} mappings`;

/** The offsets where the text `arn_pattern` occurs: a node without one holds no pattern. */
export class Occurrences {
  private readonly at: number[] = [];

  constructor(text: string) {
    for (let i = text.indexOf(ARN_PATTERN_KEY); i !== -1; i = text.indexOf(ARN_PATTERN_KEY, i + ARN_PATTERN_KEY.length)) this.at.push(i);
  }

  get none(): boolean {
    return this.at.length === 0;
  }

  /** An occurrence starts in [start, end). */
  within(start: number, end: number): boolean {
    const i = firstAtOrAbove(this.at, start);
    return i < this.at.length && this.at[i] < end;
  }
}

/** Steps from a block-level value down to an object: an object key, or an element of a list. */
interface Step {
  key?: string;
  /** The key is written as a literal name or string (not an expression). */
  literal?: boolean;
  up?: Step;
}

/** Levels of objects and lists looked into below a block-level value (as the YAML side's). */
const MAX_DEPTH = 64;

/**
 * The patterns of `blocks` (the file's top-level blocks), in text order.
 * `mappings`: the WIF mapping resources among them.
 */
export function collectArnPatterns(blocks: readonly RawBlock[], mappings: readonly MappingRef[], text: string, occ: Occurrences): TfArnPattern[] {
  const out: TfArnPattern[] = [];
  if (occ.none) return out;
  const mappingOf = new Map(mappings.map((m) => [m.block, m]));
  const topStarts = new Set(blocks.map((b) => b.span.start));
  for (const block of blocks) {
    if (!occ.within(block.span.start, block.span.end)) continue;
    const mapping = mappingOf.get(block);
    if (mapping?.pattern) {
      out.push({ value: mapping.pattern.value, keySpan: mapping.pattern.nameSpan, group: groupOfKind(mapping.kind), owner: mapping.owner, direct: true, kind: mapping.kind });
    }
    // The block and the blocks nested in it (not those a missing `}` swallowed: they are top-level blocks of their own).
    const pending: { block: RawBlock; address: string }[] = [{ block, address: address(block) }];
    for (let next = pending.pop(); next; next = pending.pop()) {
      const body = next.block === block && mapping ? mapping.body : readBody(next.block.items, text);
      for (const a of body.attributes) {
        if (!occ.within(a.span.start, a.span.end)) continue;
        const top = next.block === block;
        if (a.name === ARN_PATTERN_KEY) {
          if (top && block.type === 'locals') out.push({ value: a.value, keySpan: a.nameSpan, group: 'local.arn_pattern', owner: 'local.arn_pattern', direct: false });
          continue;
        }
        const node = body.valueNodes.get(a);
        if (!node) continue;
        const collection = collectionName(next.block, next.address, a.name, top);
        // A mapping resource's own for_each feeds its arn_pattern: the entries are mappings of its kind.
        const feeds = top && mapping && a.name === 'for_each' ? mapping : undefined;
        walk(node, text, occ, (value, keySpan, path, type, account) => {
          const group = feeds ? groupOfKind(feeds.kind) : groupOf(collection, path, type);
          const entryKey = feeds && path?.literal && !path.up ? path.key : undefined;
          out.push({ value, keySpan, group, owner: feeds ? `${feeds.owner}'s for_each` : collection, direct: false, kind: feeds?.kind, ...(account ? { accountIdentifier: account } : {}), ...(entryKey !== undefined ? { entryKey } : {}) });
        });
      }
      for (const inner of body.blocks) {
        if (topStarts.has(inner.span.start) || !occ.within(inner.span.start, inner.span.end)) continue;
        pending.push({ block: inner, address: `${next.address}.${[inner.type, ...inner.labels.map((l) => l.value)].join('.')}` });
      }
    }
  }
  // (A pattern is found once; a block read twice after a syntax error must not make it two.)
  const seen = new Set<number>();
  return out.filter((p) => !seen.has(p.value.span.start) && !!seen.add(p.value.span.start)).sort((x, y) => x.value.span.start - y.value.span.start);
}

/** How Terraform names what a top-level block defines. */
function address(b: RawBlock): string {
  const [first, second] = b.labels.map((l) => l.value);
  switch (b.type) {
    case 'locals':
      return 'local';
    case 'variable':
      return `var.${first ?? ''}`;
    case 'output':
      return `output.${first ?? ''}`;
    case 'module':
      return `module.${first ?? ''}`;
    case 'resource':
      return `${first ?? ''}.${second ?? ''}`;
    case 'data':
      return `data.${first ?? ''}.${second ?? ''}`;
    default:
      return [b.type, ...b.labels.map((l) => l.value)].join('.');
  }
}

/** `local.roles`, `var.x` (its default), `output.o` (its value), `module.m.mappings`. */
function collectionName(block: RawBlock, addr: string, attribute: string, top: boolean): string {
  if (top && ((block.type === 'variable' && attribute === 'default') || (block.type === 'output' && attribute === 'value'))) return addr;
  return `${addr}.${attribute}`;
}

/** The collection, the keys on the way down but the entry's own, and a sibling `type`. */
function groupOf(collection: string, path: Step | undefined, type: string | undefined): string {
  const keys: string[] = [];
  // The last step is the entry itself: its key (in a map of entries) says which entry, not which kind.
  for (let s = path?.up; s; s = s.up) if (s.key !== undefined) keys.unshift(s.key);
  const group = [collection, ...keys].join('.');
  return type === undefined ? group : `${group} (type "${type}")`;
}

type Found = (value: HclValue, keySpan: Span, path: Step | undefined, type: string | undefined, account: HclValue | undefined) => void;

/** Looks for object keys `arn_pattern` under `root`, only into nodes that contain the text. */
function walk(root: Node, text: string, occ: Occurrences, found: Found): void {
  const stack: { node: Node; path: Step | undefined; depth: number }[] = [{ node: root, path: undefined, depth: 0 }];
  const inside = (n: Node) => occ.within(n.startIndex, n.endIndex);
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { node, path, depth } = next;
    if (node.type === 'object') {
      if (depth >= MAX_DEPTH) continue;
      const elems = node.namedChildren.filter((c): c is Node => !!c && c.type === 'object_elem');
      let type: string | undefined;
      let account: HclValue | undefined;
      for (const e of elems) {
        const key = e.childForFieldName('key');
        const val = e.childForFieldName('val');
        const name = key && val ? objectKey(key, text) : undefined;
        if (name === 'type') {
          const v = classify(val!, text);
          if (v.kind === 'string') type = v.value;
        } else if (name === 'account_identifier') account = classify(val!, text);
      }
      for (let i = elems.length - 1; i >= 0; i--) {
        const e = elems[i];
        if (!inside(e)) continue;
        const key = e.childForFieldName('key');
        const val = e.childForFieldName('val');
        if (!key || !val) continue;
        const name = objectKey(key, text);
        if (name === ARN_PATTERN_KEY) found(classify(val, text), spanOf(key), path, type, account);
        else stack.push({ node: val, path: { key: name ?? '(key)', literal: name !== undefined, up: path }, depth: depth + 1 });
      }
    } else if (node.type === 'tuple') {
      if (depth >= MAX_DEPTH) continue;
      const elems = node.namedChildren;
      for (let i = elems.length - 1; i >= 0; i--) {
        const e = elems[i];
        if (e && e.type === 'expression' && inside(e)) stack.push({ node: e, path: { up: path }, depth: depth + 1 });
      }
    } else {
      // Wrappers, calls (`jsonencode`, `merge`), conditionals, `for` bodies, interpolations: no step of their own.
      const kids = node.namedChildren;
      for (let i = kids.length - 1; i >= 0; i--) {
        const k = kids[i];
        if (k && inside(k)) stack.push({ node: k, path, depth });
      }
    }
  }
}

// ---------------------------------------------------------------------------
// What the API receives

/**
 * The pattern Terraform would send, with where its interpolations are and
 * where each character is in the file (unless `offsets` is false: then
 * `starts` and `ends` are empty): for a string, a template without
 * directives and a closed heredoc without directives; otherwise the value is
 * not known and not judged.
 */
export function patternText(v: HclValue, source: string, offsets = true): TemplateText | undefined {
  if (v.kind === 'string') return templateText(v, source, offsets);
  if (v.kind === 'template' && !v.hasDirective) return templateText(v, source, offsets);
  if (v.kind === 'heredoc' && !v.unterminated && !v.parts.some((p) => p.kind === 'directive')) return templateText(v, source, offsets);
  return undefined;
}

/** The source span of [start, end) of a pattern's text. */
export function sourceSpan(t: TemplateText, start: number, end: number): Span {
  if (end <= start) return { start: t.starts[start], end: t.starts[start] };
  return { start: t.starts[start], end: t.ends[end - 1] };
}

/**
 * A new pattern (interpolations written as `${…}`) as the text of a quoted
 * string; undefined when the old one held a literal `${` (a `$${`), as the
 * new one's `${` could then be either.
 */
export function quotedPattern(pattern: string, old: TemplateText): string | undefined {
  const literalDollar = hasLiteralTemplateStart(old);
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (depth === 0 && (c === '$' || c === '%') && pattern[i + 1] === '{') {
      if (literalDollar) return undefined;
      // An interpolation (the only kind the new pattern can hold) is written as it was.
      depth = 1;
      out += c + '{';
      i++;
    } else if (depth > 0) {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      out += c;
    } else out += escapeQuoted(c);
  }
  return out;
}

function hasLiteralTemplateStart(t: TemplateText): boolean {
  let k = 0;
  for (let i = 0; i + 1 < t.text.length; i++) {
    while (k < t.interpolations.length && t.interpolations[k][1] <= i) k++;
    const inInterpolation = k < t.interpolations.length && t.interpolations[k][0] <= i;
    if (!inInterpolation && (t.text[i] === '$' || t.text[i] === '%') && t.text[i + 1] === '{') return true;
  }
  return false;
}

const QUOTED_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeQuoted(c: string): string {
  const e = QUOTED_ESCAPES[c];
  if (e) return e;
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
}
