// A small, plain view of the parts of a YAML document the rules look at,
// built from the `yaml` library's AST with source offsets. Aliases are
// followed and merge keys (`<<`) expanded, so rules see what the Agent sees.

import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type Node, type Pair, Scalar } from 'yaml';

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

/**
 * Beyond this many nodes converted inside alias expansions, a document is an
 * alias bomb ("billion laughs": aliases of aliases of lists of aliases…):
 * whatever is left reads as its node without children (a map, a list or a
 * scalar still, so types are judged right). Text without aliases costs what it
 * is long.
 */
const MAX_ALIAS_NODES = 50_000;

/** Per parsed document: what toValue knows across calls. */
interface DocState {
  /** Each alias node → the node it names; built on the first alias met. */
  targets?: Map<unknown, unknown>;
  /** Anchored nodes being converted right now: an alias to one of them is a cycle. */
  open: Set<unknown>;
  /** How deep in alias expansions the conversion is, and how many nodes they made. */
  aliasDepth: number;
  aliasNodes: number;
}

const states = new WeakMap<Document, DocState>();

function stateOf(doc: Document): DocState {
  let st = states.get(doc);
  if (!st) states.set(doc, (st = { open: new Set(), aliasDepth: 0, aliasNodes: 0 }));
  return st;
}

/** Converts a node (and everything under it) into the plain tree. */
export function toValue(node: unknown, doc: Document, viaAlias = false, depth = 0): YValue {
  if (depth > MAX_ALIAS_DEPTH) return emptyScalar(0);
  const st = stateOf(doc);
  if (st.aliasDepth > 0 && ++st.aliasNodes > MAX_ALIAS_NODES) return shallow(isAlias(node) ? resolveAlias(node, doc, st) : node);
  if (isAlias(node)) {
    const target = resolveAlias(node, doc, st);
    // An alias inside the node it names (`&a {self: *a}`) would be infinite: cut it there.
    if (!target || st.open.has(target)) return emptyScalar(node.range?.[0] ?? 0, true);
    st.aliasDepth++;
    try {
      return toValue(target, doc, true, depth + 1);
    } finally {
      st.aliasDepth--;
    }
  }
  if (isMap(node)) {
    const [start, end] = spanOf(node);
    return { kind: 'map', start, end, entries: whileOpen(st, node, () => mapEntries(node, doc, depth, viaAlias)), anchored: !!node.anchor, viaAlias, flow: !!node.flow };
  }
  if (isSeq(node)) {
    const [start, end] = spanOf(node);
    return { kind: 'seq', start, end, items: whileOpen(st, node, () => node.items.map((i) => toValue(i, doc, viaAlias, depth + 1))), viaAlias, flow: !!node.flow };
  }
  if (isScalar(node)) return toScalar(node, viaAlias);
  // A pair with no value at all (`key:` at the end of a flow map).
  return emptyScalar(0, viaAlias);
}

function toScalar(node: Scalar, viaAlias: boolean): YScalar {
  const [start, end] = spanOf(node);
  const v = node.value;
  const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : typeof v === 'bigint' ? Number(v) : null;
  return { kind: 'scalar', start, end, value, source: typeof node.source === 'string' ? node.source : String(v ?? ''), style: styleOf(node), viaAlias };
}

/** A node without its children: what an alias bomb's nodes read as once the budget is spent (the kind stays right). */
function shallow(node: unknown): YValue {
  const [start, end] = spanOf((node ?? {}) as { range?: [number, number, number] });
  if (isMap(node)) return { kind: 'map', start, end, entries: [], anchored: !!node.anchor, viaAlias: true, flow: !!node.flow };
  if (isSeq(node)) return { kind: 'seq', start, end, items: [], viaAlias: true, flow: !!node.flow };
  if (isScalar(node)) return toScalar(node, true);
  return emptyScalar(start, true);
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

/** Runs `convert` with an anchored node marked open, so aliases to it inside are seen as cycles. */
function whileOpen<T>(st: DocState, node: { anchor?: string }, convert: () => T): T {
  if (!node.anchor || st.open.has(node)) return convert();
  st.open.add(node);
  try {
    return convert();
  } finally {
    st.open.delete(node);
  }
}

/**
 * The node an alias names: the last node with that anchor before the alias,
 * as `Alias.resolve` finds it, but from one walk of the document instead of a
 * walk per alias (which made many aliases quadratic).
 */
function resolveAlias(alias: { source: string; resolve(doc: Document): unknown }, doc: Document, st: DocState): unknown {
  st.targets ??= indexAliases(doc);
  if (st.targets.has(alias)) return st.targets.get(alias);
  return safeResolve(alias, doc);
}

function indexAliases(doc: Document): Map<unknown, unknown> {
  const targets = new Map<unknown, unknown>();
  const anchors = new Map<string, unknown>();
  try {
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) targets.set(node, anchors.get(node.source));
        else if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) anchors.set(node.anchor, node);
      },
    });
  } catch {
    // Nested too deep to walk: aliases not reached fall back to the library.
  }
  return targets;
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

/**
 * A map's entries: own keys first in source order, then what merge keys bring
 * in (own keys win; among merged ones the first source wins, as `lastEntry`
 * reads them, so a key merged again from a later source is left out; without
 * that, merges of merges multiplied entries exponentially).
 */
function mapEntries(node: { items: Pair[] }, doc: Document, depth: number, viaAlias: boolean): YEntry[] {
  const own: YEntry[] = [];
  const merged: YEntry[] = [];
  const mergedKeys = new Set<string>();
  const mergedTargets = new Set<unknown>();
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    if (isMergeKey(pair)) {
      for (const source of mergeSources(pair.value)) {
        if (isAlias(source)) {
          // Merging the same anchor again adds no key: skip it rather than convert it again.
          const target = resolveAlias(source, doc, stateOf(doc));
          if (target && mergedTargets.has(target)) continue;
          mergedTargets.add(target);
        }
        // An alias adds its own level of depth, as resolving it here used to.
        const v = isAlias(source) ? toValue(source, doc, true, depth) : toValue(source, doc, true, depth + 1);
        if (v.kind !== 'map') continue;
        for (const e of v.entries) {
          if (mergedKeys.has(e.key)) continue;
          mergedKeys.add(e.key);
          merged.push({ ...e, merged: true });
        }
      }
      continue;
    }
    const key = keyText(pair.key);
    if (key === undefined) continue;
    const [ks, ke] = isScalar(pair.key) ? spanOf(pair.key) : [0, 0];
    // Everything under an alias is written at the anchor: edits there would change every user of it.
    const value = pair.value == null ? emptyScalar(ke, viaAlias) : toValue(pair.value, doc, viaAlias, depth + 1);
    own.push({ key, keySpan: { start: ks, end: ke }, value, merged: false });
  }
  const ownKeys = new Set(own.map((e) => e.key));
  return own.concat(merged.filter((e) => !ownKeys.has(e.key)));
}

/** What a merge key merges: aliases are left for toValue to resolve (and to guard against cycles). */
function mergeSources(value: unknown): unknown[] {
  if (isSeq(value)) return value.items;
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
