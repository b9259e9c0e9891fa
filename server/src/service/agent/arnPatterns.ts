// Finds every `arn_pattern: <string>` in a YAML (or JSON) document, wherever
// it is, with the kind of mapping it belongs to, so the ARN rules can judge
// each and the overlap rule can compare those of one kind.

import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document } from 'yaml';
import { resolveAlias, type Span, type YScalarStyle } from './yamlTree';

export interface ArnPatternValue extends Span {
  value: string;
  style: YScalarStyle;
  /** The source text equals the value (no escapes, one line): offsets inside it map one to one. */
  verbatim: boolean;
  /** Mappings of one kind are compared for overlaps: the sibling `type`, else the path of keys above. */
  group: string;
  /** Reached through an alias (`arn_pattern: *p`): written at the anchor, which a fix must not edit. */
  viaAlias: boolean;
  /** The string `account_identifier` beside it, if any (an identity mapping's account; drift compares it). */
  accountIdentifier?: string;
}

/**
 * The kind of mapping a group names (the sibling `type`, else the keys
 * above): `intake` when it says intake (`type: intake`, `intake_mappings:`),
 * `identity` when it says identity or persona (the API's older name);
 * undefined when it names neither.
 */
export function groupKind(group: string): 'intake' | 'identity' | undefined {
  if (/intake/i.test(group)) return 'intake';
  if (/identity|persona/i.test(group)) return 'identity';
  return undefined;
}

const MAX_DEPTH = 64;

export function collectArnPatterns(doc: Document): ArnPatternValue[] {
  const out: ArnPatternValue[] = [];
  walk(doc.contents, [], out, 0, doc, new Set());
  return out;
}

/** `seen`: the scalars already collected, so an anchored pattern its aliases reach again counts once. */
function walk(node: unknown, path: string[], out: ArnPatternValue[], depth: number, doc: Document, seen: Set<unknown>): void {
  if (depth > MAX_DEPTH) return;
  if (isSeq(node)) {
    for (const item of node.items) walk(item, path, out, depth + 1, doc, seen);
    return;
  }
  if (!isMap(node)) return;
  let type: string | undefined;
  let account: string | undefined;
  for (const pair of node.items) {
    if (!isPair(pair) || !isScalar(pair.key) || !isScalar(pair.value) || typeof pair.value.value !== 'string') continue;
    if (pair.key.value === 'type') type = pair.value.value;
    else if (pair.key.value === 'account_identifier') account = pair.value.value;
  }
  for (const pair of node.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    // A pattern through an alias (`arn_pattern: *p`) is judged where its anchor is written.
    const v = key === 'arn_pattern' && isAlias(pair.value) ? resolveAlias(pair.value, doc) : pair.value;
    if (key === 'arn_pattern' && isScalar(v) && typeof v.value === 'string' && v.range) {
      if (seen.has(v)) continue;
      seen.add(v);
      const style: YScalarStyle = v.type === Scalar.QUOTE_SINGLE ? 'single' : v.type === Scalar.QUOTE_DOUBLE ? 'double' : v.type === Scalar.BLOCK_FOLDED || v.type === Scalar.BLOCK_LITERAL ? 'block' : 'plain';
      const quote = style === 'single' || style === 'double' ? 1 : 0;
      const verbatim = style !== 'block' && v.source === v.value && v.range[1] - v.range[0] === v.value.length + 2 * quote;
      out.push({ start: v.range[0], end: v.range[1], value: v.value, style, verbatim, group: type ?? (path.join('.') || '(top level)'), viaAlias: v !== pair.value, ...(account !== undefined ? { accountIdentifier: account } : {}) });
      continue;
    }
    walk(v, [...path, key], out, depth + 1, doc, seen);
  }
}
