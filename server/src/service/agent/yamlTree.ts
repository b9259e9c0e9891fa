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

/**
 * Beyond this many entries copied in by merge keys (`<<: *x`) in one
 * extraction, a document is a merge bomb (thousands of maps merging the same
 * big anchor): later merges bring nothing in. Aliases themselves cost nothing
 * past their first use: the node an alias names is converted once and shared.
 */
const MAX_MERGED_ENTRIES = 50_000;

/** Per parsed document: what toValue knows across calls. */
interface DocState {
  /** Each alias node → the node it names; built on the first alias met. */
  targets?: Map<unknown, unknown>;
  /** Anchored nodes being converted right now: an alias to one of them is a cycle. */
  open: Set<unknown>;
  /** Each node an alias names, converted once: `*x` used a thousand times costs one conversion ("billion laughs" included). */
  viaAlias: Map<unknown, YValue>;
  /** Entries merge keys have copied since the extraction began. */
  mergedEntries: number;
}

const states = new WeakMap<Document, DocState>();

function stateOf(doc: Document): DocState {
  let st = states.get(doc);
  if (!st) states.set(doc, (st = { open: new Set(), viaAlias: new Map(), mergedEntries: 0 }));
  return st;
}

/**
 * A fresh budget for merge keys: each extraction of a document (lint, login
 * targets) gets the whole of it, however many ran before on the same parse.
 */
export function resetAliasBudget(doc: Document): void {
  stateOf(doc).mergedEntries = 0;
}

/** Converts a node (and everything under it) into the plain tree. */
export function toValue(node: unknown, doc: Document, viaAlias = false, depth = 0): YValue {
  if (depth > MAX_ALIAS_DEPTH) return emptyScalar(0);
  const st = stateOf(doc);
  if (isAlias(node)) {
    const target = resolveAlias(node, doc);
    // An alias inside the node it names (`&a {self: *a}`) would be infinite: cut it there.
    if (!target || st.open.has(target)) return emptyScalar(node.range?.[0] ?? 0, true);
    return toValue(target, doc, true, depth + 1);
  }
  // Under an alias, an anchored node reads the same wherever it is reached from: convert it once.
  const anchored = viaAlias && (isMap(node) || isSeq(node) || isScalar(node)) && !!node.anchor;
  if (anchored) {
    const done = st.viaAlias.get(node);
    if (done) return done;
  }
  const value = convert(node, doc, st, viaAlias, depth);
  if (anchored) st.viaAlias.set(node, value);
  return value;
}

function convert(node: unknown, doc: Document, st: DocState, viaAlias: boolean, depth: number): YValue {
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
 * walk per alias (which made many aliases quadratic). Undefined for an alias
 * to no anchor.
 */
export function resolveAlias(alias: unknown, doc: Document): unknown {
  const st = stateOf(doc);
  st.targets ??= indexAliases(doc);
  return st.targets.get(alias);
}

/** The nodes some alias names: anchors that are used, not only written. */
export function aliasedNodes(doc: Document): Set<unknown> {
  const st = stateOf(doc);
  st.targets ??= indexAliases(doc);
  return new Set(st.targets.values());
}

/**
 * Each alias → its node, in one walk in document order (the order anchors
 * shadow each other in). Iterative: as deep as the parser could go, this goes.
 */
function indexAliases(doc: Document): Map<unknown, unknown> {
  const targets = new Map<unknown, unknown>();
  const anchors = new Map<string, unknown>();
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target !== undefined) targets.set(node, target);
      continue;
    }
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (!isMap(node) && !isSeq(node) && !isScalar(node)) continue;
    if (node.anchor) anchors.set(node.anchor, node);
    if (isMap(node) || isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
  }
  return targets;
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
  const st = stateOf(doc);
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
          const target = resolveAlias(source, doc);
          if (target && mergedTargets.has(target)) continue;
          mergedTargets.add(target);
        }
        // An alias adds its own level of depth, as resolving it here used to.
        const v = isAlias(source) ? toValue(source, doc, true, depth) : toValue(source, doc, true, depth + 1);
        if (v.kind !== 'map') continue;
        for (const e of v.entries) {
          if (mergedKeys.has(e.key)) continue;
          if (st.mergedEntries >= MAX_MERGED_ENTRIES) break;
          st.mergedEntries++;
          mergedKeys.add(e.key);
          merged.push({ ...e, merged: true });
        }
      }
      continue;
    }
    const key = keyText(pair.key, doc);
    if (key === undefined) continue;
    const [ks, ke] = isScalar(pair.key) || isAlias(pair.key) ? spanOf(pair.key) : [0, 0];
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

/**
 * A key's text: a scalar's value, or the value of the scalar an alias key
 * (`*k : value`) names; undefined for a key that is a map, a list or an alias
 * to nothing (the Agent would not read it as a name).
 */
function keyText(key: unknown, doc?: Document): string | undefined {
  const k = isAlias(key) && doc ? resolveAlias(key, doc) : key;
  if (isScalar(k)) {
    const v = k.value;
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

/** Below this many entries a map is searched in place; above it, through an index built once. */
const INDEXED_FROM = 16;

/** Each large map's entries → its lookup by key (what `lastEntry` answers), built on the first lookup. */
const lookups = new WeakMap<readonly YEntry[], { length: number; byKey: Map<string, YEntry> }>();

/**
 * Entries of a map by key; the last occurrence wins, as when the Agent loads
 * the file (a merged key only when no own key has the name). Constant time on
 * a large map: rules ask once per key or per section, and a map may hold
 * thousands of keys.
 */
export function lastEntry(map: YMap, key: string): YEntry | undefined {
  const entries = map.entries;
  if (entries.length < INDEXED_FROM) {
    for (let i = entries.length - 1; i >= 0; i--) if (entries[i].key === key && !entries[i].merged) return entries[i];
    return entries.find((e) => e.key === key);
  }
  let lookup = lookups.get(entries);
  if (!lookup || lookup.length !== entries.length) {
    const byKey = new Map<string, YEntry>();
    for (const e of entries) {
      // An own key replaces anything before it; a merged one only fills a gap.
      if (!e.merged || !byKey.has(e.key)) byKey.set(e.key, e);
    }
    lookups.set(entries, (lookup = { length: entries.length, byKey }));
  }
  return lookup.byKey.get(key);
}

/** The scalar's value as a string the Agent would read (numbers and booleans as written). */
export function scalarString(v: YScalar): string {
  if (v.value === null) return '';
  return typeof v.value === 'string' ? v.value : v.source;
}
