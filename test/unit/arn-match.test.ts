// The matcher and the overlap test: unit cases for `matches`, `wildcardPrefix`,
// `overlapWitness`, `findOverlaps` (the file-level arn/overlapping-patterns
// rests on it), then property-based tests with fast-check over a small
// alphabet of accounts, roles and sessions, so that collisions are frequent.
// Runs: DD_WIF_PROPERTY_RUNS (default 1000).

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { findOverlaps, lintArnPattern, matches, MAX_LISTED_OVERLAPS, overlaps, overlapWitness, suggestedPattern, wildcardPrefix } from '../../server/src/service/arn';
import { checkFindOverlaps } from '../helpers/overlaps';

const RUNS = Number(process.env.DD_WIF_PROPERTY_RUNS) > 0 ? Number(process.env.DD_WIF_PROPERTY_RUNS) : 1000;
const params = { numRuns: RUNS };

const A = '111122223333';
const B = '444455556666';
const sts = (acct: string, rest: string) => `arn:aws:sts::${acct}:${rest}`;

describe('matches', () => {
  test('an exact pattern matches only itself', () => {
    const arn = sts(A, 'assumed-role/deploy/i-0123456789abcdef0');
    assert.equal(matches(arn, arn), true);
    assert.equal(matches(arn, sts(A, 'assumed-role/deploy/i-0123456789abcdef1')), false);
    assert.equal(matches(arn, sts(B, 'assumed-role/deploy/i-0123456789abcdef0')), false);
    assert.equal(matches(arn, `${arn}/x`), false);
    assert.equal(matches(arn, arn.slice(0, -1)), false);
  });

  test('case-sensitive, everywhere', () => {
    assert.equal(matches(sts(A, 'assumed-role/Deploy/s1'), sts(A, 'assumed-role/deploy/s1')), false);
    assert.equal(matches(sts(A, 'assumed-role/Deploy/*'), sts(A, 'assumed-role/deploy/s1')), false);
    assert.equal(matches(sts(A, 'assumed-role/deploy/*'), sts(A, 'assumed-role/deploy/S1')), true);
    assert.equal(matches('arn:aws:STS::111122223333:assumed-role/deploy/*', sts(A, 'assumed-role/deploy/s1')), false);
  });

  test('a trailing `/*` matches exactly one more segment, which holds no `/`', () => {
    const p = sts(A, 'assumed-role/deploy/*');
    assert.equal(matches(p, sts(A, 'assumed-role/deploy/s1')), true);
    assert.equal(matches(p, sts(A, 'assumed-role/deploy/x')), true, 'any one character is a segment');
    assert.equal(matches(p, sts(A, 'assumed-role/deploy/a:b@c')), true);
    assert.equal(matches(p, sts(A, 'assumed-role/deploy/*')), true, 'the pattern read as an ARN');
    assert.equal(matches(p, sts(A, 'assumed-role/deploy/')), false, 'not zero characters');
    assert.equal(matches(p, sts(A, 'assumed-role/deploy')), false, 'not zero segments');
    assert.equal(matches(p, sts(A, 'assumed-role/deploy/s1/s2')), false, 'not two segments');
    assert.equal(matches(p, sts(A, 'assumed-role/deploy-other/s1')), false, 'the role is a whole segment, not a prefix');
    assert.equal(matches(p, sts(A, 'assumed-role/deplo/s1')), false);
    assert.equal(matches(p, sts(B, 'assumed-role/deploy/s1')), false);
  });

  test('a `*` anywhere but a trailing `/*` is a literal character (the rules reject such patterns)', () => {
    assert.equal(matches(sts(A, 'assumed-role/*/s1'), sts(A, 'assumed-role/deploy/s1')), false);
    assert.equal(matches(sts(A, 'assumed-role/*/s1'), sts(A, 'assumed-role/*/s1')), true);
    assert.equal(matches(sts(A, 'assumed-role/deploy/run-*'), sts(A, 'assumed-role/deploy/run-1')), false);
    assert.equal(matches(sts(A, '*'), sts(A, 'assumed-role/deploy/s1')), false);
    // `*/*`: the trailing `/*` is a wildcard, the first `*` a literal.
    assert.equal(matches(sts(A, 'assumed-role/*/*'), sts(A, 'assumed-role/deploy/s1')), false);
    assert.equal(matches(sts(A, 'assumed-role/*/*'), sts(A, 'assumed-role/*/s1')), true);
  });

  test('wildcardPrefix: the prefix a `/*` pattern requires, or undefined', () => {
    assert.equal(wildcardPrefix(sts(A, 'assumed-role/deploy/*')), sts(A, 'assumed-role/deploy/'));
    assert.equal(wildcardPrefix(sts(A, 'assumed-role/deploy/s1')), undefined);
    assert.equal(wildcardPrefix(sts(A, 'assumed-role/deploy/run-*')), undefined);
    assert.equal(wildcardPrefix(sts(A, '*')), undefined);
    assert.equal(wildcardPrefix('/*'), '/');
  });
});

describe('overlapWitness and overlaps', () => {
  const wild = sts(A, 'assumed-role/deploy/*');
  const cases: [string, string, string, string | undefined][] = [
    ['two equal exact patterns: the ARN itself', sts(A, 'assumed-role/r/s1'), sts(A, 'assumed-role/r/s1'), sts(A, 'assumed-role/r/s1')],
    ['two different exact patterns: none', sts(A, 'assumed-role/r/s1'), sts(A, 'assumed-role/r/s2'), undefined],
    ['exact patterns differing in case only: none', sts(A, 'assumed-role/r/s1'), sts(A, 'assumed-role/R/s1'), undefined],
    ['two equal `/*` patterns: a session of that role', wild, wild, sts(A, 'assumed-role/deploy/session')],
    ['`/*` patterns of two roles: none', wild, sts(A, 'assumed-role/build/*'), undefined],
    ['`/*` patterns of two accounts: none', wild, sts(B, 'assumed-role/deploy/*'), undefined],
    ['`r/*` and `r/s1/*` (one more segment): none', wild, sts(A, 'assumed-role/deploy/s1/*'), undefined],
    ['`/*` and an exact session of it: that session', wild, sts(A, 'assumed-role/deploy/s1'), sts(A, 'assumed-role/deploy/s1')],
    ['`/*` and an exact ARN two segments deeper: none', wild, sts(A, 'assumed-role/deploy/s1/x'), undefined],
    ['`/*` and its own prefix without session: none', wild, sts(A, 'assumed-role/deploy'), undefined],
    ['`/*` and its prefix with the slash: none', wild, sts(A, 'assumed-role/deploy/'), undefined],
  ];
  for (const [name, p, q, witness] of cases) {
    test(name, () => {
      assert.equal(overlapWitness(p, q), witness);
      assert.equal(overlapWitness(q, p), witness, 'symmetric, with the same witness');
      assert.equal(overlaps(p, q), witness !== undefined);
      if (witness !== undefined) {
        assert.equal(matches(p, witness), true);
        assert.equal(matches(q, witness), true);
      }
    });
  }
});

describe('findOverlaps', () => {
  test('empty, one, no overlaps', () => {
    assert.deepEqual(findOverlaps([]), []);
    assert.deepEqual(findOverlaps([sts(A, 'assumed-role/r/*')]), []);
    assert.deepEqual(findOverlaps([sts(A, 'assumed-role/r/*'), sts(A, 'assumed-role/q/*'), sts(B, 'assumed-role/r/*'), sts(A, 'assumed-role/r/s1/x')]), []);
  });

  test('one entry per pattern that overlaps an earlier one: the first it overlaps, a witness, how many, the first few', () => {
    const patterns = [
      sts(A, 'assumed-role/r/*'), // 0
      sts(A, 'assumed-role/q/s1'), // 1
      sts(A, 'assumed-role/r/s1'), // 2: under 0
      sts(B, 'assumed-role/r/*'), // 3
      sts(A, 'assumed-role/q/s1'), // 4: = 1
      sts(A, 'assumed-role/r/*'), // 5: = 0, and over 2
      sts(A, 'assumed-role/r'), // 6: nothing (no session)
    ];
    assert.deepEqual(findOverlaps(patterns), [
      { index: 2, first: 0, witness: sts(A, 'assumed-role/r/s1'), count: 2, others: [0, 5] },
      { index: 4, first: 1, witness: sts(A, 'assumed-role/q/s1'), count: 1, others: [1] },
      { index: 5, first: 0, witness: sts(A, 'assumed-role/r/session'), count: 2, others: [0, 2] },
    ]);
    checkFindOverlaps(patterns);
  });

  test('the same pattern three times: two entries, each naming the first and counting both others', () => {
    const p = sts(A, 'assumed-role/r/*');
    assert.deepEqual(findOverlaps([p, p, p]).map((o) => [o.index, o.first, o.count, o.others]), [
      [1, 0, 2, [0, 2]],
      [2, 0, 2, [0, 1]],
    ]);
  });

  test('exact patterns under one wildcard do not overlap each other, only the wildcard', () => {
    const patterns = [sts(A, 'assumed-role/r/s1'), sts(A, 'assumed-role/r/s2'), sts(A, 'assumed-role/r/*'), sts(A, 'assumed-role/r/s3')];
    assert.deepEqual(findOverlaps(patterns).map((o) => [o.index, o.first, o.count]), [
      [2, 0, 3],
      [3, 2, 1],
    ]);
    checkFindOverlaps(patterns);
  });

  // Linear, not "linear plus the pairs": these inputs hold billions of overlapping pairs, which a
  // pairwise answer could neither compute nor hold in memory.
  test('100,000 copies of one pattern: 99,999 entries, each naming the first and listing at most ten', () => {
    const n = 100_000;
    const p = sts(A, 'assumed-role/r/*');
    const found = findOverlaps(Array(n).fill(p));
    assert.equal(found.length, n - 1);
    found.forEach((o, k) => {
      assert.equal(o.index, k + 1);
      assert.equal(o.first, 0);
      assert.equal(o.count, n - 1);
      assert.equal(o.others.length, MAX_LISTED_OVERLAPS);
      assert.ok(!o.others.includes(o.index));
    });
    assert.deepEqual(found[4].others, [0, 1, 2, 3, 4, 6, 7, 8, 9, 10]);
  });

  test('50,000 sessions under a role and 50,000 copies of its wildcard: one entry each, with the full counts', () => {
    const n = 50_000;
    const patterns = [...Array.from({ length: n }, (_, i) => sts(A, `assumed-role/r/s${i}`)), ...Array<string>(n).fill(sts(A, 'assumed-role/r/*'))];
    const found = findOverlaps(patterns);
    // Sessions overlap only the (later) wildcards; the wildcards overlap one another and every session.
    assert.equal(found.length, n);
    assert.ok(found.every((o, k) => o.index === n + k && o.first === 0 && o.count === 2 * n - 1));
  });

  test('nested wildcard patterns (`…/r/*`, `…/r/a/*`, `…/r/a/a/*`, …) and a session at each depth: each session overlaps its own depth only', () => {
    const depth = 2_000;
    const patterns: string[] = [];
    for (let d = 0; d < depth; d++) {
      const base = sts(A, `assumed-role/r/${'a/'.repeat(d)}`);
      patterns.push(`${base}*`, `${base}s1`);
    }
    const found = findOverlaps(patterns);
    assert.deepEqual(found.map((o) => [o.index, o.first, o.count]), Array.from({ length: depth }, (_, d) => [2 * d + 1, 2 * d, 1]));
    checkFindOverlaps(patterns.slice(0, 60));
  });

  test('random sets from a small alphabet: the same pairs as the O(n²) brute force', () => {
    // (A deterministic pseudo-random sweep; the fast-check property below shrinks failures.)
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)];
    for (let round = 0; round < 300; round++) {
      const patterns = Array.from({ length: rand(25) }, () => {
        const base = sts(pick([A, B]), `assumed-role/${pick(['r', 'q'])}`);
        return pick([`${base}/*`, `${base}/${pick(['s1', 's2', 'session'])}`, base, `${base}/s1/*`, `${base}/s1/x`]);
      });
      checkFindOverlaps(patterns);
    }
  });
});

// ---------------------------------------------------------------------------
// Properties. Patterns and ARNs are drawn from one small alphabet, so that a
// random ARN often matches a random pattern and two random patterns often overlap.

const accounts = fc.constantFrom(A, B);
const roles = fc.constantFrom('r', 'q', 'R', 'AWSReservedSSO_Admin_0123456789abcdef');
const sessions = fc.constantFrom('s1', 's2', 'session', 'i-0abc', 'x');
const services = fc.constantFrom('sts', 'sts', 'sts', 'iam');

/** A caller-like ARN, sometimes off-shape (no session, an extra segment, an IAM role). */
const arns: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(services, accounts, roles, sessions).map(([svc, a, r, s]) => `arn:aws:${svc}::${a}:assumed-role/${r}/${s}`) },
  { weight: 1, arbitrary: fc.tuple(accounts, roles).map(([a, r]) => sts(a, `assumed-role/${r}`)) },
  { weight: 1, arbitrary: fc.tuple(accounts, roles, sessions, sessions).map(([a, r, s, t]) => sts(a, `assumed-role/${r}/${s}/${t}`)) },
  { weight: 1, arbitrary: fc.tuple(accounts, roles).map(([a, r]) => `arn:aws:iam::${a}:role/${r}`) },
  { weight: 1, arbitrary: fc.tuple(accounts, roles).map(([a, r]) => sts(a, `assumed-role/${r}/`)) },
);

/** A pattern: an exact ARN, or a prefix and `/*` (at the role, at the session, at the account…). */
const patterns: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: arns },
  { weight: 4, arbitrary: fc.tuple(accounts, roles).map(([a, r]) => sts(a, `assumed-role/${r}/*`)) },
  { weight: 1, arbitrary: fc.tuple(accounts, roles, sessions).map(([a, r, s]) => sts(a, `assumed-role/${r}/${s}/*`)) },
  { weight: 1, arbitrary: accounts.map((a) => sts(a, 'assumed-role/*')) },
  { weight: 1, arbitrary: fc.tuple(accounts, roles).map(([a, r]) => sts(a, `assumed-role/${r}/run-*`)) },
);

/** An ARN, biased towards ones that fall under `p`. */
const arnNear = (p: string): fc.Arbitrary<string> => {
  const prefix = wildcardPrefix(p);
  return fc.oneof(arns, fc.constant(p), prefix === undefined ? arns : sessions.map((s) => prefix + s));
};

describe('properties', () => {
  test('(a) an ARN matched by both P and Q means overlaps(P, Q)', () => {
    fc.assert(
      fc.property(
        fc.tuple(patterns, patterns).chain(([p, q]) => fc.tuple(fc.constant(p), fc.constant(q), fc.oneof(arnNear(p), arnNear(q)))),
        ([p, q, arn]) => {
          if (matches(p, arn) && matches(q, arn)) assert.ok(overlaps(p, q), `${arn} matches ${p} and ${q}`);
        },
      ),
      params,
    );
  });

  test('(b) overlaps(P, Q) means its witness matches both', () => {
    fc.assert(
      fc.property(patterns, patterns, (p, q) => {
        const w = overlapWitness(p, q);
        assert.equal(overlaps(p, q), w !== undefined);
        if (w !== undefined) {
          assert.ok(matches(p, w), `${w} matches ${p}`);
          assert.ok(matches(q, w), `${w} matches ${q}`);
        }
      }),
      params,
    );
  });

  test('(c) overlaps is symmetric (and reflexive)', () => {
    fc.assert(
      fc.property(patterns, patterns, (p, q) => {
        assert.equal(overlaps(p, q), overlaps(q, p));
        assert.ok(overlaps(p, p));
      }),
      params,
    );
  });

  test('(d) findOverlaps agrees with the brute-force pairs, with witnesses', () => {
    fc.assert(
      fc.property(fc.array(patterns, { maxLength: 30 }), (ps) => {
        checkFindOverlaps(ps);
      }),
      { numRuns: Math.max(100, Math.floor(RUNS / 2)) },
    );
  });

  test('(e) suggestedPattern of an assumed-role caller ARN matches it and lints with no error', () => {
    const names = (min: number) => fc.string({ unit: fc.constantFrom(...'abcXYZ019+=,.@_-'.split('')), minLength: min, maxLength: 64 });
    const callers = fc.tuple(fc.stringMatching(/^\d{12}$/), names(1), names(2)).map(([a, r, s]) => sts(a, `assumed-role/${r}/${s}`));
    fc.assert(
      fc.property(callers, fc.constantFrom('', '\n', ' '), (arn, tail) => {
        const pattern = suggestedPattern(arn + tail);
        assert.ok(pattern.endsWith('/*'), pattern);
        assert.ok(matches(pattern, arn), `${pattern} matches ${arn}`);
        assert.deepEqual(lintArnPattern(pattern).filter((f) => f.severity === 'error'), [], pattern);
      }),
      params,
    );
  });

  test('exhaustive over the small alphabet: overlaps(P, Q) exactly when some ARN of the universe matches both', () => {
    // The universe holds every ARN the alphabet spells, and the witnesses' `session`.
    const accts = [A, B];
    const rs = ['r', 'q'];
    const ss = ['s1', 'session'];
    const universe: string[] = [];
    for (const a of accts) for (const r of rs) {
      universe.push(sts(a, `assumed-role/${r}`), sts(a, `assumed-role/${r}/`));
      for (const s of ss) {
        universe.push(sts(a, `assumed-role/${r}/${s}`));
        for (const t of ss) universe.push(sts(a, `assumed-role/${r}/${s}/${t}`));
      }
    }
    const ps: string[] = [...universe];
    for (const a of accts) for (const r of rs) {
      ps.push(sts(a, `assumed-role/${r}/*`));
      for (const s of ss) ps.push(sts(a, `assumed-role/${r}/${s}/*`));
    }
    for (const p of ps) for (const q of ps) {
      const both = universe.some((arn) => matches(p, arn) && matches(q, arn));
      assert.equal(overlaps(p, q), both, `${p} / ${q}`);
    }
    checkFindOverlaps(ps);
  });
});

describe('suggestedPattern', () => {
  test('an assumed-role caller ARN: the session replaced by `*`', () => {
    assert.equal(suggestedPattern(sts(A, 'assumed-role/deploy/i-0abc')), sts(A, 'assumed-role/deploy/*'));
    assert.equal(suggestedPattern(sts(A, 'assumed-role/AWSReservedSSO_Admin_0123456789abcdef/jane@example.com')), sts(A, 'assumed-role/AWSReservedSSO_Admin_0123456789abcdef/*'));
  });

  test('the CLI output line (trailing newline) is trimmed', () => {
    assert.equal(suggestedPattern(`${sts(A, 'assumed-role/deploy/i-0abc')}\n`), sts(A, 'assumed-role/deploy/*'));
  });

  test('anything else is returned as it is (trimmed)', () => {
    assert.equal(suggestedPattern(`arn:aws:iam::${A}:user/alice`), `arn:aws:iam::${A}:user/alice`);
    assert.equal(suggestedPattern(sts(A, 'assumed-role/deploy')), sts(A, 'assumed-role/deploy'));
    assert.equal(suggestedPattern('nope'), 'nope');
  });
});
