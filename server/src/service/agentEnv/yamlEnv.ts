// Environment lists and maps of the Helm chart and the Operator read into
// EnvSettings. Each list item is a corev1.EnvVar, read as a pod spec's
// (kubernetes.ts readEnvVar); on top of that, how the Datadog chart renders
// them (`additional-env-entries`, `additional-env-dict-entries` in
// charts/datadog/templates/_helpers.tpl) and small helpers to walk values.
// Every shape a reader can meet (a list where a map is, numbers, nulls,
// aliases) gives settings or nothing, never an exception.

import { lastEntry, scalarString, type Span, type YEntry, type YMap, type YValue } from '../agent/yamlTree';
import { describeValueFrom, readEnvVar } from './kubernetes';
import type { EnvSetting, SettingValue, ValueSyntax } from './settings';

/** A Helm or Go template in a value: the chart renders it (through `tpl` or an outer template), we cannot see its result. */
const TEMPLATE = /\{\{/;
/** Worded as the Kubernetes reader words a template's value. */
const TEMPLATE_SOURCE = 'from a template (`{{ … }}`)';

/** The map at `keys` below `map`, or undefined when any step is missing or not a map. */
export function mapAt(map: YValue | undefined, ...keys: string[]): YMap | undefined {
  let cur: YValue | undefined = map;
  for (const k of keys) {
    if (cur?.kind !== 'map') return undefined;
    cur = lastEntry(cur, k)?.value;
  }
  return cur?.kind === 'map' ? cur : undefined;
}

/** The entry `key` of a map value, if the value is a map. */
export function entryOf(map: YValue | undefined, key: string): YEntry | undefined {
  return map?.kind === 'map' ? lastEntry(map, key) : undefined;
}

/** A scalar's text, or undefined for anything else (a null counts as no text). */
export function scalarText(v: YValue | undefined): string | undefined {
  return v?.kind === 'scalar' && v.value !== null ? scalarString(v) : undefined;
}

export function isTemplate(text: string): boolean {
  return TEMPLATE.test(text);
}

/**
 * What the Agent receives for a value written here (a form's own key such as
 * `datadog.site`): a scalar is a literal unless it holds a template; anything
 * else is unknown, never judged.
 */
export function settingValue(v: YValue, syntax: ValueSyntax, text: string): SettingValue {
  if (v.kind !== 'scalar') return { kind: 'unknown', span: trimmed(text, v), source: 'a value that is not a string' };
  const value = v.value === null ? '' : scalarString(v);
  if (isTemplate(value)) return { kind: 'unknown', span: { start: v.start, end: v.end }, source: TEMPLATE_SOURCE };
  return { kind: 'literal', text: value, span: { start: v.start, end: v.end }, syntax, replaceable: !v.viaAlias && v.style !== 'block' && v.end > v.start };
}

/** A node's span without the line break and indentation a block node's range ends with. */
export function trimmed(text: string, s: Span): Span {
  let end = Math.min(s.end, text.length);
  while (end > s.start && /\s/.test(text[end - 1])) end--;
  return { start: s.start, end };
}

export interface EnvReadOptions {
  syntax: ValueSyntax;
  /** The document's text (to trim block nodes' spans). */
  text: string;
  /**
   * The list is rendered by the Datadog chart: it writes an item's `value`
   * only when it is truthy (`{{- if .value }}`; else `valueFrom`, null when
   * absent: an empty variable). Kubernetes and the Operator take the item
   * as written. (A `{{ … }}` in a value is unknown in every form: readEnvVar.)
   */
  helm?: boolean;
}

/** A list of env items, in order (for a name given twice, the later one wins, as in a pod spec). */
export function readEnvList(list: YValue | undefined, options: EnvReadOptions): EnvSetting[] {
  if (list?.kind !== 'seq') return [];
  const out: EnvSetting[] = [];
  for (const item of list.items) {
    if (item.kind !== 'map') continue;
    const read = readEnvVar(item, undefined);
    if (!read || (options.helm && isTemplate(read.label))) continue;
    out.push(adapt(read, item, options));
  }
  return out;
}

function adapt(s: EnvSetting, item: YMap, options: EnvReadOptions): EnvSetting {
  let value = s.value;
  if (value.kind === 'unknown') value = { ...value, span: trimmed(options.text, value.span) };
  else {
    if (options.syntax !== value.syntax) value = { ...value, syntax: options.syntax };
    if (options.helm) {
      const written = lastEntry(item, 'value')?.value;
      if (written && !truthy(written)) value = { ...value, text: '' };
    }
  }
  return { ...s, value };
}

/** Go templates' truth: false, 0, "" and null are false. */
function truthy(v: YValue): boolean {
  if (v.kind !== 'scalar') return true;
  return !(v.value === null || v.value === false || v.value === 0 || v.value === '');
}

/**
 * A map of name → value (the chart's `envDict`). The chart ranges over it,
 * and Go templates range over a map in sorted key order: the order the pod
 * receives them in. A map value is rendered as the item's own fields
 * (`valueFrom: …`): unknown.
 */
export function readEnvDict(dict: YValue | undefined, options: EnvReadOptions): EnvSetting[] {
  if (dict?.kind !== 'map') return [];
  const latest = new Map<string, YEntry>();
  for (const e of dict.entries) if (!e.merged || !latest.has(e.key)) latest.set(e.key, e);
  const keys = [...latest.keys()].filter((k) => k && !isTemplate(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => {
    const e = latest.get(k)!;
    const v = e.value;
    let value: SettingValue;
    if (v.kind === 'map') {
      const from = lastEntry(v, 'valueFrom');
      value = { kind: 'unknown', span: trimmed(options.text, v), source: from ? describeValueFrom(from.value) : "from the entry's own fields" };
    } else value = settingValue(v, options.syntax, options.text);
    return { name: k.toUpperCase(), label: k, nameSpan: { start: e.keySpan.start, end: e.keySpan.end }, value };
  });
}
