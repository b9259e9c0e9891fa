// Terraform provider version constraints (server/src/service/terraform/versionConstraint.ts):
// versions and their order, the constraint parser (with offsets for
// diagnostics, and Terraform's refusals), `admits` for every operator and the
// prerelease rule, the exact interval analysis against the 3.70.0 minimum of
// cloud auth (tf/provider-version-too-old) on its trap cases, the quick fix,
// then fast-check properties: the analysis agrees with `admits` on a dense
// grid of versions (soundness) and its witnesses are admitted (completeness);
// the quick fix admits the minimum (or the next release the user did not
// exclude), nothing below it, no version the user excluded, and everything >=
// the minimum that the original admitted; the parser never throws and its
// offsets spell the clauses.
// Runs: DD_WIF_PROPERTY_RUNS (default 1000).

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  admits,
  analyseMinimum,
  compareVersions,
  formatVersion,
  parseConstraint,
  parseVersion,
  raiseToMinimum,
  type Clause,
  type Version,
} from '../../server/src/service/terraform/versionConstraint';

const RUNS = Number(process.env.DD_WIF_PROPERTY_RUNS) > 0 ? Number(process.env.DD_WIF_PROPERTY_RUNS) : 1000;
const params = { numRuns: RUNS };

function clausesOf(text: string, lenient = false): Clause[] {
  const p = parseConstraint(text, { lenient });
  assert.ok(p.ok, `${JSON.stringify(text)} should parse: ${p.ok ? '' : p.error}`);
  return p.clauses;
}

function parseError(text: string, lenient = false): { error: string; at?: [number, number] } {
  const p = parseConstraint(text, { lenient });
  assert.ok(!p.ok, `${JSON.stringify(text)} should not parse`);
  return p;
}

describe('versions', () => {
  test('parseVersion fills missing components, keeps prerelease and build, accepts a `v`', () => {
    assert.deepEqual(parseVersion('3.70.0'), { major: 3, minor: 70, patch: 0, prerelease: '', build: '' });
    assert.deepEqual(parseVersion('3.70'), { major: 3, minor: 70, patch: 0, prerelease: '', build: '' });
    assert.deepEqual(parseVersion('3'), { major: 3, minor: 0, patch: 0, prerelease: '', build: '' });
    assert.deepEqual(parseVersion(' v3.70.1-beta.1+linux.amd64 '), { major: 3, minor: 70, patch: 1, prerelease: 'beta.1', build: 'linux.amd64' });
    for (const bad of ['', 'v', 'x', '3.', '3..1', '3.70.0.1', '3.*', '3.70.0-', '3.70.0-a..b', '3.70.0+', '3.70.0 beta', '>= 3.70', '99999999999999999999']) {
      assert.equal(parseVersion(bad), undefined, bad);
    }
  });

  test('formatVersion', () => {
    assert.equal(formatVersion(parseVersion('3.7')!), '3.7.0');
    assert.equal(formatVersion(parseVersion('3.7.1-rc.1+b')!), '3.7.1-rc.1');
    assert.equal(formatVersion(parseVersion('3.7.1-rc.1+b')!, true), '3.7.1-rc.1+b');
  });

  test('compareVersions: numeric components, not text', () => {
    assert.equal(compareVersions('3.9.0', '3.70.0'), -1);
    assert.equal(compareVersions('3.70.0', '3.9.0'), 1);
    assert.equal(compareVersions('3.70', '3.70.0'), 0);
    assert.equal(compareVersions('4.0.0', '3.99.99'), 1);
    assert.equal(compareVersions('3.70.10', '3.70.9'), 1);
  });

  test('compareVersions: semver prerelease order (the semver 2.0.0 example chain)', () => {
    const chain = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1-0', '1.0.1'];
    for (let i = 0; i < chain.length; i++) {
      for (let j = 0; j < chain.length; j++) {
        assert.equal(compareVersions(chain[i], chain[j]), Math.sign(i - j), `${chain[i]} vs ${chain[j]}`);
      }
    }
    assert.equal(compareVersions('3.70.0-beta1', '3.69.99'), 1, 'a prerelease is above every lower release');
  });

  test('compareVersions ignores build metadata; throws on a non-version', () => {
    assert.equal(compareVersions('3.70.0+a', '3.70.0+b'), 0);
    assert.equal(compareVersions('3.70.0-rc1+a', '3.70.0-rc1'), 0);
    assert.throws(() => compareVersions('3.70.0', 'latest'), TypeError);
  });
});

describe('parseConstraint', () => {
  test('conditions with their offsets and operators', () => {
    const text = '>= 3.70.0, < 4.0.0';
    const cs = clausesOf(text);
    assert.deepEqual(
      cs.map((c) => [c.operator, c.operatorText, c.versionText, c.components, c.text, c.at]),
      [
        ['>=', '>=', '3.70.0', 3, '>= 3.70.0', [0, 9]],
        ['<', '<', '4.0.0', 3, '< 4.0.0', [11, 18]],
      ],
    );
    for (const c of cs) assert.equal(text.slice(...c.at), c.text);
  });

  test('every operator, with or without the space, and no operator meaning `=`', () => {
    for (const op of ['=', '!=', '>', '>=', '<', '<=', '~>']) {
      for (const sep of ['', ' ']) {
        const [c] = clausesOf(`${op}${sep}3.70`);
        assert.equal(c.operator, op);
        assert.deepEqual(c.version, parseVersion('3.70.0'));
        assert.equal(c.components, 2);
      }
    }
    const [bare] = clausesOf('3.70.1');
    assert.equal(bare.operator, '=');
    assert.equal(bare.operatorText, '');
  });

  test('white space around conditions and commas is free; offsets skip it', () => {
    const text = ' \t~> 3.7 ,\n>= 3.7.2  ,!= 3.8.0-rc1+x\t';
    const cs = clausesOf(text);
    assert.deepEqual(cs.map((c) => c.text), ['~> 3.7', '>= 3.7.2', '!= 3.8.0-rc1+x']);
    for (const c of cs) assert.equal(text.slice(...c.at), c.text);
    assert.equal(cs[2].version.prerelease, 'rc1');
    assert.equal(cs[2].version.build, 'x');
    assert.deepEqual(clausesOf('~> 3').map((c) => c.components), [1]);
  });

  const errors: [string, RegExp, [number, number]][] = [
    ['', /empty/, [0, 0]],
    ['   ', /empty/, [0, 3]],
    ['=> 3.70', /invalid operator "=>"; did you mean ">="/, [0, 2]],
    ['=< 3.70', /did you mean "<="/, [0, 2]],
    ['== 3.70', /did you mean "="/, [0, 2]],
    ['~ 3.70', /did you mean "~>"/, [0, 1]],
    ['^3.70', /did you mean "~>"/, [0, 1]],
    ['≥ 3.70', /did you mean ">="/, [0, 1]],
    ['& 3.70', /invalid operator "&"$/, [0, 1]],
    ['>=  3.70', /only one space/, [2, 4]],
    ['>=\t3.70', /only one space/, [2, 3]],
    ['>= v3.70', /"v" prefix/, [3, 4]],
    ['v3.70.0', /"v" prefix/, [0, 1]],
    ['>= 3.0, < V4', /"V" prefix/, [10, 11]],
    ['>= 3.70.0.1', /too many/, [3, 11]],
    ['~> 3.*', /wildcard/, [5, 6]],
    ['3.70.x', /wildcard/, [5, 6]],
    ['>= 3.', /number after "\."/, [4, 5]],
    ['>=', /needs a version/, [0, 2]],
    ['>= , < 4', /needs a version/, [0, 2]],
    ['>= latest', /expected a version number, found "latest"/, [3, 9]],
    ['>= 3.70,', /followed by another condition/, [7, 8]],
    ['>= 3.70, ', /followed by another condition/, [7, 8]],
    ['>= 3.70,, < 4', /empty condition/, [8, 9]],
    [', >= 3.70', /empty condition/, [0, 1]],
    ['>= 3.70 < 4', /missing ","/, [8, 11]],
    ['>= 3.70 || 4.0', /missing ","/, [8, 14]],
    ['>= 3.70.0beta', /unexpected "beta".*starts with "-"/, [9, 13]],
    ['>= 3.70.0-', /prerelease/, [9, 10]],
    ['>= 3.70.0-beta..1', /prerelease/, [9, 15]],
    ['>= 3.70.0+', /build/, [9, 10]],
    ['>= 3.70.0-be_ta', /unexpected "_ta"/, [12, 15]],
    ['>= 99999999999999999999', /too large/, [3, 23]],
  ];
  for (const [text, message, at] of errors) {
    test(`refuses ${JSON.stringify(text)} at [${at}]`, () => {
      const e = parseError(text);
      assert.match(e.error, message);
      assert.deepEqual(e.at, at);
    });
  }

  test('lenient mode accepts the `v` prefix and extra spaces (go-version only), nothing else', () => {
    const cs = clausesOf('>=  v3.70,\t<\tv4', true);
    assert.deepEqual(cs.map((c) => [c.operator, c.versionText, c.text]), [
      ['>=', '3.70', '>=  v3.70'],
      ['<', '4', '<\tv4'],
    ]);
    parseError('>= V3.70', true);
    parseError('>= 3.70.0.1', true);
    parseError('=> 3.70', true);
    parseError('', true);
  });
});

describe('admits', () => {
  const cases: [string, string[], string[]][] = [
    // [constraint, admitted, refused]
    ['= 3.70.0', ['3.70.0'], ['3.70.1', '3.69.0', '3.70.0-beta1']],
    ['3.70', ['3.70.0'], ['3.70.1']],
    ['=3', ['3.0.0'], ['3.0.1', '3.1.0']],
    ['!= 3.70.0', ['3.69.0', '3.70.1', '0.0.0'], ['3.70.0']],
    ['> 3.70', ['3.70.1', '4.0.0'], ['3.70.0', '3.69.99']],
    ['>= 3.70', ['3.70.0', '3.70.1'], ['3.69.99', '3.9.0']],
    ['< 3.70', ['3.69.99', '3.9.0'], ['3.70.0']],
    ['<= 3.70', ['3.70.0'], ['3.70.1']],
    ['~> 3.70.0', ['3.70.0', '3.70.9', '3.70.123'], ['3.69.9', '3.71.0']],
    ['~> 1.0.4', ['1.0.4', '1.0.5', '1.0.10'], ['1.0.3', '1.1.0']],
    ['~> 3.7', ['3.7.0', '3.70.0', '3.99.0'], ['3.6.9', '4.0.0']],
    ['~> 3', ['3.0.0', '3.70.0', '3.99.99'], ['2.99.0', '4.0.0']],
    ['~> 0', ['0.0.0', '0.99.0'], ['1.0.0']],
    ['>= 3.70.0, < 4.0.0', ['3.70.0', '3.99.99'], ['3.69.0', '4.0.0']],
    ['>= 3.0, != 3.5.0, != 3.6.0', ['3.4.0', '3.5.1', '3.7.0'], ['3.5.0', '3.6.0', '2.0.0']],
    ['> 4, < 3', [], ['3.5.0', '2.0.0', '5.0.0']],
    ['3.70.0, 3.70.1', [], ['3.70.0', '3.70.1']],
    // prereleases: selected only when an `=` names them exactly
    ['>= 3.0', ['3.70.0'], ['3.70.0-beta1', '4.0.0-rc1']],
    ['= 3.70.0-beta1', ['3.70.0-beta1'], ['3.70.0', '3.70.0-beta2']],
    ['3.70.0-beta1', ['3.70.0-beta1'], ['3.70.0']],
    ['~> 3.70.0-beta1', ['3.70.0', '3.70.5'], ['3.70.0-beta1', '3.70.0-beta2', '3.71.0']],
    ['> 3.70.0-beta1', ['3.70.0'], ['3.70.0-beta2']],
    ['< 3.70.0-beta1', ['3.69.99'], ['3.70.0', '3.70.0-alpha']],
    ['!= 3.70.0-beta1', ['3.70.0'], ['3.70.0-beta2']],
    ['< 3.70.0', ['3.69.0'], ['3.70.0-beta1']],
    ['= 3.70.0-beta1, < 3.70.0', ['3.70.0-beta1'], ['3.69.0']],
    ['= 3.70.0-beta1, >= 3.70.0', [], ['3.70.0-beta1', '3.70.0']],
    ['= 3.70.0-beta1, != 3.70.0-beta1', [], ['3.70.0-beta1']],
    ['= 3.70.0-beta1, = 3.70.0-beta2', [], ['3.70.0-beta1', '3.70.0-beta2']],
    // build metadata is ignored
    ['= 3.70.0+abc', ['3.70.0', '3.70.0+xyz'], ['3.70.1']],
  ];
  for (const [text, yes, no] of cases) {
    test(JSON.stringify(text), () => {
      for (const v of yes) assert.equal(admits(text, v), true, `${text} admits ${v}`);
      for (const v of no) assert.equal(admits(text, v), false, `${text} refuses ${v}`);
    });
  }

  test('takes a string, parsed clauses or a parse result; false on anything unparsable', () => {
    const p = parseConstraint('~> 3.70');
    assert.ok(p.ok);
    assert.equal(admits(p, '3.71.0'), true);
    assert.equal(admits(p.clauses, parseVersion('3.71.0')!), true);
    assert.equal(admits('>= v3.70', '3.71.0'), false, 'Terraform refuses the `v` prefix');
    assert.equal(admits('>= v3.70', '3.71.0', { lenient: true }), true);
    assert.equal(admits(parseConstraint('=>1'), '1.0.0'), false);
    assert.equal(admits('>= 3.70', 'latest'), false);
    assert.equal(admits([], '3.0.0'), true, 'no condition: any release');
    assert.equal(admits([], '3.0.0-rc1'), false, '… but no prerelease');
  });
});

describe('analyseMinimum (3.70.0)', () => {
  // [constraint, admitsAtLeast, admitsBelow, exampleAtLeast, exampleBelow, underlined text]
  const cases: [string, boolean, boolean, string | undefined, string | undefined, string | undefined][] = [
    ['>= 3.0', true, true, '3.70.0', '3.0.0', '>= 3.0'],
    ['~> 3.7', true, true, '3.70.0', '3.7.0', '~> 3.7'],
    ['~> 3', true, true, '3.70.0', '3.0.0', '~> 3'],
    ['~> 3.70.0', true, false, '3.70.0', undefined, undefined],
    ['~> 3.70', true, false, '3.70.0', undefined, undefined],
    ['~> 3.71.2', true, false, '3.71.2', undefined, undefined],
    ['~> 3.69.0', false, true, undefined, '3.69.0', '~> 3.69.0'],
    ['~> 2.9', false, true, undefined, '2.9.0', '~> 2.9'],
    ['~> 4.0', true, false, '4.0.0', undefined, undefined],
    ['< 3.70.0', false, true, undefined, '0.0.0', '< 3.70.0'],
    ['<= 3.70.0', true, true, '3.70.0', '0.0.0', '<= 3.70.0'],
    ['> 3.69.99', true, true, '3.70.0', '3.69.100', '> 3.69.99'],
    ['> 3.69', true, true, '3.70.0', '3.69.1', '> 3.69'],
    ['> 3.70', true, false, '3.70.1', undefined, undefined],
    ['>= 3.70.0, < 4.0.0', true, false, '3.70.0', undefined, undefined],
    ['>= 3.70.0, != 3.70.0', true, false, '3.70.1', undefined, undefined],
    ['= 3.70.1', true, false, '3.70.1', undefined, undefined],
    ['3.69.0', false, true, undefined, '3.69.0', '3.69.0'],
    ['!= 3.69.0, >= 3.69.0', true, true, '3.70.0', '3.69.1', '>= 3.69.0'],
    ['>= 3.69.0, < 3.69.2, != 3.69.0, != 3.69.1', false, false, undefined, undefined, '< 3.69.2'],
    ['> 3.69.0, < 3.69.2, != 3.69.1', false, false, undefined, undefined, '< 3.69.2'],
    ['>= 3.70.0, <= 3.70.0, != 3.70.0', false, false, undefined, undefined, '>= 3.70.0, <= 3.70.0, != 3.70.0'],
    ['>= 4.0', true, false, '4.0.0', undefined, undefined],
    ['> 4, < 3', false, false, undefined, undefined, '< 3'],
    ['!= 3.70.0', true, true, '3.70.1', '0.0.0', '!= 3.70.0'],
    ['< 5', true, true, '3.70.0', '0.0.0', '< 5'],
    // prereleases
    ['>= 3.70.0-beta1', true, false, '3.70.0', undefined, undefined],
    ['> 3.69.99-beta', true, true, '3.70.0', '3.69.99', '> 3.69.99-beta'],
    ['= 3.70.0-beta1', false, true, undefined, '3.70.0-beta1', '= 3.70.0-beta1'],
    ['= 3.71.0-rc1', true, false, '3.71.0-rc1', undefined, undefined],
    ['< 3.70.0-beta1', false, true, undefined, '0.0.0', '< 3.70.0-beta1'],
    ['<= 3.70.0-beta1', false, true, undefined, '0.0.0', '<= 3.70.0-beta1'],
    ['= 3.70.0-beta1, < 3.70.0', false, true, undefined, '3.70.0-beta1', '= 3.70.0-beta1'],
    ['~> 3.70.0-beta', true, false, '3.70.0', undefined, undefined],
    ['~> 3.69-beta', true, true, '3.70.0', '3.69.0', '~> 3.69-beta'],
  ];
  for (const [text, atLeast, below, exAtLeast, exBelow, underlined] of cases) {
    test(`${JSON.stringify(text)} → at least ${atLeast}, below ${below}`, () => {
      const a = analyseMinimum(text);
      assert.equal(a.error, undefined);
      assert.equal(a.admitsAtLeastMinimum, atLeast, 'admitsAtLeastMinimum');
      assert.equal(a.admitsBelowMinimum, below, 'admitsBelowMinimum');
      assert.equal(a.exampleAtLeast, exAtLeast, 'exampleAtLeast');
      assert.equal(a.exampleBelow, exBelow, 'exampleBelow');
      assert.equal(a.at && text.slice(...a.at), underlined, 'underlined');
    });
  }

  test('another minimum', () => {
    assert.deepEqual(analyseMinimum('~> 4.0', '4.1.0'), { admitsAtLeastMinimum: true, admitsBelowMinimum: true, exampleAtLeast: '4.1.0', exampleBelow: '4.0.0', at: [0, 6] });
    const pre = analyseMinimum('>= 3.70.0, < 3.70.1', '3.70.0-rc1');
    assert.equal(pre.admitsBelowMinimum, false);
    assert.equal(pre.admitsAtLeastMinimum, true);
    // A prerelease minimum: releases from its release up, and prereleases only when named.
    assert.deepEqual(analyseMinimum('>= 3.0', '3.70.0-rc1'), { admitsAtLeastMinimum: true, admitsBelowMinimum: true, exampleAtLeast: '3.70.0', exampleBelow: '3.0.0', at: [0, 6] });
    assert.equal(analyseMinimum('= 3.70.0-rc2', '3.70.0-rc1').exampleAtLeast, '3.70.0-rc2');
    assert.equal(analyseMinimum('= 3.70.0-beta', '3.70.0-rc1').exampleBelow, '3.70.0-beta');
    assert.equal(raiseToMinimum('~> 3.7', '3.70.0-rc1'), '>= 3.70.0-rc1, < 4.0.0');
  });

  test('a constraint that does not parse: both false, with the error and where', () => {
    const a = analyseMinimum('>= 3.70 < 4');
    assert.equal(a.admitsAtLeastMinimum, false);
    assert.equal(a.admitsBelowMinimum, false);
    assert.match(a.error!, /missing ","/);
    assert.deepEqual(a.at, [8, 11]);
    assert.equal(analyseMinimum('>= v3.0').error !== undefined, true);
    assert.equal(analyseMinimum('>= v3.0', '3.70.0', { lenient: true }).admitsBelowMinimum, true);
  });
});

describe('raiseToMinimum', () => {
  const cases: [string, string][] = [
    ['~> 3.7', '>= 3.70.0, < 4.0.0'],
    ['~> 3', '>= 3.70.0, < 4.0.0'],
    ['>= 3.0', '>= 3.70.0'],
    ['~> 3.40.0', '>= 3.70.0'],
    ['~> 2.5', '>= 3.70.0'],
    ['3.69.0', '>= 3.70.0'],
    ['< 3.70.0', '>= 3.70.0'],
    ['>= 3.0, < 5', '>= 3.70.0, < 5'],
    ['>= 3.0, < 5, != 4.1.0', '>= 3.70.0, < 5, != 4.1.0'],
    ['>= 3.0, < 3.50', '>= 3.70.0'],
    ['>= 3.0, <= 3.80.0', '>= 3.70.0, <= 3.80.0'],
    ['~> 3.7, < 3.90', '>= 3.70.0, < 3.90'],
    ['< 3.90, ~> 3.7', '>= 3.70.0, < 3.90'],
    ['< 5, < 5', '>= 3.70.0, < 5'],
    ['>= 3.0, != 3.1.0, != 3.72.1, != 3.72.1, != 5.0.0, < 4', '>= 3.70.0, < 4, != 3.72.1'],
    ['>= 3.0, != 3.80.0', '>= 3.70.0, != 3.80.0'],
    ['>=  v3.0, < v5.0', '>= 3.70.0, < 5.0'],
    ['>= latest', '>= 3.70.0'],
    ['', '>= 3.70.0'],
  ];
  for (const [text, fixed] of cases) {
    test(`${JSON.stringify(text)} → ${JSON.stringify(fixed)}`, () => {
      assert.equal(raiseToMinimum(text), fixed);
      const a = analyseMinimum(fixed);
      assert.equal(a.admitsBelowMinimum, false);
      assert.equal(admits(fixed, '3.70.0'), true);
    });
  }

  // A version the user excluded stays excluded: the lower bound moves past it
  // (Terraform selects no prerelease here, so `>= 3.70.1` is exactly `>= 3.70.0, != 3.70.0`).
  const excluded: [string, string, string][] = [
    ['!= 3.70.0', '>= 3.70.1', '3.70.1'],
    ['!= 3.70', '>= 3.70.1', '3.70.1'],
    ['>= 3.0, != 3.70.0, != 3.70.1', '>= 3.70.2', '3.70.2'],
    ['!= 3.70.1, >= 3.0, != 3.70.0', '>= 3.70.2', '3.70.2'],
    ['~> 3.70.0, != 3.70.0', '>= 3.70.1, < 3.71.0', '3.70.1'],
    ['~> 3.7, != 3.70.0, != 3.80.0', '>= 3.70.1, < 4.0.0, != 3.80.0', '3.70.1'],
    // The only bound left would exclude everything the fix may admit: it goes, as bounds below the minimum do.
    ['< 3.70.1, != 3.70.0', '>= 3.70.1', '3.70.1'],
  ];
  for (const [text, fixed, lowest] of excluded) {
    test(`${JSON.stringify(text)} → ${JSON.stringify(fixed)}: never re-admits an excluded version`, () => {
      assert.equal(raiseToMinimum(text), fixed);
      assert.equal(admits(fixed, '3.70.0'), false);
      assert.equal(admits(fixed, lowest), true);
      assert.equal(analyseMinimum(fixed).admitsBelowMinimum, false);
      assert.equal(analyseMinimum(fixed).exampleAtLeast, lowest);
    });
  }

  test('another minimum', () => {
    assert.equal(raiseToMinimum('~> 4.0', '4.1.0'), '>= 4.1.0, < 5.0.0');
  });
});

// ---------------------------------------------------------------------------
// Properties

const MAJORS = [0, 1, 2, 3, 4, 5];
const MINORS = [0, 1, 2, 6, 7, 8, 39, 40, 41, 68, 69, 70, 71, 72, 99];
const PATCHES = [0, 1, 2, 3];
const PRERELEASES = ['alpha', 'beta1', 'beta.2', 'rc.1', '0'];

interface GenVersion {
  nums: number[];
  pre: string;
}

const genVersion: fc.Arbitrary<GenVersion> = fc.record({
  nums: fc.tuple(fc.constantFrom(...MAJORS), fc.constantFrom(...MINORS), fc.constantFrom(...PATCHES), fc.integer({ min: 1, max: 3 })).map(([a, b, c, k]) => [a, b, c].slice(0, k)),
  pre: fc.oneof({ weight: 5, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(...PRERELEASES) }),
});
const versionText = (v: GenVersion) => v.nums.join('.') + (v.pre ? `-${v.pre}` : '');

const genClause = fc
  .tuple(fc.constantFrom('', '=', '!=', '>', '>=', '<', '<=', '~>', '~>', '>='), fc.constantFrom('', ' '), genVersion)
  .map(([op, sp, v]) => `${op}${op ? sp : ''}${versionText(v)}`);

const genConstraint = fc
  .tuple(fc.array(genClause, { minLength: 1, maxLength: 4 }), fc.constantFrom(',', ', ', ' , ', ',  ', '\t,\n'), fc.constantFrom('', ' ', '  '))
  .map(([cs, sep, pad]) => ({ text: pad + cs.join(sep) + pad, clauses: cs }));

const genMinimum = fc.oneof(
  { weight: 3, arbitrary: fc.constant('3.70.0') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...MAJORS), fc.constantFrom(...MINORS), fc.constantFrom(...PATCHES)).map((n) => n.join('.')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...MAJORS), fc.constantFrom(...MINORS), fc.constantFrom(...PATCHES), fc.constantFrom(...PRERELEASES)).map(([a, b, c, p]) => `${a}.${b}.${c}-${p}`) },
);

const rel = (major: number, minor: number, patch: number): Version => ({ major, minor, patch, prerelease: '', build: '' });

/**
 * A dense grid of versions: every release over the generator's numbers and
 * their neighbours, the neighbours of each clause's version and of the
 * minimum, and every prerelease a clause names. Every boundary of the
 * analysis falls inside it, so if the constraint admits a version on a side
 * of the minimum at all, the grid holds one only when that side is bounded
 * near those numbers; soundness is checked on the grid, completeness through
 * the witnesses.
 */
function grid(clauses: Clause[], minimum: Version): Version[] {
  const out: Version[] = [];
  const majors = new Set([...MAJORS, 6]);
  const minors = new Set([...MINORS, 3, 100]);
  const patches = new Set([...PATCHES, 4, 99]);
  for (const a of majors) for (const b of minors) for (const c of patches) out.push(rel(a, b, c));
  for (const v of [...clauses.map((c) => c.version), minimum]) {
    for (const [a, b, c] of [
      [v.major, v.minor, v.patch],
      [v.major, v.minor, v.patch + 1],
      [v.major, v.minor, v.patch + 2],
      [v.major, v.minor, Math.max(0, v.patch - 1)],
      [v.major, v.minor + 1, 0],
      [v.major, Math.max(0, v.minor - 1), 1000],
      [v.major + 1, 0, 0],
      [Math.max(0, v.major - 1), 1000, 1000],
    ]) {
      out.push(rel(a, b, c));
    }
    if (v.prerelease) out.push(v);
    for (const p of PRERELEASES) out.push({ ...rel(v.major, v.minor, v.patch), prerelease: p });
  }
  return out;
}

describe('properties', () => {
  test('the parser spells each generated clause back, at its offsets', () => {
    fc.assert(
      fc.property(genConstraint, ({ text, clauses }) => {
        const p = parseConstraint(text);
        assert.ok(p.ok, `${JSON.stringify(text)}: ${p.ok ? '' : p.error}`);
        assert.deepEqual(
          p.clauses.map((c) => c.text),
          clauses,
        );
        let last = 0;
        for (const c of p.clauses) {
          assert.equal(text.slice(...c.at), c.text);
          assert.ok(c.at[0] >= last);
          last = c.at[1];
        }
      }),
      params,
    );
  });

  test('soundness: every admitted grid version is on a side the analysis reports', () => {
    fc.assert(
      fc.property(genConstraint, genMinimum, ({ text }, minimum) => {
        const clauses = (parseConstraint(text) as { clauses: Clause[] }).clauses;
        const min = parseVersion(minimum)!;
        const a = analyseMinimum(text, minimum);
        for (const v of grid(clauses, min)) {
          if (!admits(clauses, v)) continue;
          if (compareVersions(v, min) >= 0) assert.ok(a.admitsAtLeastMinimum, `${text} admits ${formatVersion(v)} >= ${minimum}`);
          else assert.ok(a.admitsBelowMinimum, `${text} admits ${formatVersion(v)} < ${minimum}`);
        }
      }),
      { numRuns: Math.max(100, Math.floor(RUNS / 2)) },
    );
  });

  test('completeness: a reported side comes with an admitted witness on that side, and the lowest one', () => {
    fc.assert(
      fc.property(genConstraint, genMinimum, ({ text }, minimum) => {
        const a = analyseMinimum(text, minimum);
        assert.equal(a.error, undefined);
        assert.equal(a.admitsAtLeastMinimum, a.exampleAtLeast !== undefined);
        assert.equal(a.admitsBelowMinimum, a.exampleBelow !== undefined);
        if (a.exampleAtLeast) {
          assert.ok(admits(text, a.exampleAtLeast), `${text} admits its witness ${a.exampleAtLeast}`);
          assert.ok(compareVersions(a.exampleAtLeast, minimum) >= 0);
        }
        if (a.exampleBelow) {
          assert.ok(admits(text, a.exampleBelow), `${text} admits its witness ${a.exampleBelow}`);
          assert.ok(compareVersions(a.exampleBelow, minimum) < 0);
        }
        // Lowest: nothing admitted on the grid lies between the minimum (or 0.0.0) and the witness.
        const clauses = (parseConstraint(text) as { clauses: Clause[] }).clauses;
        const min = parseVersion(minimum)!;
        for (const v of grid(clauses, min)) {
          if (!admits(clauses, v)) continue;
          const side = compareVersions(v, min) >= 0 ? a.exampleAtLeast : a.exampleBelow;
          assert.ok(side !== undefined && compareVersions(side, v) <= 0, `${text}: ${formatVersion(v)} admitted, below the witness ${side}`);
        }
      }),
      { numRuns: Math.max(100, Math.floor(RUNS / 2)) },
    );
  });

  test('the underline lies on a clause of the constraint (or spans them)', () => {
    fc.assert(
      fc.property(genConstraint, ({ text }) => {
        const a = analyseMinimum(text);
        const p = parseConstraint(text) as { clauses: Clause[] };
        const wrong = !a.admitsAtLeastMinimum || a.admitsBelowMinimum;
        assert.equal(a.at !== undefined, wrong);
        if (a.at) {
          const whole: [number, number] = [p.clauses[0].at[0], p.clauses[p.clauses.length - 1].at[1]];
          assert.ok(p.clauses.some((c) => c.at[0] === a.at![0] && c.at[1] === a.at![1]) || (a.at[0] === whole[0] && a.at[1] === whole[1]));
        }
      }),
      params,
    );
  });

  test('the quick fix admits the lowest release >= minimum the user did not exclude, nothing below, nothing excluded, and every release >= minimum the original admitted', () => {
    // `!=` the minimum or just above it is rare in genConstraint: some runs add a few, in any order.
    const genExclusions = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.boolean()), { maxLength: 3 });
    fc.assert(
      fc.property(genConstraint, genMinimum, genExclusions, fc.boolean(), ({ text: generated }, minimum, near, first) => {
        const m = parseVersion(minimum)!;
        const extra = near.map(([k, short]) => (k === 0 && short && m.patch === 0 ? `!= ${m.major}.${m.minor}` : `!= ${m.major}.${m.minor}.${m.patch + k}`));
        const text = extra.length ? (first ? [...extra, generated] : [generated, ...extra]).join(', ') : generated;
        const fixed = raiseToMinimum(text, minimum);
        const p = parseConstraint(fixed);
        assert.ok(p.ok, `${JSON.stringify(fixed)} parses`);
        const min = parseVersion(minimum)!;
        const original = (parseConstraint(text) as { clauses: Clause[] }).clauses;
        const excludes = (v: Version) => original.some((c) => c.operator === '!=' && compareVersions(c.version, v) === 0);
        // The lowest release the fix may admit: the minimum's release (a prerelease minimum is not
        // itself admitted, no `=` names it), or the next one the user's `!=` conditions leave.
        let floor = rel(min.major, min.minor, min.patch);
        while (excludes(floor)) floor = rel(floor.major, floor.minor, floor.patch + 1);
        assert.ok(admits(p.clauses, floor), `${fixed} admits ${formatVersion(floor)}`);
        const a = analyseMinimum(fixed, minimum);
        assert.equal(a.admitsBelowMinimum, false, `${fixed} admits nothing below ${minimum}`);
        assert.equal(a.admitsAtLeastMinimum, true);
        assert.equal(a.exampleAtLeast, formatVersion(floor));
        // The user's upper bounds that admit that lowest release still hold.
        const bounds = original.filter((c) =>
          c.operator === '~>' ? compareVersions(floor, upperOf(c)) < 0 : (c.operator === '<' || c.operator === '<=') && admits([c], floor),
        );
        for (const v of grid(original, min)) {
          // Only what the original admitted, or what is >= minimum and excluded by no `!=` of the original.
          if (admits(p.clauses, v)) {
            assert.ok(admits(original, v) || (compareVersions(v, min) >= 0 && !excludes(v)), `${fixed} admits ${formatVersion(v)}, which ${text} excluded`);
          }
          if (v.prerelease || compareVersions(v, min) < 0) continue;
          if (admits(original, v)) assert.ok(admits(p.clauses, v), `${fixed} still admits ${formatVersion(v)}, which ${text} admitted`);
          if (admits(p.clauses, v)) {
            for (const b of bounds) {
              const hi = b.operator === '~>' ? upperOf(b) : b.version;
              const ok = b.operator === '<=' ? compareVersions(v, hi) <= 0 : compareVersions(v, hi) < 0;
              assert.ok(ok, `${fixed} admits ${formatVersion(v)} above the bound ${b.text} of ${text}`);
            }
          }
        }
      }),
      { numRuns: Math.max(100, Math.floor(RUNS / 2)) },
    );
  });

  test('never throws on arbitrary text; errors point inside it; lenient accepts all that strict does', () => {
    const alphabet = fc.constantFrom(...'<>=!~^ ,.-+v0123456789abx*\t'.split(''), '≥', '\u00a0');
    const texts = fc.oneof(fc.string(), fc.array(alphabet, { maxLength: 30 }).map((cs) => cs.join('')), genConstraint.map((c) => c.text));
    fc.assert(
      fc.property(texts, (text) => {
        const p = parseConstraint(text);
        const l = parseConstraint(text, { lenient: true });
        if (p.ok) {
          assert.ok(l.ok);
          assert.deepEqual(l.clauses, p.clauses);
          for (const c of p.clauses) assert.equal(text.slice(...c.at), c.text);
        } else {
          assert.ok(p.at, 'an error says where');
          assert.ok(0 <= p.at[0] && p.at[0] <= p.at[1] && p.at[1] <= text.length, `${JSON.stringify(text)}: at ${p.at}`);
          assert.ok(p.at[1] > p.at[0] || text.trim() === '' || p.at[0] === text.length, `${JSON.stringify(text)}: empty range ${p.at}`);
        }
        const a = analyseMinimum(text);
        assert.equal(a.error === undefined, p.ok);
        const fixed = raiseToMinimum(text);
        assert.ok(parseConstraint(fixed).ok, fixed);
        assert.equal(analyseMinimum(fixed).admitsBelowMinimum, false);
      }),
      params,
    );
  });
});

function upperOf(c: Clause): Version {
  return c.components === 3 ? rel(c.version.major, c.version.minor + 1, 0) : rel(c.version.major + 1, 0, 0);
}
