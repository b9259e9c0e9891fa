// The binary searches behind position lookups, against a linear scan.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { firstAtOrAbove, lastAtOrBelow } from '../../server/src/service/common/sortedSearch';
import { Rng } from '../helpers/corpus';

test('lastAtOrBelow and firstAtOrAbove agree with a scan on random ascending lists, duplicates and ends included', () => {
  const rng = new Rng(7);
  for (let n = 0; n < 2_000; n++) {
    const sorted: number[] = [];
    for (let k = rng.between(0, 12), v = rng.between(0, 3); k > 0; k--, v += rng.between(0, 3)) sorted.push(v);
    const x = rng.between(-1, 40);
    let last = 0;
    for (let i = 0; i < sorted.length; i++) if (sorted[i] <= x) last = i;
    let first = sorted.length;
    for (let i = sorted.length - 1; i >= 0; i--) if (sorted[i] >= x) first = i;
    assert.equal(lastAtOrBelow(sorted, x), last, `${JSON.stringify(sorted)} x=${x}`);
    assert.equal(firstAtOrAbove(sorted, x), first, `${JSON.stringify(sorted)} x=${x}`);
  }
});
