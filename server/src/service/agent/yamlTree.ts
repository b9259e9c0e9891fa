// A small, plain view of the parts of a YAML document the rules look at,
// built from the `yaml` library's AST with source offsets. Aliases are
// followed and merge keys (`<<`) expanded, so rules see what the Agent sees.

import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, Scalar } from 'yaml';

/** Offsets into the text: [start, end). */
export interface Span {
  start: number;
  end: number;
}

export type YScalarStyle = 'plain' | 'single' | 'double' | 'block';

export interface YScalar extends Span {
  kind: 'scalar';
  /** The resolved value: string, number, boolean or null (an empty value is null). */
  value: string | number | boolean | null;
  /** The source text of the scalar (without quotes). */
  source: string;
  style: YScalarStyle;
  /** True when the value came through an alias: its span is the anchor's. */
  viaAlias: boolean;
}

export interface YMap extends Span {
  kind: 'map';
  entries: YEntry[];
  anchored: boolean;
  viaAlias: boolean;
  /** Flow style (`{a: b}`): edits must not insert block lines into it. */
  flow: boolean;
}

export interface YSeq extends Span {
  kind: 'seq';
  items: YValue[];
  viaAlias: boolean;
  flow: boolean;
}

export type YValue = YScalar | YMap | YSeq;

export interface YEntry {
  key: string;
  keySpan: Span;
  value: YValue;
  /** Came from a merge key (`<<: *x`): own keys override it. */
  merged: boolean;
}

const MAX_ALIAS_DEPTH = 32;

/** Converts a node (and everything under it) into the plain tree. */
export function toValue(node: unknown, doc: Document, viaAlias = false, depth = 0): YValue {
  if (depth > MAX_ALIAS_DEPTH) return emptyScalar(0);
  if (isAlias(node)) {
    const target = safeResolve(node, doc);
    if (!target) return emptyScalar(node.range?.[0] ?? 0, true);
    return toValue(target, doc, true, depth + 1);
  }
  if (isMap(node)) {
    const [start, end] = spanOf(node);
    return { kind: 'map', start, end, entries: mapEntries(node, doc, depth), anchored: !!node.anchor, viaAlias, flow: !!node.flow };
  }
  if (isSeq(node)) {
    const [start, end] = spanOf(node);
    return { kind: 'seq', start, end, items: node.items.map((i) => toValue(i, doc, viaAlias, depth + 1)), viaAlias, flow: !!node.flow };
  }
  if (isScalar(node)) {
    const [start, end] = spanOf(node);
    const v = node.value;
    const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : typeof v === 'bigint' ? Number(v) : null;
    return { kind: 'scalar', start, end, value, source: typeof node.source === 'string' ? node.source : String(v ?? ''), style: styleOf(node), viaAlias };
  }
  // A pair with no value at all (`key:` at the end of a flow map).
  return emptyScalar(0, viaAlias);
}

function emptyScalar(at: number, viaAlias = false): YScalar {
  return { kind: 'scalar', start: at, end: at, value: null, source: '', style: 'plain', viaAlias };
}

function styleOf(node: Scalar): YScalarStyle {
  switch (node.type) {
    case Scalar.QUOTE_SINGLE:
      return 'single';
    case Scalar.QUOTE_DOUBLE:
      return 'double';
    case Scalar.BLOCK_FOLDED:
    case Scalar.BLOCK_LITERAL:
      return 'block';
    default:
      return 'plain';
  }
}

function spanOf(node: { range?: [number, number, number] | null }): [number, number] {
  const r = node.range;
  return r ? [r[0], r[1]] : [0, 0];
}

function safeResolve(node: { resolve(doc: Document): unknown }, doc: Document): unknown {
  try {
    return node.resolve(doc);
  } catch {
    return undefined;
  }
}

function isMergeKey(pair: Pair): boolean {
  const k = pair.key;
  return isScalar(k) && (typeof k.value === 'symbol' || (k.value === '<<' && k.type === Scalar.PLAIN));
}

/** A map's entries: own keys first in source order, then what merge keys bring in (own keys win). */
function mapEntries(node: { items: Pair[] }, doc: Document, depth: number): YEntry[] {
  const own: YEntry[] = [];
  const merged: YEntry[] = [];
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    if (isMergeKey(pair)) {
      for (const source of mergeSources(pair.value, doc)) {
        const v = toValue(source, doc, true, depth + 1);
        if (v.kind === 'map') merged.push(...v.entries.map((e) => ({ ...e, merged: true })));
      }
      continue;
    }
    const key = keyText(pair.key);
    if (key === undefined) continue;
    const [ks, ke] = isScalar(pair.key) ? spanOf(pair.key) : [0, 0];
    const value = pair.value == null ? emptyScalar(ke) : toValue(pair.value, doc, false, depth + 1);
    own.push({ key, keySpan: { start: ks, end: ke }, value, merged: false });
  }
  const ownKeys = new Set(own.map((e) => e.key));
  return own.concat(merged.filter((e) => !ownKeys.has(e.key)));
}

function mergeSources(value: unknown, doc: Document): unknown[] {
  if (isSeq(value)) return value.items.map((i) => (isAlias(i) ? safeResolve(i, doc) : i));
  if (isAlias(value)) return [safeResolve(value, doc)];
  return [value];
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) {
    const v = key.value;
    return v === null || v === undefined ? '' : String(v);
  }
  return undefined;
}

/** Node's key pairs without converting values: for walking big parent maps cheaply. */
export function rawPairs(node: unknown): Pair[] {
  return isMap(node) ? node.items.filter(isPair) : [];
}

export { keyText as rawKeyText, isMergeKey as isRawMergeKey };

export function isRawMap(node: unknown): node is Node & { items: Pair[] } {
  return isMap(node);
}

/** Entries of a map by key; the last occurrence wins, as when the Agent loads the file. */
export function lastEntry(map: YMap, key: string): YEntry | undefined {
  for (let i = map.entries.length - 1; i >= 0; i--) if (map.entries[i].key === key && !map.entries[i].merged) return map.entries[i];
  return map.entries.find((e) => e.key === key);
}

/** The scalar's value as a string the Agent would read (numbers and booleans as written). */
export function scalarString(v: YScalar): string {
  if (v.value === null) return '';
  return typeof v.value === 'string' ? v.value : v.source;
}
