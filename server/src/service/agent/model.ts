// Extracts from a parsed datadog.yaml what the agent rules judge: the
// `delegated_auth` sections (supported or not) with their API key slots, the
// `site`, duplicate keys along the way, and `DELA(…)` directives. Walks only
// the parts that matter, so a 50,000-line file costs little beyond its parse.

import { isMap, isPair, isScalar, isSeq, type Document, type Pair } from 'yaml';
import { collectArnPatterns, type ArnPatternValue } from './arnPatterns';
import { isRawMergeKey, lastEntry, rawKeyText, toValue, type Span, type YEntry, type YMap, type YScalar, type YValue } from './yamlTree';

/** The sections that read `delegated_auth`, and the API key slot each fills (PROTOCOL.md §4). */
export const SUPPORTED_PARENTS: readonly (string | null)[] = [null, 'logs_config', 'remote_configuration', 'evp_proxy_config', 'ol_proxy_config'];

export interface DelegatedAuthSection {
  /** Dotted path of the section, e.g. `logs_config.delegated_auth`. */
  path: string;
  /** The top-level section it sits in; null for the global one. */
  parent: string | null;
  supported: boolean;
  keySpan: Span;
  value: YValue;
  /** The `api_key` beside it (`api_key`, `logs_config.api_key`, …), when present. */
  apiKey?: YValue;
  /** The parent section's map (the root map for the global section). */
  parentMap?: YMap;
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
  site?: { keySpan: Span; value: YValue };
  duplicates: DuplicateKey[];
  directives: DelaDirective[];
  /** The root mapping; undefined when the document is not a mapping (a list, a scalar, empty). */
  root?: YMap;
  /** Every `arn_pattern` string, anywhere in the document. */
  arnPatterns: ArnPatternValue[];
}

const ADDITIONAL_ENDPOINT_PARENTS: readonly (string | null)[] = [null, 'apm_config', 'logs_config'];

export function extractAgentModel(doc: Document, text: string): AgentModel {
  const model: AgentModel = { sections: [], duplicates: [], directives: [], arnPatterns: text.includes('arn_pattern') ? collectArnPatterns(doc) : [] };
  const rootNode = doc.contents;
  if (!isMap(rootNode)) return model;
  const rootPairs = rootNode.items.filter(isPair);
  const mentionsDelegatedAuth = text.includes('delegated_auth');
  const mentionsDela = text.includes('DELA(');

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
    const key = rawKeyText(pair.key);
    if (key === undefined) continue;
    const keySpan = spanOfKey(pair);
    const value = interesting.has(key) ? toValue(pair.value, doc) : placeholder(pair);
    root.entries.push({ key, keySpan, value, merged: false });
  }
  model.root = root;

  const site = lastEntry(root, 'site');
  if (site) model.site = { keySpan: site.keySpan, value: site.value };

  // Sections where they are supported.
  for (const parent of SUPPORTED_PARENTS) {
    const parentMap = parent === null ? root : mapAt(root, parent);
    if (!parentMap) continue;
    for (const entry of parentMap.entries) {
      if (entry.key !== 'delegated_auth') continue;
      const apiKey = lastEntry(parentMap, 'api_key');
      model.sections.push({
        path: parent ? `${parent}.delegated_auth` : 'delegated_auth',
        parent,
        supported: true,
        keySpan: entry.keySpan,
        value: entry.value,
        apiKey: apiKey?.value,
        parentMap,
      });
    }
  }

  // Sections anywhere else (unsupported), found by a raw walk only when the text mentions them.
  if (mentionsDelegatedAuth) {
    for (const pair of rootPairs) {
      const key = rawKeyText(pair.key);
      if (key === undefined || key === 'delegated_auth' || SUPPORTED_PARENTS.includes(key)) continue;
      findNested(pair.value, key, doc, model, 0, false);
    }
    for (const parent of SUPPORTED_PARENTS) {
      if (!parent) continue;
      const parentPair = rootPairs.find((p) => rawKeyText(p.key) === parent);
      if (!parentPair || !isMap(parentPair.value)) continue;
      for (const pair of parentPair.value.items.filter(isPair)) {
        const key = rawKeyText(pair.key);
        if (key === undefined || key === 'delegated_auth') continue;
        findNested(pair.value, `${parent}.${key}`, doc, model, 0, !!parentPair.value.anchor);
      }
    }
  }

  // Duplicate keys in every map on the way to a section, and in the sections themselves.
  if (model.sections.some((s) => s.supported)) {
    collectDuplicates(root, '', model.duplicates);
    const seenParents = new Set<YMap>();
    for (const s of model.sections) {
      if (!s.supported) continue;
      if (s.parentMap && s.parentMap !== root && !seenParents.has(s.parentMap)) {
        seenParents.add(s.parentMap);
        collectDuplicates(s.parentMap, s.parent ?? '', model.duplicates);
      }
      if (s.value.kind === 'map') {
        collectDuplicates(s.value, s.path, model.duplicates);
        const aws = lastEntry(s.value, 'aws');
        if (aws?.value.kind === 'map') collectDuplicates(aws.value, `${s.path}.aws`, model.duplicates);
      }
    }
  }

  if (mentionsDela) collectDirectives(root, model);
  return model;
}

function spanOfKey(pair: Pair): Span {
  const r = isScalar(pair.key) ? pair.key.range : undefined;
  return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
}

/** Stands in for a root value no rule reads: its span, but no content. */
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

const MAX_WALK_DEPTH = 64;

/**
 * Looks for `delegated_auth` keys below a section that does not read them.
 * Maps that carry an anchor are templates for merge keys: what is inside them
 * is judged where it is merged, not where it is written.
 */
function findNested(node: unknown, path: string, doc: Document, model: AgentModel, depth: number, underAnchor: boolean): void {
  if (depth > MAX_WALK_DEPTH) return;
  if (isMap(node)) {
    const anchored = underAnchor || !!node.anchor;
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = rawKeyText(pair.key);
      if (key === undefined) continue;
      if (key === 'delegated_auth' && !anchored) {
        model.sections.push({ path: `${path}.delegated_auth`, parent: path, supported: false, keySpan: spanOfKey(pair), value: toValue(pair.value, doc) });
        continue;
      }
      findNested(pair.value, `${path}.${key}`, doc, model, depth + 1, anchored);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => findNested(item, `${path}[${i}]`, doc, model, depth + 1, underAnchor || !!node.anchor));
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
        for (const k of keys) if (k.kind === 'scalar' && isDirective(k)) model.directives.push({ scalar: k, path: `${path}.${e.key}` });
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
