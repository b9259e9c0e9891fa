// Hover text for an ARN (`describeArn`): the parts table, the kind, and for a
// pattern two caller ARNs it matches and one it does not (checked with
// `matches`, so an example can never lie); exact ARNs, IAM role ARNs (which
// assumed-role ARN a caller presents), interpolated parts. Also the input
// box's `validateArnPatternInput`.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeArn, KIND_LABELS, matches, validateArnPatternInput, type ArnKind } from '../../server/src/service/arn';

const ACCT = '123456789012';
const STS = `arn:aws:sts::${ACCT}`;
const IAM = `arn:aws:iam::${ACCT}`;

/** The parts table of a hover: part → value, in order. */
function table(md: string): [string, string][] {
  return md
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| part |'))
    .map((l) => {
      const m = /^\| ([^|]+) \| (.*) \|$/.exec(l);
      assert.ok(m, `table row: ${l}`);
      return [m[1], m[2]];
    });
}

/** The ARNs listed under a heading (`Matches, for example:` / `Does not match:`). */
function listed(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const at = lines.indexOf(heading);
  if (at < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(at + 1)) {
    const m = /^- `(.*)`$/.exec(l);
    if (!m) break;
    out.push(m[1]);
  }
  return out;
}

const kindLine = (md: string) => md.split('\n')[0];
const label = (kind: ArnKind) => `**ARN** · ${KIND_LABELS[kind]}`;

/** A `/*` pattern's hover: two examples that match, one that does not, each checked with `matches`. */
function checkExamples(pattern: string): { yes: string[]; no: string[] } {
  const md = describeArn(pattern);
  const yes = listed(md, 'Matches, for example:');
  const no = listed(md, 'Does not match:');
  assert.equal(yes.length, 2, md);
  assert.equal(no.length, 1, md);
  for (const arn of yes) assert.ok(matches(pattern, arn), `${arn} should match ${pattern}`);
  for (const arn of no) assert.ok(!matches(pattern, arn), `${arn} should not match ${pattern}`);
  assert.notEqual(yes[0], yes[1]);
  return { yes, no };
}

describe('describeArn: patterns', () => {
  test('an assumed-role `/*` pattern: kind, parts, two matching examples, one not', () => {
    const pattern = `${STS}:assumed-role/deploy/*`;
    const md = describeArn(pattern);
    assert.equal(kindLine(md), label('assumed-role'));
    assert.deepEqual(table(md), [
      ['partition', '`aws`'],
      ['service', '`sts`'],
      ['region', '(empty)'],
      ['account', `\`${ACCT}\``],
      ['role', '`deploy`'],
      ['session', '`*` (any session)'],
    ]);
    const { yes, no } = checkExamples(pattern);
    for (const arn of yes) assert.ok(arn.startsWith(`${STS}:assumed-role/deploy/`));
    assert.ok(no[0].startsWith(`${STS}:assumed-role/`), 'the counter-example is a caller ARN too');
  });

  test('an SSO pattern: its own kind, the same parts, examples that hold', () => {
    const pattern = `${STS}:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/*`;
    const md = describeArn(pattern);
    assert.equal(kindLine(md), label('sso-assumed-role'));
    assert.deepEqual(table(md).find(([k]) => k === 'role'), ['role', '`AWSReservedSSO_ReadOnly_0123456789abcdef`']);
    checkExamples(pattern);
  });

  test('many `/*` patterns: the examples always hold', () => {
    for (const pattern of [
      `${STS}:assumed-role/a/*`,
      `${STS}:assumed-role/deploy-other/*`,
      'arn:aws:sts::000000000000:assumed-role/x.y@z/*',
      `${STS}:federated-user/bob/*`,
      `${IAM}:user/ops/*`,
    ]) checkExamples(pattern);
  });

  test('white space around the pattern is ignored by the hover', () => {
    assert.equal(describeArn(`  ${STS}:assumed-role/deploy/*\n`), describeArn(`${STS}:assumed-role/deploy/*`));
  });

  test('a pattern with a misplaced `*`: parts, but no examples that would mislead', () => {
    for (const pattern of [`${STS}:assumed-role/*/*`, `${STS}:assumed-role/run-*`, `${STS}:assumed-role/r/run-*`]) {
      const md = describeArn(pattern);
      assert.deepEqual(listed(md, 'Matches, for example:'), [], pattern);
    }
  });

  test('an interpolated account and role: marked as unknown; examples still consistent with the matcher', () => {
    const pattern = 'arn:aws:sts::${data.aws_caller_identity.current.account_id}:assumed-role/${var.role}/*';
    const md = describeArn(pattern);
    const rows = new Map(table(md));
    assert.equal(rows.get('account'), '`${data.aws_caller_identity.current.account_id}` (interpolated: unknown here)');
    assert.equal(rows.get('role'), '`${var.role}` (interpolated: unknown here)');
    assert.equal(rows.get('partition'), '`aws`', 'literal parts are not marked');
    checkExamples(pattern);
  });

  test('an interpolated session', () => {
    const rows = new Map(table(describeArn(`${STS}:assumed-role/deploy/\${var.session}`)));
    assert.equal(rows.get('session'), '`${var.session}` (interpolated: unknown here)');
  });
});

describe('describeArn: exact ARNs and other kinds', () => {
  test('an exact assumed-role ARN: this one session only, and a session it does not match', () => {
    const arn = `${STS}:assumed-role/deploy/i-0123456789abcdef0`;
    const md = describeArn(arn);
    assert.equal(kindLine(md), label('assumed-role'));
    assert.equal(new Map(table(md)).get('session'), '`i-0123456789abcdef0`');
    assert.match(md, /Matches only this exact ARN \(this one session: use `\/\*` for any session\)/);
    assert.deepEqual(listed(md, 'Matches, for example:'), []);
    const no = listed(md, 'Does not match:');
    assert.equal(no.length, 1);
    assert.ok(!matches(arn, no[0]));
    assert.ok(matches(arn, arn));
  });

  test('an assumed-role ARN without session: says it matches no caller (not "this exact ARN")', () => {
    const md = describeArn(`${STS}:assumed-role/deploy`);
    assert.equal(new Map(table(md)).get('session'), '(missing)');
    assert.match(md, /Matches no caller/);
    assert.doesNotMatch(md, /exact ARN/);
    assert.deepEqual(listed(md, 'Does not match:'), []);
  });

  test('an IAM role ARN with a path: path and role, and the assumed-role ARN its callers present (no path)', () => {
    const md = describeArn(`${IAM}:role/service-role/team/deploy`);
    assert.equal(kindLine(md), label('iam-role'));
    assert.deepEqual(table(md), [
      ['partition', '`aws`'],
      ['service', '`iam`'],
      ['region', '(empty)'],
      ['account', `\`${ACCT}\``],
      ['path', '`service-role/team/`'],
      ['role', '`deploy`'],
    ]);
    assert.ok(md.includes(`Matches no caller: a session of this role presents itself as \`${STS}:assumed-role/deploy/<session>\``), md);
  });

  test('an IAM role ARN without path: no path row', () => {
    const md = describeArn(`${IAM}:role/deploy`);
    assert.deepEqual(table(md).map(([k]) => k), ['partition', 'service', 'region', 'account', 'role']);
    assert.ok(md.includes(`\`${STS}:assumed-role/deploy/<session>\``));
  });

  test('an IAM role with an interpolated account and path: marked, and kept in the assumed-role ARN', () => {
    const md = describeArn('arn:aws:iam::${var.account}:role/${var.path}/deploy');
    const rows = new Map(table(md));
    assert.equal(rows.get('account'), '`${var.account}` (interpolated: unknown here)');
    assert.equal(rows.get('path'), '`${var.path}/` (interpolated: unknown here)');
    assert.ok(md.includes('`arn:aws:sts::${var.account}:assumed-role/deploy/<session>`'));
  });

  test('an IAM user with a path: path and user, an exact match', () => {
    const md = describeArn(`${IAM}:user/division/alice`);
    assert.equal(kindLine(md), label('iam-user'));
    const rows = new Map(table(md));
    assert.equal(rows.get('path'), '`division/`');
    assert.equal(rows.get('user'), '`alice`');
    assert.match(md, /Matches only this exact ARN\./);
    const no = listed(md, 'Does not match:');
    assert.equal(no.length, 1);
    assert.ok(!matches(`${IAM}:user/division/alice`, no[0]));
    assert.doesNotMatch(no[0], /session/, 'a user has no session');
  });

  test('a federated user', () => {
    const md = describeArn(`${STS}:federated-user/bob`);
    assert.equal(kindLine(md), label('federated-user'));
    assert.equal(new Map(table(md)).get('user'), '`bob`');
  });

  test('the root: kind, no resource row, matches nothing to map', () => {
    const md = describeArn(`${IAM}:root`);
    assert.equal(kindLine(md), label('root'));
    assert.deepEqual(table(md).map(([k]) => k), ['partition', 'service', 'region', 'account']);
    assert.match(md, /Matches no caller that may be mapped/);
  });

  test('another resource: the resource row, not a caller identity', () => {
    const md = describeArn(`arn:aws:s3:::my-bucket/logs`);
    assert.equal(kindLine(md), label('other'));
    assert.deepEqual(table(md), [
      ['partition', '`aws`'],
      ['service', '`s3`'],
      ['region', '(empty)'],
      ['account', '(empty)'],
      ['resource', '`my-bucket/logs`'],
    ]);
    assert.match(md, /Matches no caller that may be mapped/);
  });

  test('not an ARN: says so, with the expected form', () => {
    const md = describeArn('my-role');
    assert.match(md, /^\*\*Not an ARN\*\*: `my-role` needs the form `arn:aws:sts::<account>:assumed-role\/<role>\/<session>`/);
    assert.deepEqual(table(md), []);
  });
});

describe('validateArnPatternInput', () => {
  test('undefined for a good pattern', () => {
    assert.equal(validateArnPatternInput(`${STS}:assumed-role/deploy/*`), undefined);
    assert.equal(validateArnPatternInput(`${STS}:assumed-role/deploy/i-0abc`), undefined);
    assert.equal(validateArnPatternInput('arn:aws:sts::${var.account}:assumed-role/deploy/*'), undefined);
  });

  test('undefined for warnings only (an IAM user, a missing session)', () => {
    assert.equal(validateArnPatternInput(`${IAM}:user/alice`), undefined);
    assert.equal(validateArnPatternInput(`${STS}:assumed-role/deploy`), undefined);
  });

  test('the first error, in words, with its code', () => {
    const cases: [string, string][] = [
      ['', 'arn/not-an-arn'],
      ['my-role', 'arn/not-an-arn'],
      [` ${STS}:assumed-role/deploy/*`, 'arn/whitespace'],
      [`${IAM}:role/service-role/deploy`, 'arn/iam-role-arn'],
      [`${IAM}:root`, 'arn/root'],
      ['arn:aws:sts::12345:assumed-role/deploy/*', 'arn/invalid-account'],
      [`${STS}:assumed-role/*/*`, 'arn/multiple-wildcards'],
      [`${STS}:assumed-role/deploy/run-*`, 'arn/partial-wildcard'],
    ];
    for (const [input, code] of cases) {
      const message = validateArnPatternInput(input);
      assert.ok(message, `${JSON.stringify(input)} should be refused`);
      assert.ok(message.endsWith(` (${code})`), message);
      assert.ok(message.length > code.length + 10, 'a message, not just the code');
    }
  });

  test('an error beside a warning: the error', () => {
    const message = validateArnPatternInput(`arn:aws:iam::12:user/alice`);
    assert.match(message ?? '', /\(arn\/invalid-account\)$/);
  });
});
