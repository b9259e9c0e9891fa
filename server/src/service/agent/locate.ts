// What is under the cursor in a parsed datadog.yaml: the key path and
// whether the cursor is on a key or on its value.

import { isAlias, isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import type { Span } from './yamlTree';

export interface Located {
  /** Keys from the root, e.g. ['logs_config', 'delegated_auth', 'org_uuid']. Sequence items add no segment. */
  path: string[];
  part: 'key' | 'value';
  /** The span of the key or scalar value under the cursor. */
  span: Span;
  /** The scalar's value when the cursor is on a scalar value. */
  value?: unknown;
}

const MAX_DEPTH = 64;

export function locate(doc: Document, offset: number): Located | undefined {
  return walk(doc.contents, offset, [], 0);
}

function contains(range: readonly number[] | null | undefined, offset: number): boolean {
  return !!range && offset >= range[0] && offset <= range[1];
}

function walk(node: unknown, offset: number, path: string[], depth: number): Located | undefined {
  if (depth > MAX_DEPTH || !node || isAlias(node)) return undefined;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      const name = isScalar(key) ? String(key.value) : undefined;
      if (name === undefined) continue;
      if (isScalar(key) && contains(key.range, offset)) return { path: [...path, name], part: 'key', span: { start: key.range![0], end: key.range![1] } };
      const value = pair.value as { range?: [number, number, number] } | null;
      if (value && contains(value.range, offset)) {
        if (isScalar(value)) return { path: [...path, name], part: 'value', span: { start: value.range![0], end: value.range![1] }, value: value.value };
        return walk(value, offset, [...path, name], depth + 1);
      }
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const r = (item as { range?: [number, number, number] } | null)?.range;
      if (contains(r, offset)) return walk(item, offset, path, depth + 1);
    }
  }
  return undefined;
}
