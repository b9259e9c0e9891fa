// Every arn/* rule of RULES.md on one pattern (`lintArnPattern`): a case that
// fires (exact code, severity and sub-range, written into the pattern with «»),
// a near miss that does not, and each quick fix's resulting pattern.
// `arn/overlapping-patterns` is file-level: see `findOverlaps` in arn-match.test.ts.
//
// Every case checks the *whole* list of findings, so "one mistake once, by the
// most specific rule" is checked everywhere: a case lists every finding it gets.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/service';
import { lintArnPattern, type ArnFinding } from '../../server/src/service/arn';
import { TextIndex } from '../../server/src/service/common/textIndex';
import { marked, SHARED_DIR } from '../helpers/markers';

type Sev = 'error' | 'warning' | 'info';
const E = 'error' as const;
const W = 'warning' as const;

const ACCT = '123456789012';
const STS = `arn:aws:sts::${ACCT}`;
const IAM = `arn:aws:iam::${ACCT}`;

/** The «» spans of a pattern as offsets (for one line, the ranges' `character`s), and the pattern without markers. */
function spans(source: string): { text: string; at: [number, number][] } {
  const m = marked(source);
  const index = new TextIndex(m.text);
  return { text: m.text, at: m.ranges.map((r) => [index.offsetAt(r.start), index.offsetAt(r.end)]) };
}

const row = (f: ArnFinding) => [f.code, f.severity, f.start, f.end] as const;
const order = (a: readonly [string, string, number, number], b: readonly [string, string, number, number]) => a[2] - b[2] || a[3] - b[3] || a[0].localeCompare(b[0]);

/**
 * Lints the marked pattern and asserts its findings are exactly `expected`,
 * the i-th at the i-th «» range (ranges in order of their start).
 */
function expectFindings(source: string, ...expected: [string, Sev][]): ArnFinding[] {
  const { text, at } = spans(source);
  assert.equal(at.length, expected.length, 'one «» range per expected finding');
  const findings = lintArnPattern(text);
  const want = expected.map(([code, sev], i) => [code, sev, at[i][0], at[i][1]] as const);
  assert.deepEqual(findings.map(row).sort(order), [...want].sort(order), `findings of ${JSON.stringify(text)}`);
  return findings;
}

function clean(pattern: string): void {
  assert.deepEqual(lintArnPattern(pattern).map(row), [], `no finding expected for ${JSON.stringify(pattern)}`);
}

/** The whole pattern after the quick fix of `code` (which must offer one). */
function fixed(pattern: string, code: string): string {
  const f = lintArnPattern(pattern).filter((x) => x.code === code);
  assert.equal(f.length, 1, `one ${code} finding expected`);
  assert.ok(f[0].fix, `${code} should offer a fix`);
  assert.ok(f[0].fix.title.length > 0);
  return f[0].fix.replacement;
}

function noFix(pattern: string, code: string): void {
  const f = lintArnPattern(pattern).filter((x) => x.code === code);
  assert.equal(f.length, 1, `one ${code} finding expected`);
  assert.equal(f[0].fix, undefined);
}

const CODES_HERE = [
  'arn/not-an-arn', 'arn/whitespace', 'arn/unsupported-partition', 'arn/iam-role-arn', 'arn/wrong-service',
  'arn/region-not-empty', 'arn/invalid-account', 'arn/wildcard-not-last', 'arn/wildcard-without-resource',
  'arn/partial-wildcard', 'arn/multiple-wildcards', 'arn/missing-session', 'arn/invalid-role-name',
  'arn/invalid-session-name', 'arn/iam-user', 'arn/root',
];

const RULES_MD = path.join(SHARED_DIR, 'spec', 'RULES.md');
const NO_SPEC = fs.existsSync(RULES_MD) ? false : `the shared spec is absent (${RULES_MD})`;

describe('the catalog', () => {
  /** `arn/*` rows of RULES.md: code → severity letter. */
  function specRows(): Map<string, string> {
    const text = fs.readFileSync(RULES_MD, 'utf8');
    return new Map([...text.matchAll(/^\| `(arn\/[a-z-]+)` \| (E|W|I) \|/gm)].map((m) => [m[1], m[2]]));
  }

  test('every arn/* code of RULES.md but the file-level arn/overlapping-patterns is covered by this file', { skip: NO_SPEC }, () => {
    const spec = [...specRows().keys()];
    assert.ok(spec.length >= 17, 'RULES.md has the arn/* table');
    assert.deepEqual(spec.filter((c) => c !== 'arn/overlapping-patterns').sort(), [...CODES_HERE].sort());
    assert.deepEqual(RULES.filter((r) => r.code.startsWith('arn/')).map((r) => r.code).sort(), spec.sort());
  });

  test('severities: the catalog and RULES.md agree', { skip: NO_SPEC }, () => {
    const letter = { error: 'E', warning: 'W', info: 'I' } as const;
    const spec = specRows();
    for (const r of RULES.filter((x) => x.code.startsWith('arn/'))) assert.equal(letter[r.severity], spec.get(r.code), r.code);
  });

  test('clean patterns: the usual shapes get no finding', () => {
    for (const p of [
      `${STS}:assumed-role/my-role/*`,
      `${STS}:assumed-role/my-role/i-0123456789abcdef0`,
      `${STS}:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/*`,
      `${STS}:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane@example.com`,
      `${STS}:assumed-role/Az09+=,.@_-/Az09+=,.@_-`,
      `${STS}:federated-user/bob`,
      'arn:aws:sts::000000000000:assumed-role/r/*',
    ]) clean(p);
  });
});

describe('arn/not-an-arn', () => {
  test('fires on the whole value: no `arn:` prefix', () => {
    expectFindings('«my-role»', ['arn/not-an-arn', E]);
    expectFindings('«ARN:aws:sts::123456789012:assumed-role/r/*»', ['arn/not-an-arn', E]);
    expectFindings('«123456789012»', ['arn/not-an-arn', E]);
  });

  test('fires on the whole value: fewer than six fields', () => {
    const [f] = expectFindings('«arn:aws:sts::123456789012»', ['arn/not-an-arn', E]);
    assert.match(f.message, /six/);
    expectFindings('«arn:»', ['arn/not-an-arn', E]);
    // A `:` inside an interpolation does not count: still five fields.
    expectFindings('«arn:aws:sts::${AWS::AccountId}»', ['arn/not-an-arn', E]);
  });

  test('nothing, or only white space: not-an-arn alone (not also arn/whitespace), never past the end', () => {
    expectFindings('«»', ['arn/not-an-arn', E]);
    expectFindings('«   »', ['arn/not-an-arn', E]);
    expectFindings('«\t\n»', ['arn/not-an-arn', E]);
  });

  test('white space around a non-ARN: both mistakes, each where it is', () => {
    expectFindings('« »«nope»', ['arn/whitespace', E], ['arn/not-an-arn', E]);
  });

  test('near miss: six fields with an empty resource is an ARN (the resource is what is wrong)', () => {
    // An empty part at the end is shown on the last character (the `:`), never as an invisible range.
    expectFindings(`${STS}«:»`, ['arn/wrong-service', E]);
  });
});

describe('arn/whitespace', () => {
  test('leading white space: the white space, fix trims', () => {
    const { text } = spans(`«  »${STS}:assumed-role/r/*`);
    expectFindings(`«  »${STS}:assumed-role/r/*`, ['arn/whitespace', E]);
    assert.equal(fixed(text, 'arn/whitespace'), `${STS}:assumed-role/r/*`);
  });

  test('trailing white space (a newline pasted from the CLI): the white space, fix trims', () => {
    expectFindings(`${STS}:assumed-role/r/*«\n»`, ['arn/whitespace', E]);
    assert.equal(fixed(`${STS}:assumed-role/r/* \t`, 'arn/whitespace'), `${STS}:assumed-role/r/*`);
  });

  test('both ends: one finding, on the leading white space; the fix trims both', () => {
    expectFindings(`« »${STS}:assumed-role/r/* `, ['arn/whitespace', E]);
    assert.equal(fixed(` ${STS}:assumed-role/r/* `, 'arn/whitespace'), `${STS}:assumed-role/r/*`);
  });

  test('inside: the first run of white space, fix removes every run; nothing else is judged', () => {
    // (Inside white space may split what was meant as one name: the rest is judged once it is gone.)
    expectFindings(`${STS}:assumed-role/my«  »role/x y`, ['arn/whitespace', E]);
    assert.equal(fixed(`${STS}:assumed-role/my  role/x y`, 'arn/whitespace'), `${STS}:assumed-role/myrole/xy`);
    expectFindings(`arn:aws:sts::1234«\t»56789012:assumed-role/r/*`, ['arn/whitespace', E]);
  });

  test('leading white space: the other rules still run, at offsets in the untrimmed value, and their fixes give the trimmed pattern', () => {
    const source = `«  »arn:aws:sts:«us-east-1»:«12345»:assumed-role/r/*`;
    expectFindings(source, ['arn/whitespace', E], ['arn/region-not-empty', E], ['arn/invalid-account', E]);
    assert.equal(fixed(spans(source).text, 'arn/region-not-empty'), 'arn:aws:sts::12345:assumed-role/r/*');
  });

  test('near miss: white space inside an interpolation is part of the expression', () => {
    clean('arn:aws:sts::${ data.aws_caller_identity.current.account_id }:assumed-role/r/*');
    clean('arn:aws:sts::123456789012:assumed-role/${ lookup(var.roles, "ci") }/*');
  });

  test('white space outside an interpolation still counts, and its fix keeps the interpolation as written', () => {
    const source = 'arn:aws:sts::${ var.account }:assumed-role/my« »role/*';
    expectFindings(source, ['arn/whitespace', E]);
    assert.equal(fixed(spans(source).text, 'arn/whitespace'), 'arn:aws:sts::${ var.account }:assumed-role/myrole/*');
  });
});

describe('arn/unsupported-partition', () => {
  for (const partition of ['aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'AWS', 'amazon']) {
    test(`fires on the partition: ${partition}`, () => {
      const [f] = expectFindings(`arn:«${partition}»:sts::${ACCT}:assumed-role/r/*`, ['arn/unsupported-partition', E]);
      assert.ok(f.message.includes(partition));
    });
  }

  test('an empty partition: underlined as the one character after it', () => {
    // (An empty part has no characters: the finding takes the next one, the `:`.)
    expectFindings(`arn:«:»sts::${ACCT}:assumed-role/r/*`, ['arn/unsupported-partition', E]);
  });

  test('interpolated: unknown, not judged; literal text beside it that cannot make `aws` is', () => {
    clean(`arn:\${data.aws_partition.current.partition}:sts::${ACCT}:assumed-role/r/*`);
    clean(`arn:aws\${var.suffix}:sts::${ACCT}:assumed-role/r/*`);
    expectFindings(`arn:«aws-»\${var.suffix}:sts::${ACCT}:assumed-role/r/*`, ['arn/unsupported-partition', E]);
  });

  test('near miss: `aws`', () => {
    clean(`arn:aws:sts::${ACCT}:assumed-role/r/*`);
  });
});

describe('arn/iam-role-arn', () => {
  test('a role with a path: from the service to the end; fix gives the assumed-role pattern, path dropped', () => {
    const [f] = expectFindings(`arn:aws:«iam::${ACCT}:role/service-role/x»`, ['arn/iam-role-arn', E]);
    assert.ok(f.message.includes(`arn:aws:sts::${ACCT}:assumed-role/x/*`));
    const fix = fixed(`arn:aws:iam::${ACCT}:role/service-role/x`, 'arn/iam-role-arn');
    assert.equal(fix, 'arn:aws:sts::123456789012:assumed-role/x/*');
    clean(fix);
  });

  test('a role without path; and never also arn/wrong-service', () => {
    expectFindings(`arn:aws:«iam::${ACCT}:role/deploy»`, ['arn/iam-role-arn', E]);
    assert.equal(fixed(`arn:aws:iam::${ACCT}:role/deploy`, 'arn/iam-role-arn'), `${STS}:assumed-role/deploy/*`);
  });

  test('interpolated account and name: not judged, and kept in the fix', () => {
    const source = 'arn:aws:iam::${var.account}:role/app/${var.role}';
    expectFindings('arn:aws:«iam::${var.account}:role/app/${var.role}»', ['arn/iam-role-arn', E]);
    const fix = fixed(source, 'arn/iam-role-arn');
    assert.equal(fix, 'arn:aws:sts::${var.account}:assumed-role/${var.role}/*');
    clean(fix);
  });

  test('a `*` role: no fix (the result would be a wildcard without resource), and the `*` is not judged too', () => {
    expectFindings(`arn:aws:«iam::${ACCT}:role/*»`, ['arn/iam-role-arn', E]);
    noFix(`arn:aws:iam::${ACCT}:role/*`, 'arn/iam-role-arn');
  });

  test('a region on a role ARN: both are reported; the role fix already drops the region', () => {
    // Decision: two independent mistakes (region, service), so two findings; either fix is safe.
    const source = `arn:aws:«iam:«us-east-1»:${ACCT}:role/x»`;
    expectFindings(source, ['arn/iam-role-arn', E], ['arn/region-not-empty', E]);
    assert.equal(fixed(spans(source).text, 'arn/iam-role-arn'), `${STS}:assumed-role/x/*`);
  });

  test('near miss: the assumed-role ARN, and an IAM role path in a user ARN', () => {
    clean(`${STS}:assumed-role/x/*`);
    expectFindings(`${IAM}:«user/role/x»`, ['arn/iam-user', W]);
  });
});

describe('arn/wrong-service', () => {
  test('another service: the service; nothing else about that ARN (region, account, wildcard)', () => {
    expectFindings('arn:aws:«s3»:::my-bucket', ['arn/wrong-service', E]);
    expectFindings(`arn:aws:«ec2»:us-east-1:${ACCT}:instance/i-0abc`, ['arn/wrong-service', E]);
    expectFindings('arn:aws:«s3»:::*', ['arn/wrong-service', E]);
    expectFindings('arn:aws:«lambda»:us-east-1:12:function:f', ['arn/wrong-service', E]);
  });

  test('an empty service', () => {
    expectFindings(`arn:aws:«:»:${ACCT}:assumed-role/r/*`, ['arn/wrong-service', E]);
  });

  test('`sts`/`iam` with a resource that is no caller: the resource type', () => {
    expectFindings(`${STS}:«role»/r`, ['arn/wrong-service', E]);
    expectFindings(`${IAM}:«policy»/ReadOnly`, ['arn/wrong-service', E]);
    expectFindings(`${IAM}:«assumed-role»/r/*`, ['arn/wrong-service', E]);
    // The wildcard of an ARN that names no caller is not judged as well.
    expectFindings(`${STS}:«foo»/x*`, ['arn/wrong-service', E]);
  });

  test('decision: `iam::<acct>:root/x` is not the root, it names nothing', () => {
    expectFindings(`${IAM}:«root»/x`, ['arn/wrong-service', E]);
  });

  test('near miss: sts assumed-role and federated-user, iam user: no arn/wrong-service', () => {
    clean(`${STS}:assumed-role/r/*`);
    clean(`${STS}:federated-user/bob`);
    expectFindings(`${IAM}:«user/bob»`, ['arn/iam-user', W]);
  });

  test('near miss: an interpolated service is unknown, not judged', () => {
    clean(`arn:aws:\${var.service}::${ACCT}:assumed-role/r/*`);
  });
});

describe('arn/region-not-empty', () => {
  test('fires on the region; fix removes it', () => {
    expectFindings(`arn:aws:sts:«us-east-1»:${ACCT}:assumed-role/r/*`, ['arn/region-not-empty', E]);
    assert.equal(fixed(`arn:aws:sts:us-east-1:${ACCT}:assumed-role/r/*`, 'arn/region-not-empty'), `${STS}:assumed-role/r/*`);
  });

  test('on an IAM user too (with its own warning)', () => {
    expectFindings(`arn:aws:iam:«eu-west-1»:${ACCT}:«user/bob»`, ['arn/region-not-empty', E], ['arn/iam-user', W]);
    assert.equal(fixed(`arn:aws:iam:eu-west-1:${ACCT}:user/bob`, 'arn/region-not-empty'), `${IAM}:user/bob`);
  });

  test('interpolated: an interpolation alone may be empty, not judged; literal text beside it is not empty', () => {
    clean(`arn:aws:sts:\${var.region}:${ACCT}:assumed-role/r/*`);
    const source = `arn:aws:sts:«us-»\${var.region}:${ACCT}:assumed-role/r/*`;
    expectFindings(source, ['arn/region-not-empty', E]);
    assert.equal(fixed(spans(source).text, 'arn/region-not-empty'), `${STS}:assumed-role/r/*`);
  });

  test('near miss: empty region; a region on another service is that service\'s business', () => {
    clean(`${STS}:assumed-role/r/*`);
    expectFindings(`arn:aws:«ec2»:us-east-1:${ACCT}:instance/i-1`, ['arn/wrong-service', E]);
  });
});

describe('arn/invalid-account', () => {
  for (const [what, account] of [
    ['11 digits', '12345678901'],
    ['13 digits', '1234567890123'],
    ['letters', 'my-account'],
    ['dashes', '1234-5678-9012'],
    ['an alias', 'prod'],
  ]) {
    test(`fires on the account: ${what}`, () => {
      const [f] = expectFindings(`arn:aws:sts::«${account}»:assumed-role/r/*`, ['arn/invalid-account', E]);
      assert.ok(f.message.includes(account));
    });
  }

  test('digit count is in the message', () => {
    const [f] = lintArnPattern('arn:aws:sts::12345678901:assumed-role/r/*');
    assert.match(f.message, /11 digits/);
  });

  test('empty: underlined as the `:` after it', () => {
    expectFindings('arn:aws:sts::«:»assumed-role/r/*', ['arn/invalid-account', E]);
  });

  test('on IAM users, roots and role ARNs too', () => {
    expectFindings('arn:aws:iam::«12»:«user/bob»', ['arn/invalid-account', E], ['arn/iam-user', W]);
    expectFindings('arn:aws:iam::«12»:«root»', ['arn/invalid-account', E], ['arn/root', E]);
  });

  test('interpolated: never reported (`${AWS::AccountId}`, Terraform, digits beside an interpolation)', () => {
    clean('arn:aws:sts::${AWS::AccountId}:assumed-role/r/*');
    clean('arn:aws:sts::${data.aws_caller_identity.current.account_id}:assumed-role/r/*');
    clean('arn:aws:sts::${var.prefix}0042:assumed-role/r/*');
    clean('arn:aws:sts::${var.a}${var.b}:assumed-role/r/*');
  });

  test('interpolated: literal text beside it that cannot be part of 12 digits is reported, only that text', () => {
    expectFindings('arn:aws:sts::${var.account}«x»:assumed-role/r/*', ['arn/invalid-account', E]);
    expectFindings('arn:aws:sts::«acct-»${var.account}:assumed-role/r/*', ['arn/invalid-account', E]);
    expectFindings('arn:aws:sts::${var.a}«1234567890123»:assumed-role/r/*', ['arn/invalid-account', E]);
  });

  test('near miss: 12 digits, leading zeros included; no account on an ARN that names no caller', () => {
    clean('arn:aws:sts::000000000001:assumed-role/r/*');
    expectFindings('arn:aws:«s3»:::bucket', ['arn/wrong-service', E]);
  });
});

describe('arn/wildcard-not-last', () => {
  test('in the account, the region, the service, the partition: the `*` only', () => {
    expectFindings('arn:aws:sts::«*»:assumed-role/r/s1', ['arn/wildcard-not-last', E]);
    expectFindings(`arn:aws:sts:«*»:${ACCT}:assumed-role/r/s1`, ['arn/wildcard-not-last', E]);
    expectFindings(`arn:aws:«*»::${ACCT}:assumed-role/r/s1`, ['arn/wildcard-not-last', E]);
    expectFindings(`arn:«*»:sts::${ACCT}:assumed-role/r/s1`, ['arn/wildcard-not-last', E]);
    // A `*` in a field is not also judged by that field's rule (account, region, …).
    expectFindings('arn:aws:sts::1234«*»:assumed-role/r/s1', ['arn/wildcard-not-last', E]);
  });

  test('in the role name, with a session after it', () => {
    expectFindings(`${STS}:assumed-role/«*»/s1`, ['arn/wildcard-not-last', E]);
    expectFindings(`${STS}:assumed-role/run-«*»/s1`, ['arn/wildcard-not-last', E]);
  });

  test('decision: `assumed-role/run-*` (no session) is a wildcard in the role name', () => {
    // Not arn/partial-wildcard (its fix would give `assumed-role/*`, a wildcard without resource) and not
    // arn/missing-session (a `*` is judged only by wildcard rules): the role name holds a `*`, which is never allowed.
    expectFindings(`${STS}:assumed-role/run-«*»`, ['arn/wildcard-not-last', E]);
  });

  test('in a federated user name; the name rules ignore it', () => {
    expectFindings(`${STS}:federated-user/bo«*»`, ['arn/wildcard-not-last', E]);
    expectFindings(`${STS}:assumed-role/r«*»/s1`, ['arn/wildcard-not-last', E]);
  });

  test('near miss: a trailing `/*` after the role name', () => {
    clean(`${STS}:assumed-role/r/*`);
  });
});

describe('arn/wildcard-without-resource', () => {
  test('any role: the `*`', () => {
    expectFindings(`${STS}:assumed-role/«*»`, ['arn/wildcard-without-resource', E]);
  });

  test('any resource: the `*`, not arn/wrong-service', () => {
    expectFindings(`${STS}:«*»`, ['arn/wildcard-without-resource', E]);
    expectFindings(`${IAM}:«*»`, ['arn/wildcard-without-resource', E]);
  });

  test('any federated user; any IAM user (with the IAM user warning)', () => {
    expectFindings(`${STS}:federated-user/«*»`, ['arn/wildcard-without-resource', E]);
    expectFindings(`${IAM}:«user/«*»»`, ['arn/iam-user', W], ['arn/wildcard-without-resource', E]);
  });

  test('near miss: a role name, then `/*`', () => {
    clean(`${STS}:assumed-role/r/*`);
  });
});

describe('arn/partial-wildcard', () => {
  for (const segment of ['run-*', '*x', 'a*b', 'i-*']) {
    test(`the final segment \`${segment}\`: that segment; fix replaces it with \`*\``, () => {
      expectFindings(`${STS}:assumed-role/r/«${segment}»`, ['arn/partial-wildcard', E]);
      const fix = fixed(`${STS}:assumed-role/r/${segment}`, 'arn/partial-wildcard');
      assert.equal(fix, `${STS}:assumed-role/r/*`);
      clean(fix);
    });
  }

  test('with white space around: the fix gives the trimmed pattern', () => {
    assert.equal(fixed(` ${STS}:assumed-role/r/run-*`, 'arn/partial-wildcard'), `${STS}:assumed-role/r/*`);
  });

  test('near miss: `*` alone', () => {
    clean(`${STS}:assumed-role/r/*`);
  });
});

describe('arn/multiple-wildcards', () => {
  test('`assumed-role/*/*`: only arn/multiple-wildcards (not also wildcard-not-last or without-resource), on the misplaced `*`', () => {
    const [f] = expectFindings(`${STS}:assumed-role/«*»/*`, ['arn/multiple-wildcards', E]);
    assert.match(f.message, /^2 wildcards/);
  });

  test('a `*` account beside a good `/*`: the account `*`', () => {
    expectFindings('arn:aws:sts::«*»:assumed-role/r/*', ['arn/multiple-wildcards', E]);
  });

  test('no good `/*` at the end: from the first `*` to the last', () => {
    expectFindings(`${STS}:assumed-role/r/«*x*»`, ['arn/multiple-wildcards', E]);
  });

  test('three: from the first misplaced to the last misplaced', () => {
    const [f] = expectFindings(`arn:aws:sts:«*:*»:assumed-role/r/*`, ['arn/multiple-wildcards', E]);
    assert.match(f.message, /^3 wildcards/);
  });

  test('`r/*/*`: the name rules ignore the `*`, so no role path is reported either', () => {
    expectFindings(`${STS}:assumed-role/r/«*»/*`, ['arn/multiple-wildcards', E]);
  });

  test('other mistakes are still reported beside it', () => {
    expectFindings(`arn:aws:sts:«us-east-1»:«12»:assumed-role/«*»/*`, ['arn/region-not-empty', E], ['arn/invalid-account', E], ['arn/multiple-wildcards', E]);
  });

  test('near miss: a `*` inside an interpolation is no wildcard', () => {
    clean(`${STS}:assumed-role/\${join("*", var.parts)}/*`);
  });
});

describe('arn/missing-session', () => {
  test('fires on the role name (warning); fix appends `/*`', () => {
    expectFindings(`${STS}:assumed-role/«my-role»`, ['arn/missing-session', W]);
    const fix = fixed(`${STS}:assumed-role/my-role`, 'arn/missing-session');
    assert.equal(fix, `${STS}:assumed-role/my-role/*`);
    clean(fix);
  });

  test('an SSO role', () => {
    expectFindings(`${STS}:assumed-role/«AWSReservedSSO_Admin_0123456789abcdef»`, ['arn/missing-session', W]);
  });

  test('decision: an interpolated role name is still one segment: the session is missing', () => {
    expectFindings(`${STS}:assumed-role/«\${var.role}»`, ['arn/missing-session', W]);
    assert.equal(fixed(`${STS}:assumed-role/\${var.role}`, 'arn/missing-session'), `${STS}:assumed-role/\${var.role}/*`);
  });

  test('an invalid role name without session: both (appending `/*` does not fix the name)', () => {
    expectFindings(`${STS}:assumed-role/««r!»»`, ['arn/missing-session', W], ['arn/invalid-role-name', E]);
  });

  test('near miss: a session, a `/*`; an empty role name is the mistake there, not the session', () => {
    clean(`${STS}:assumed-role/my-role/s1`);
    clean(`${STS}:assumed-role/my-role/*`);
    expectFindings(`${STS}:assumed-role«/»`, ['arn/invalid-role-name', E]);
  });
});

describe('arn/invalid-role-name', () => {
  const name64 = 'r'.repeat(64);
  test('over 64 characters: the role name', () => {
    const [f] = expectFindings(`${STS}:assumed-role/«${'r'.repeat(65)}»/*`, ['arn/invalid-role-name', E]);
    assert.match(f.message, /65/);
  });

  test('characters outside the set: the role name', () => {
    for (const name of ['my!role', 'my#role', 'rôle', 'a$b', 'a}b']) {
      expectFindings(`${STS}:assumed-role/«${name}»/*`, ['arn/invalid-role-name', E]);
    }
  });

  test('empty, with a session: underlined as the `/` after it', () => {
    expectFindings(`${STS}:assumed-role/«/»s1`, ['arn/invalid-role-name', E]);
  });

  test('no role at all: the resource type', () => {
    expectFindings(`${STS}:«assumed-role»`, ['arn/invalid-role-name', E]);
  });

  test('a role path in an assumed-role ARN: from the role to the last path segment', () => {
    const [f] = expectFindings(`${STS}:assumed-role/«service-role/x»/s1`, ['arn/invalid-role-name', E]);
    assert.match(f.message, /no role path/);
    expectFindings(`${STS}:assumed-role/«a/b/c»/*`, ['arn/invalid-role-name', E]);
  });

  test('interpolated: never reported; literal characters beside it are, only those', () => {
    clean(`${STS}:assumed-role/\${var.role}/*`);
    clean(`${STS}:assumed-role/app-\${var.env}-deploy/*`);
    expectFindings(`${STS}:assumed-role/\${var.role}«!»/*`, ['arn/invalid-role-name', E]);
    expectFindings(`${STS}:assumed-role/«${'r'.repeat(65)}»\${var.x}/*`, ['arn/invalid-role-name', E]);
  });

  test('near miss: 64 characters, every allowed character, one character', () => {
    clean(`${STS}:assumed-role/${name64}/*`);
    clean(`${STS}:assumed-role/Az09+=,.@_-/*`);
    clean(`${STS}:assumed-role/r/*`);
  });

  test('near miss: a `*` in the name is judged by the wildcard rules only', () => {
    expectFindings(`${STS}:assumed-role/r!«*»/s1`, ['arn/wildcard-not-last', E]);
  });
});

describe('arn/invalid-session-name', () => {
  test('shorter than 2: the session', () => {
    const [f] = expectFindings(`${STS}:assumed-role/r/«a»`, ['arn/invalid-session-name', E]);
    assert.match(f.message, /2 to 64/);
  });

  test('over 64: the session', () => {
    expectFindings(`${STS}:assumed-role/r/«${'s'.repeat(65)}»`, ['arn/invalid-session-name', E]);
  });

  test('characters outside the set: the session', () => {
    expectFindings(`${STS}:assumed-role/r/«ses#sion»`, ['arn/invalid-session-name', E]);
    expectFindings(`${STS}:assumed-role/r/«a:b»`, ['arn/invalid-session-name', E]);
  });

  test('empty (a trailing `/`): at the end of the pattern, on the last character', () => {
    expectFindings(`${STS}:assumed-role/r«/»`, ['arn/invalid-session-name', E]);
  });

  test('interpolated: never reported; literal characters beside it are, only those', () => {
    clean(`${STS}:assumed-role/r/\${var.session}`);
    clean(`${STS}:assumed-role/r/ci-\${var.run_id}`);
    expectFindings(`${STS}:assumed-role/r/\${var.session}«!»`, ['arn/invalid-session-name', E]);
  });

  test('near miss: 2 and 64 characters, an e-mail (SSO sessions), an instance id', () => {
    clean(`${STS}:assumed-role/r/ab`);
    clean(`${STS}:assumed-role/r/${'s'.repeat(64)}`);
    clean(`${STS}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/jane.doe+ops@example.com`);
    clean(`${STS}:assumed-role/r/i-0123456789abcdef0`);
  });
});

describe('arn/iam-user', () => {
  test('fires on the resource (warning), with or without a path', () => {
    expectFindings(`${IAM}:«user/alice»`, ['arn/iam-user', W]);
    expectFindings(`${IAM}:«user/division/ops/alice»`, ['arn/iam-user', W]);
    noFix(`${IAM}:user/alice`, 'arn/iam-user');
  });

  test('near miss: a role session of a role called `user`', () => {
    clean(`${STS}:assumed-role/user/*`);
  });
});

describe('arn/root', () => {
  test('fires on `root`', () => {
    expectFindings(`${IAM}:«root»`, ['arn/root', E]);
    noFix(`${IAM}:root`, 'arn/root');
  });

  test('interpolated account: still the root', () => {
    expectFindings('arn:aws:iam::${AWS::AccountId}:«root»', ['arn/root', E]);
  });

  test('near miss: a user called root, a role called root', () => {
    expectFindings(`${IAM}:«user/root»`, ['arn/iam-user', W]);
    clean(`${STS}:assumed-role/root/*`);
  });
});

describe('interpolations (RULES.md: the unknown part is never reported, the literal parts are)', () => {
  test('a Terraform pattern with account, role and session interpolated: clean', () => {
    clean('arn:aws:sts::${data.aws_caller_identity.current.account_id}:assumed-role/${aws_iam_role.ci.name}/${var.session}');
  });

  test('interpolated account, literal mistakes elsewhere: only those', () => {
    expectFindings('arn:aws:sts:«us-east-1»:${AWS::AccountId}:assumed-role/«r!»/*', ['arn/region-not-empty', E], ['arn/invalid-role-name', E]);
  });

  test('an interpolation containing `/` is one role name', () => {
    clean(`${STS}:assumed-role/\${element(split("/", var.role_arn), 1)}/*`);
  });

  test('a pattern that starts with an interpolation may start with anything (`"${var.pattern}"`): not judged as not-an-arn', () => {
    clean('${var.pattern}');
    clean('${local.prefix}:assumed-role/x/*');
  });

  test('where the interpolations are, when the caller knows: a `${` it does not list is literal text (a Terraform `$${`), judged as such', () => {
    const literal = `${STS}:assumed-role/\${x}/*`;
    clean(literal);
    const at = literal.indexOf('${x}');
    assert.deepEqual(lintArnPattern(literal, []).map(row), [['arn/invalid-role-name', E, at, at + 4]]);
    // One real interpolation (the account), one literal `${` (the role): only the literal one is judged.
    const mixed = `arn:aws:sts::\${var.a}:assumed-role/\${x}/*`;
    const role = mixed.lastIndexOf('${x}');
    assert.deepEqual(lintArnPattern(mixed, [[13, 21]]).map(row), [['arn/invalid-role-name', E, role, role + 4]]);
    // Given spans still apply after white space is trimmed.
    assert.deepEqual(lintArnPattern(` ${mixed}`, [[14, 22]]).map((f) => f.code), ['arn/whitespace', 'arn/invalid-role-name']);
  });

  test('offsets: every finding lies within the pattern', () => {
    for (const p of ['', ' ', 'arn:', `${STS}:assumed-role/`, `${STS}:assumed-role/r/`, 'arn:aws:sts:::', 'arn:::::']) {
      for (const f of lintArnPattern(p)) assert.ok(f.start >= 0 && f.start <= f.end && f.end <= p.length, `${JSON.stringify(p)}: ${f.code} ${f.start}-${f.end}`);
    }
  });
});
