// Extracts from a parsed datadog.yaml what the agent rules judge: the
// `delegated_auth` sections (supported or not) with their API key slots, the
// `site`, duplicate keys along the way, and `DELA(…)` directives. Walks only
// the parts that matter, so a 50,000-line file costs little beyond its parse.

import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Pair } from 'yaml';
import { collectArnPatterns, type ArnPatternValue } from './arnPatterns';
import { shorten } from './describe';
import { aliasedNodes, isRawMergeKey, lastEntry, rawKeyText, resetAliasBudget, resolveAlias, toValue, type Span, type YEntry, type YMap, type YScalar, type YValue } from './yamlTree';

/** The sections that read `delegated_auth`, and the API key slot each fills (PROTOCOL.md §4). */
export const SUPPORTED_PARENTS: readonly (string | null)[] = [null, 'logs_config', 'remote_configuration', 'evp_proxy_config', 'ol_proxy_config'];

export interface DelegatedAuthSection {
  /** Dotted path of the section, e.g. `logs_config.delegated_auth`. */
  path: string;
  /** The top-level section it sits in; null for the global one. */
  parent: string | null;
  supported: boolean;
  keySpan: Span;
  /** What the section holds; for an unsupported section only its place and kind (no rule looks inside). */
  value: YValue;
  /** The `api_key` beside it (`api_key`, `logs_config.api_key`, …), when present. */
  apiKey?: YValue;
  /** The parent section's map (the root map for the global section). */
  parentMap?: YMap;
  /**
   * The section's text is written where the Agent reads it: neither it nor
   * the map it sits in came through an alias or a merge key (`<<:`). Editing
   * it elsewhere would change the anchor, and every other place that uses it.
   */
  writtenHere: boolean;
  /**
   * An earlier section of the same kind (global, or per-product) has this
   * very value: one anchor used through aliases by both. What is inside it
   * was judged there, at the same text; only what is about this section's
   * own key is judged again. Without it, a thousand aliases of one large
   * anchor cost a thousand times its size.
   */
  repeat?: boolean;
}

export interface DuplicateKey {
  key: string;
  /** Dotted path of the map the key is in ('' for the root). */
  mapPath: string;
  keySpan: Span;
  firstSpan: Span;
}

export interface DelaDirective {
  /** The scalar holding the directive. */
  scalar: YScalar;
  /** Dotted path of where it was found, for messages. */
  path: string;
  /** For list entries of `logs_config.additional_endpoints`: whether the entry has a `host`. */
  entryHasHost?: boolean;
  entrySpan?: Span;
}

export interface AgentModel {
  sections: DelegatedAuthSection[];
  /** `merged`: brought in by a merge key at the top level. */
  site?: { keySpan: Span; value: YValue; merged: boolean };
  duplicates: DuplicateKey[];
  directives: DelaDirective[];
  /** The root mapping; undefined when the document is not a mapping (a list, a scalar, empty). */
  root?: YMap;
  /** Every `arn_pattern` string, anywhere in the document. */
  arnPatterns: ArnPatternValue[];
  /**
   * The text of anchors that an alias uses, outermost first, in order and
   * apart: the only text a rule can reach twice (once per user of the anchor).
   */
  aliasedSpans: Span[];
}

const ADDITIONAL_ENDPOINT_PARENTS: readonly (string | null)[] = [null, 'apm_config', 'logs_config'];

/**
 * `mentions` says whether the text holds a word; the checks only skip work
 * that would find nothing, so any answer that is true whenever the word is in
 * the document's nodes gives the same model (the incremental lint answers
 * from its blocks instead of searching the whole text).
 */
export function extractAgentModel(doc: Document, text: string, mentions: (word: string) => boolean = (w) => text.includes(w)): AgentModel {
  resetAliasBudget(doc);
  const model: AgentModel = { sections: [], duplicates: [], directives: [], arnPatterns: mentions('arn_pattern') ? collectArnPatterns(doc) : [], aliasedSpans: [] };
  const rootNode = doc.contents;
  if (!isMap(rootNode)) return model;
  const rootPairs = rootNode.items.filter(isPair);
  const mentionsDelegatedAuth = mentions('delegated_auth');
  const mentionsDela = mentions('DELA(');
  model.aliasedSpans = mentions('*') ? outermostSpans(aliasedNodes(doc)) : [];

  // The root map is converted shallowly: its values only where a rule looks.
  const interesting = new Set<string>(['site', 'api_key', 'delegated_auth']);
  for (const p of SUPPORTED_PARENTS) if (p) interesting.add(p);
  if (mentionsDela) for (const p of ADDITIONAL_ENDPOINT_PARENTS) interesting.add(p ?? 'additional_endpoints');
  if (mentionsDela) interesting.add('additional_endpoints');

  const root: YMap = { kind: 'map', start: rootNode.range?.[0] ?? 0, end: rootNode.range?.[1] ?? 0, entries: [], anchored: !!rootNode.anchor, viaAlias: false, flow: !!rootNode.flow };
  for (const pair of rootPairs) {
    if (isRawMergeKey(pair)) {
      // Rare at the root; convert it whole so merged sections are seen.
      const whole = toValue(rootNode, doc);
      if (whole.kind === 'map') root.entries = whole.entries;
      break;
    }
    const key = rawKeyText(pair.key, doc);
    if (key === undefined) continue;
    const keySpan = spanOfKey(pair);
    const value = interesting.has(key) ? toValue(pair.value, doc) : placeholder(pair);
    root.entries.push({ key, keySpan, value, merged: false });
  }
  model.root = root;

  const site = lastEntry(root, 'site');
  if (site) model.site = { keySpan: site.keySpan, value: site.value, merged: site.merged };

  // Sections where they are supported.
  for (const parent of SUPPORTED_PARENTS) {
    const parentEntry = parent === null ? undefined : lastEntry(root, parent);
    const parentMap = parent === null ? root : parentEntry?.value.kind === 'map' ? parentEntry.value : undefined;
    if (!parentMap) continue;
    const parentWrittenHere = !parentMap.viaAlias && !parentEntry?.merged;
    const apiKey = lastEntry(parentMap, 'api_key')?.value;
    for (const entry of parentMap.entries) {
      if (entry.key !== 'delegated_auth') continue;
      model.sections.push({
        path: parent ? `${parent}.delegated_auth` : 'delegated_auth',
        parent,
        supported: true,
        keySpan: entry.keySpan,
        value: entry.value,
        apiKey,
        parentMap,
        writtenHere: parentWrittenHere && !entry.merged && !entry.value.viaAlias,
      });
    }
  }

  // Sections anywhere else (unsupported), found by a raw walk only when the text mentions them.
  if (mentionsDelegatedAuth) {
    const walk = new NestedWalk(doc, model);
    for (const pair of rootPairs) {
      const key = rawKeyText(pair.key, doc);
      if (key === undefined || key === 'delegated_auth' || SUPPORTED_PARENTS.includes(key)) continue;
      if (isRawMergeKey(pair)) walk.mergeSources(pair.value, null, 0);
      else walk.visit(pair.value, displayKey(key), 0);
    }
    for (const parent of SUPPORTED_PARENTS) {
      if (!parent) continue;
      const parentPair = rootPairs.find((p) => rawKeyText(p.key, doc) === parent);
      if (!parentPair) continue;
      // Through an alias, the parent's text is judged where the alias is; an anchored one, there only.
      const parentNode = isAlias(parentPair.value) ? resolveAlias(parentPair.value, doc) : parentPair.value;
      if (!isMap(parentNode)) continue;
      if (isAlias(parentPair.value) ? !walk.enter(parentNode) : isTemplate(parentNode)) continue;
      for (const pair of parentNode.items) {
        if (!isPair(pair)) continue;
        const key = rawKeyText(pair.key, doc);
        if (key === undefined || key === 'delegated_auth') continue;
        if (isRawMergeKey(pair)) continue; // merged into a supported parent: judged as its own keys are
        walk.visit(pair.value, `${parent}.${displayKey(key)}`, 0);
      }
    }
  }

  // In text order, so of the sections that share a value the one that writes it (an anchor comes before its aliases) is judged first.
  model.sections.sort((a, b) => a.keySpan.start - b.keySpan.start);
  markRepeats(model.sections);

  // Duplicate keys in every map on the way to a section, and in the sections themselves.
  if (model.sections.some((s) => s.supported)) {
    collectDuplicates(root, '', model.duplicates);
    const seenParents = new Set<YMap>();
    const seenSections = new Set<YMap>();
    for (const s of model.sections) {
      if (!s.supported) continue;
      if (s.parentMap && s.parentMap !== root && !seenParents.has(s.parentMap)) {
        seenParents.add(s.parentMap);
        collectDuplicates(s.parentMap, s.parent ?? '', model.duplicates);
      }
      // One anchor used as several sections has its duplicates once.
      if (s.value.kind === 'map' && !seenSections.has(s.value)) {
        seenSections.add(s.value);
        collectDuplicates(s.value, s.path, model.duplicates);
        const aws = lastEntry(s.value, 'aws');
        if (aws?.value.kind === 'map') collectDuplicates(aws.value, `${s.path}.aws`, model.duplicates);
      }
    }
  }

  if (mentionsDela) collectDirectives(root, model);
  return model;
}

function markRepeats(sections: DelegatedAuthSection[]): void {
  const seen = [new Set<YValue>(), new Set<YValue>()];
  for (const s of sections) {
    if (!s.supported) continue;
    const kind = seen[s.parent === null ? 0 : 1];
    if (kind.has(s.value)) s.repeat = true;
    else kind.add(s.value);
  }
}

/** A key as a path segment in messages: long keys cut, secrets masked. */
function displayKey(key: string): string {
  return shorten(key);
}

function spanOfKey(pair: Pair): Span {
  const r = isScalar(pair.key) || isAlias(pair.key) ? pair.key.range : undefined;
  return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
}

/** Stands in for a value no rule reads (at the top level, in an unsupported section): its span and kind, but no content. */
function placeholder(pair: Pair): YValue {
  const v = pair.value as { range?: [number, number, number] } | null;
  const start = v?.range?.[0] ?? spanOfKey(pair).end;
  const end = v?.range?.[1] ?? start;
  if (isMap(pair.value)) return { kind: 'map', start, end, entries: [], anchored: !!pair.value.anchor, viaAlias: false, flow: !!pair.value.flow };
  if (isSeq(pair.value)) return { kind: 'seq', start, end, items: [], viaAlias: false, flow: !!pair.value.flow };
  return { kind: 'scalar', start, end, value: null, source: '', style: 'plain', viaAlias: false };
}

function mapAt(root: YMap, key: string): YMap | undefined {
  const e = lastEntry(root, key);
  return e?.value.kind === 'map' ? e.value : undefined;
}

/** The spans of these nodes that no other of them contains, in text order. */
function outermostSpans(nodes: Set<unknown>): Span[] {
  const spans: Span[] = [];
  for (const n of nodes) {
    const r = (n as { range?: [number, number, number] | null }).range;
    if (r) spans.push({ start: r[0], end: r[1] });
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

const MAX_WALK_DEPTH = 64;

function isTemplate(node: unknown): boolean {
  return (isMap(node) || isSeq(node)) && !!node.anchor;
}

/**
 * Looks for `delegated_auth` keys below sections that do not read them,
 * following aliases and merge keys into what they name. A node with an
 * anchor is a template: what is inside it is judged where it is used (an
 * alias, a merge key), not where it is written. Each template is walked
 * once, so aliases of aliases ("billion laughs") cost what the text is long.
 */
class NestedWalk {
  private readonly walked = new Set<unknown>();

  constructor(
    private readonly doc: Document,
    private readonly model: AgentModel,
  ) {}

  /** Whether an alias target still has to be walked (a second use finds the same sections, at the same text). */
  enter(target: unknown): boolean {
    if (this.walked.has(target)) return false;
    this.walked.add(target);
    return true;
  }

  visit(node: unknown, path: string, depth: number): void {
    if (depth > MAX_WALK_DEPTH) return;
    if (isAlias(node)) {
      const target = resolveAlias(node, this.doc);
      if (target !== undefined && this.enter(target)) this.inside(target, path, depth + 1);
      return;
    }
    if (isTemplate(node)) return;
    this.inside(node, path, depth);
  }

  /** A node's contents, whether or not it is a template (it is reached through one of its aliases, or it is none). */
  private inside(node: unknown, path: string | null, depth: number): void {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isRawMergeKey(pair)) {
          this.mergeSources(pair.value, path, depth + 1);
          continue;
        }
        const key = rawKeyText(pair.key, this.doc);
        if (key === undefined) continue;
        const here = path === null ? displayKey(key) : `${path}.${displayKey(key)}`;
        if (key === 'delegated_auth') {
          // At the root (a root merge key), `delegated_auth` is the global section: judged as such.
          // No rule looks inside a section the Agent does not read: its value is only its place.
          if (path !== null) this.model.sections.push({ path: `${path}.delegated_auth`, parent: path, supported: false, keySpan: spanOfKey(pair), value: placeholder(pair), writtenHere: false });
          continue;
        }
        // Merged into the root: a supported parent is judged as one.
        if (path === null && SUPPORTED_PARENTS.includes(key)) continue;
        this.visit(pair.value, here, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => this.visit(item, `${path ?? ''}[${i}]`, depth + 1));
    }
  }

  /** What a merge key brings into the map at `path` (null: the root): its maps' keys, as if written there. */
  mergeSources(value: unknown, path: string | null, depth: number): void {
    for (const source of isSeq(value) ? value.items : [value]) {
      const target = isAlias(source) ? resolveAlias(source, this.doc) : source;
      if (!isMap(target) || (isAlias(source) && !this.enter(target))) continue;
      this.inside(target, path, depth);
    }
  }
}

function collectDuplicates(map: YMap, mapPath: string, out: DuplicateKey[]): void {
  const first = new Map<string, YEntry>();
  for (const e of map.entries) {
    if (e.merged) continue;
    const prior = first.get(e.key);
    if (prior) out.push({ key: e.key, mapPath, keySpan: e.keySpan, firstSpan: prior.keySpan });
    else first.set(e.key, e);
  }
}

function collectDirectives(root: YMap, model: AgentModel): void {
  for (const parent of ADDITIONAL_ENDPOINT_PARENTS) {
    const holder = parent === null ? root : mapAt(root, parent);
    const endpoints = holder && lastEntry(holder, 'additional_endpoints');
    if (!endpoints) continue;
    const path = parent ? `${parent}.additional_endpoints` : 'additional_endpoints';
    const v = endpoints.value;
    if (v.kind === 'map') {
      // `{ "https://url": ["key", "DELA(…)"] }`
      for (const e of v.entries) {
        const keys = e.value.kind === 'seq' ? e.value.items : [e.value];
        for (const k of keys) if (k.kind === 'scalar' && isDirective(k)) model.directives.push({ scalar: k, path: `${path}.${shorten(e.key, 80)}` });
      }
    } else if (v.kind === 'seq') {
      // logs_config style: `- host: …\n  api_key: DELA(…)`
      v.items.forEach((item, i) => {
        if (item.kind === 'scalar' && isDirective(item)) model.directives.push({ scalar: item, path: `${path}[${i}]` });
        if (item.kind !== 'map') return;
        const apiKey = lastEntry(item, 'api_key');
        if (apiKey?.value.kind === 'scalar' && isDirective(apiKey.value)) {
          const host = lastEntry(item, 'host');
          const hasHost = !!host && host.value.kind === 'scalar' && String(host.value.value ?? '').trim() !== '';
          model.directives.push({ scalar: apiKey.value, path: `${path}[${i}].api_key`, entryHasHost: hasHost, entrySpan: { start: item.start, end: item.end } });
        }
      });
    }
  }
}

function isDirective(s: YScalar): boolean {
  return typeof s.value === 'string' && /^\s*DELA\s*\(/.test(s.value);
}
