// Reading Kubernetes-style environment lists (`[{name, value | valueFrom}]`)
// and name → value maps out of a YAML document into EnvSettings: what the
// Helm chart's `datadog.env`/`envDict` and the Operator's `env` overrides are
// made of. Every shape a reader can meet (a list where a map is, numbers,
// nulls, aliases) gives settings or nothing, never an exception.

import { lastEntry, scalarString, type Span, type YEntry, type YMap, type YScalar, type YValue } from '../agent/yamlTree';
import type { EnvSetting, SettingValue, ValueSyntax } from './settings';

/** A Helm or Go template in a value: the chart renders it, we cannot see its result. */
const TEMPLATE = /\{\{/;

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
 * What the Agent receives for a value written here: a scalar is a literal
 * (unless it holds a template); anything else is unknown, never judged.
 */
export function settingValue(v: YValue, syntax: ValueSyntax, unknownSource: string): SettingValue {
  if (v.kind !== 'scalar') return { kind: 'unknown', span: { start: v.start, end: v.end }, source: unknownSource };
  const text = v.value === null ? '' : scalarString(v);
  if (isTemplate(text)) return { kind: 'unknown', span: spanOf(v), source: 'a template the chart renders' };
  return { kind: 'literal', text, span: spanOf(v), syntax, replaceable: replaceable(v) };
}

/** A quick fix may rewrite the scalar in place: not when it is written at an anchor elsewhere, nor a block scalar (its span runs over lines). */
function replaceable(v: YScalar): boolean {
  return !v.viaAlias && v.style !== 'block' && v.end > v.start;
}

function spanOf(v: Span): Span {
  return { start: v.start, end: v.end };
}

/** Where a `valueFrom` says the value comes from, for hovers and messages. */
export function valueFromSource(v: YValue): string {
  const secret = entryOf(v, 'secretKeyRef')?.value;
  if (secret) return refSource('Secret', secret);
  const cm = entryOf(v, 'configMapKeyRef')?.value;
  if (cm) return refSource('ConfigMap', cm);
  const field = scalarText(entryOf(entryOf(v, 'fieldRef')?.value, 'fieldPath')?.value);
  if (field !== undefined) return `from the pod's \`${field}\``;
  return 'from `valueFrom`';
}

function refSource(kind: string, ref: YValue): string {
  const name = scalarText(entryOf(ref, 'name')?.value);
  const key = scalarText(entryOf(ref, 'key')?.value);
  if (name === undefined) return `from a ${kind}`;
  return key === undefined ? `from ${kind} \`${name}\`` : `from ${kind} \`${name}\`, key \`${key}\``;
}

export interface EnvReadOptions {
  syntax: ValueSyntax;
  /** The document's text: a block map's range runs over the line break after it, which a finding should not. */
  text: string;
  /**
   * How the chart renders a list item's value: Helm's `additional-env-entries`
   * writes `value` only when it is truthy (`{{- if .value }}`), else the
   * item's `valueFrom`. Kubernetes and the Operator take `value` as written.
   */
  helmTruthyValue?: boolean;
}

/**
 * A list of `{name, value}` / `{name, valueFrom}` items, in order (for a
 * name given twice, the later one wins, as in a pod spec). Items without a
 * literal name are skipped: the Agent cannot read them.
 */
export function readEnvList(list: YValue | undefined, options: EnvReadOptions): EnvSetting[] {
  if (list?.kind !== 'seq') return [];
  const out: EnvSetting[] = [];
  for (const item of list.items) {
    if (item.kind !== 'map') continue;
    const nameNode = lastEntry(item, 'name')?.value;
    const name = scalarText(nameNode);
    if (!nameNode || name === undefined || !name || isTemplate(name)) continue;
    const valueEntry = lastEntry(item, 'value');
    const valueFrom = lastEntry(item, 'valueFrom');
    let value: SettingValue;
    const useValue = valueEntry && (!options.helmTruthyValue || truthy(valueEntry.value) || !valueFrom);
    if (valueEntry && useValue) {
      value = settingValue(valueEntry.value, options.syntax, 'a value that is not a string');
      // Helm renders a falsy `value` (`false`, `0`, empty) as no value at all: the Agent reads an empty string.
      if (options.helmTruthyValue && value.kind === 'literal' && !truthy(valueEntry.value)) value = { ...value, text: '' };
    } else if (valueFrom) value = { kind: 'unknown', span: trimmed(options.text, valueFrom.value), source: valueFromSource(valueFrom.value) };
    else value = { kind: 'literal', text: '', span: { start: nameNode.end, end: nameNode.end }, syntax: options.syntax, replaceable: false };
    out.push({ name: name.toUpperCase(), label: name, nameSpan: spanOf(nameNode), value });
  }
  return out;
}

/** A node's span without the whitespace a block node's range ends with. */
export function trimmed(text: string, s: Span): Span {
  let end = Math.min(s.end, text.length);
  while (end > s.start && /\s/.test(text[end - 1])) end--;
  return { start: s.start, end };
}

/** Go templates' truth: false, 0, "" and null are false. */
function truthy(v: YValue): boolean {
  if (v.kind !== 'scalar') return true;
  if (v.value === null || v.value === false || v.value === 0 || v.value === '') return false;
  return true;
}

/**
 * A map of name → value (the chart's `envDict`). The chart ranges over it,
 * and Go templates range over a map in sorted key order: that is the order
 * the pod receives them in. A map value is rendered as the item's own fields
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
    const value: SettingValue =
      v.kind === 'map'
        ? { kind: 'unknown', span: trimmed(options.text, v), source: lastEntry(v, 'valueFrom') ? valueFromSource(lastEntry(v, 'valueFrom')!.value) : 'from the entry\'s own fields' }
        : settingValue(v, options.syntax, 'a value that is not a string');
    return { name: k.toUpperCase(), label: k, nameSpan: spanOf(e.keySpan), value };
  });
}

/** The `eks.amazonaws.com/role-arn` annotation in an annotations map. */
export const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';
