// The O(n²) reference for findOverlaps, shared by the matcher, fuzz and
// corpus tests: every pair through overlaps(), then the per-pattern summary
// findOverlaps must equal (which pattern is reported, the first it overlaps,
// how many, the first few, a witness both match).

import * as assert from 'node:assert/strict';
import { findOverlaps, matches, MAX_LISTED_OVERLAPS, overlaps, overlapWitness, type Overlap } from '../../server/src/service/arn';

export function naiveOverlaps(patterns: readonly string[]): Overlap[] {
  const out: Overlap[] = [];
  patterns.forEach((p, i) => {
    const partners = patterns.flatMap((q, j) => (j !== i && overlaps(p, q) ? [j] : []));
    if (!partners.length || partners[0] > i) return;
    out.push({ index: i, first: partners[0], witness: overlapWitness(p, patterns[partners[0]])!, count: partners.length, others: partners.slice(0, MAX_LISTED_OVERLAPS) });
  });
  return out;
}

/** findOverlaps equals the reference, and each witness is matched by both patterns. */
export function checkFindOverlaps(patterns: readonly string[], label = ''): Overlap[] {
  const found = findOverlaps(patterns);
  for (const o of found) {
    assert.ok(o.first < o.index, `${label}: ${o.first} is not before ${o.index}`);
    assert.ok(matches(patterns[o.index], o.witness) && matches(patterns[o.first], o.witness), `${label}: witness ${JSON.stringify(o.witness.slice(0, 300))} not matched by both`);
  }
  assert.deepEqual(found, naiveOverlaps(patterns), `${label}: findOverlaps differs from the pairwise overlaps`);
  return found;
}
