// The shared corpus of real ARNs (../shared/corpus/arn/real-arns.tsv: 318
// ARNs found in issues, docs and code, each with the kind a person gave it).
// For every row: parseArn classifies it as the `kind` column says,
// lintArnPattern never throws and returns well-formed findings, and the
// findings are what that kind calls for (an IAM role ARN gets
// `arn/iam-role-arn` with a fix that works, the root gets `arn/root`, a real
// assumed-role ARN lints clean, …). Then corpus-wide checks: each IAM role's fix
// matches the corpus' own sessions of that role, and findOverlaps agrees with
// the pairwise overlaps test. Skips when ../shared is absent.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { isKnownCode } from '../../server/src/service';
import { KIND_LABELS, describeArn, lintArnPattern, matches, parseArn, type ArnFinding, type ArnKind } from '../../server/src/service/arn';
import { SHARED_DIR } from '../helpers/markers';
import { checkFindOverlaps } from '../helpers/overlaps';

const ARN_CORPUS_DIR = path.join(SHARED_DIR, 'corpus', 'arn');
const TSV = path.join(ARN_CORPUS_DIR, 'real-arns.tsv');
const NONCONFORMING = path.join(ARN_CORPUS_DIR, 'nonconforming.txt');
const skip = fs.existsSync(TSV) ? false : `the shared ARN corpus is absent (${TSV}); clone the shared directory beside this checkout to run this test`;

const KINDS: readonly ArnKind[] = ['assumed-role', 'sso-assumed-role', 'iam-role', 'iam-user', 'root', 'federated-user', 'other'];

interface Row {
  /** 1-based line in the TSV (the header is line 1). */
  line: number;
  arn: string;
  kind: ArnKind;
  source: string;
}

function readRows(file: string, header: boolean): Row[] {
  if (!fs.existsSync(file)) return [];
  const rows: Row[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (!text || text.startsWith('#') || (header && i === 0)) return;
      const [arn, kind, source] = text.replace(/\r$/, '').split('\t');
      rows.push({ line: i + 1, arn, kind: kind as ArnKind, source });
    });
  return rows;
}

const rows = readRows(TSV, true);
/** The rows nonconforming.txt lists: redacted, templated, wildcard and genuinely wrong ARNs. */
const nonconforming = new Set(readRows(NONCONFORMING, false).map((r) => r.arn));

const label = (r: Row) => `line ${r.line} ${JSON.stringify(r.arn)} (${r.kind})`;
const codes = (fs: readonly ArnFinding[]) => fs.map((f) => f.code);
const errors = (fs: readonly ArnFinding[]) => fs.filter((f) => f.severity === 'error');

// ---------------------------------------------------------------------------
// Classification.
//
// Decision: the kind is the ARN's *shape* — service and resource type, the
// number of segments for `root` — and nothing else. A redacted or placeholder
// account (`XXXXX`, `***`, `<MY_ACCOUNT>`, `"my account number"`,
// `ACCOUNTID`, `None`), a template (`${AWS::AccountId}`, `%s`), a short
// account (`1234`), an unsupported partition (`aws-us-gov`), white space or a
// policy wildcard (`*`) does not change what kind of identity the ARN names;
// each of those is a *lint* finding (`arn/invalid-account`,
// `arn/unsupported-partition`, `arn/whitespace`, the wildcard rules), and hover
// must still say "an assumed role" for `arn:aws:sts::XXXXX:assumed-role/r/s`.
// So the nonconforming rows are compared with the column like any other, and
// every one of them must fall under one of the reasons below (a new kind of
// nonconformity in the corpus needs a decision here).
//
// Rows excepted from the comparison, with the kind parseArn must give instead
// and why. None: after reviewing all 318 rows, the column is right for every
// one, and none is too malformed to classify by shape (the worst,
// `arn:aws:iam::123456789:my-migration-worker-arn` and `arn:aws:iam::*:*`, are
// `other` by shape, as the column says).
const KIND_EXCEPTIONS: ReadonlyMap<string, { kind: ArnKind; why: string }> = new Map([]);

/** Why a nonconforming row still classifies by shape; [] when none of the documented reasons applies. */
function nonconformities(arn: string): string[] {
  const p = parseArn(arn);
  const why: string[] = [];
  const account = p.account?.text ?? '';
  if (/\$\{|%s/.test(arn)) why.push('templated: an interpolation stands for an unknown value, the literal parts give the shape');
  if (arn.includes('*')) why.push('policy wildcard: a pattern of the kind it would match');
  if (/\s/.test(arn)) why.push('white space: arn/whitespace, the shape is still there');
  const placeholder = !p.account?.templated && account !== '%s' && (/[A-Za-z<>"]/.test(account) || /^\*{2,}$/.test(account));
  if (placeholder) why.push('redacted or placeholder account: arn/invalid-account, not another kind');
  if (/^\d+$/.test(account) && account.length !== 12) why.push('account of the wrong length: arn/invalid-account');
  if (p.partition && p.partition.text !== 'aws') why.push('unsupported partition: arn/unsupported-partition');
  if (p.kind === 'other') why.push('not a caller identity (a policy, group, MFA device, made-up resource): other');
  return why;
}

describe('ARN corpus: classification', { skip }, () => {
  test('the corpus reads: 318 rows, known kinds, no duplicate ARNs, nonconforming.txt rows all in it', () => {
    assert.ok(rows.length >= 318, `${rows.length} rows`);
    for (const r of rows) assert.ok(KINDS.includes(r.kind), `unknown kind in ${label(r)}`);
    assert.equal(new Set(rows.map((r) => r.arn)).size, rows.length, 'duplicate ARNs');
    const all = new Map(rows.map((r) => [r.arn, r.kind]));
    for (const r of readRows(NONCONFORMING, false)) assert.equal(all.get(r.arn), r.kind, `nonconforming.txt line ${r.line} ${JSON.stringify(r.arn)} is not in real-arns.tsv with kind ${r.kind}`);
  });

  test('parseArn(arn).kind is the `kind` column for every row (exceptions listed above)', () => {
    const wrong: string[] = [];
    for (const r of rows) {
      const expected = KIND_EXCEPTIONS.get(r.arn)?.kind ?? r.kind;
      const got = parseArn(r.arn).kind;
      if (got !== expected) wrong.push(`${label(r)}: parsed as ${got}`);
    }
    assert.deepEqual(wrong, []);
    for (const arn of KIND_EXCEPTIONS.keys()) assert.ok(rows.some((r) => r.arn === arn), `stale exception ${arn}`);
  });

  test('every nonconforming row classifies by shape for a documented reason', (t) => {
    const reasons = new Map<string, number>();
    for (const r of rows) if (nonconforming.has(r.arn)) for (const why of nonconformities(r.arn)) reasons.set(why, (reasons.get(why) ?? 0) + 1);
    t.diagnostic(`${nonconforming.size} nonconforming rows: ${[...reasons].map(([why, n]) => `${n} ${why.split(':')[0]}`).join(', ')}`);
    const undecided = rows.filter((r) => nonconforming.has(r.arn) && !KIND_EXCEPTIONS.has(r.arn) && nonconformities(r.arn).length === 0).map(label);
    assert.deepEqual(undecided, [], 'nonconforming rows with no documented reason: decide about them in this file');
    // And the ones the brief named, pinned: a redaction does not change the kind.
    assert.equal(parseArn('arn:aws:sts::XXXXX:assumed-role/rundeck/i-12345678').kind, 'assumed-role');
    assert.equal(parseArn('arn:aws:sts::***:assumed-role/github-runner-runner-dev/i-****').kind, 'assumed-role');
    assert.equal(parseArn('arn:aws:sts::"my account number":assumed-role/SecurityMonkeyInstanceProfile/i-e68888').kind, 'assumed-role');
    assert.equal(parseArn('arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/aws-reserved/sso.amazonaws.com/${data.aws_region.current.region}/AWSReservedSSO_AdministratorAccess_*').kind, 'iam-role');
    assert.equal(parseArn('arn:aws:iam::123456789012:user/${aws:username}').kind, 'iam-user', 'the `:` inside `${aws:username}` splits no field');
  });

  test('the rows nonconforming.txt does not list are strict: 12-digit account, a known partition, no white space', () => {
    const strict = rows.filter((r) => !nonconforming.has(r.arn));
    assert.equal(strict.length + nonconforming.size, rows.length);
    for (const r of strict) {
      const p = parseArn(r.arn);
      assert.match(p.account!.text, /^\d{12}$/, label(r));
      assert.ok(['aws', 'aws-cn', 'aws-us-gov'].includes(p.partition!.text), label(r));
      assert.ok(!/\s/.test(r.arn), label(r));
      const c = codes(lintArnPattern(r.arn));
      assert.ok(!c.includes('arn/invalid-account') && !c.includes('arn/whitespace') && !c.includes('arn/not-an-arn'), `${label(r)}: ${c}`);
      assert.equal(c.includes('arn/unsupported-partition'), p.partition!.text !== 'aws', `${label(r)}: ${c}`);
    }
  });

  test('the parts of a parsed row lie inside the string and spell it', () => {
    for (const r of rows) {
      const p = parseArn(r.arn);
      assert.ok(p.isArn, label(r));
      const parts = [p.partition, p.service, p.region, p.account, p.resource, ...p.segments, p.roleName, p.session, p.userName, ...p.path];
      for (const part of parts) {
        if (!part) continue;
        assert.ok(part.start >= 0 && part.start <= part.end && part.end <= r.arn.length, `${label(r)}: part ${JSON.stringify(part)}`);
        assert.equal(r.arn.slice(part.start, part.end), part.text, label(r));
      }
      assert.equal(`arn:${p.partition!.text}:${p.service!.text}:${p.region!.text}:${p.account!.text}:${p.resource!.text}`, r.arn, label(r));
    }
  });
});

// ---------------------------------------------------------------------------
// Lint.

/** Findings are well-formed: known code, valid severity, message, offsets inside the string, fix a string. */
function assertWellFormed(findings: readonly ArnFinding[], text: string, what: string): void {
  for (const f of findings) {
    const where = `${what}: ${f.code} [${f.start}, ${f.end})`;
    assert.ok(isKnownCode(f.code) && f.code.startsWith('arn/'), `unknown code ${where}`);
    assert.ok(f.severity === 'error' || f.severity === 'warning' || f.severity === 'info', `bad severity ${where}`);
    assert.ok(typeof f.message === 'string' && f.message.trim().length > 0, `empty message ${where}`);
    assert.ok(Number.isInteger(f.start) && Number.isInteger(f.end) && f.start >= 0 && f.start < f.end && f.end <= text.length, `offsets outside the string ${where}`);
    if (f.fix) assert.ok(typeof f.fix.replacement === 'string' && f.fix.title.trim().length > 0, `bad fix ${where}`);
  }
}

interface Shape {
  acct12: boolean;
  acctTemplated: boolean;
  acctStar: boolean;
  aws: boolean;
  white: boolean;
  /** A `*` outside interpolations. */
  star: boolean;
  /** The only `*` is a trailing `/*`. */
  trailingStarOnly: boolean;
}

function shape(arn: string): Shape {
  const p = parseArn(arn);
  const bare = arn.replace(/\$\{[^}]*\}/g, '');
  const stars = bare.split('*').length - 1;
  return {
    acct12: /^\d{12}$/.test(p.account?.text ?? ''),
    acctTemplated: !!p.account?.templated,
    acctStar: !!p.account?.text.includes('*'),
    aws: p.partition?.text === 'aws',
    white: /\s/.test(arn),
    star: stars > 0,
    trailingStarOnly: stars === 1 && arn.endsWith('/*'),
  };
}

const results = rows.map((r) => ({ row: r, findings: lintArnPattern(r.arn) }));
const ofKind = (kind: ArnKind) => results.filter((x) => x.row.kind === kind);

describe('ARN corpus: lint', { skip }, () => {
  test('lintArnPattern and describeArn never throw; findings are well-formed; hover names the kind', () => {
    for (const r of rows) {
      assertWellFormed(lintArnPattern(r.arn), r.arn, label(r));
      const hover = describeArn(r.arn);
      assert.ok(hover.includes(KIND_LABELS[parseArn(r.arn).kind]), `${label(r)}: hover does not name the kind:\n${hover}`);
    }
  });

  test('one mistake, one finding: no code twice on a row', () => {
    for (const { row, findings } of results) assert.equal(new Set(codes(findings)).size, findings.length, `${label(row)}: ${codes(findings)}`);
  });

  test('white space, a foreign partition and a bad account are reported wherever they occur', () => {
    for (const { row, findings } of results) {
      const s = shape(row.arn);
      const c = codes(findings);
      if (s.white) {
        assert.ok(c.includes('arn/whitespace'), `${label(row)}: ${c}`);
        continue; // white space inside: the pattern is not judged further
      }
      const p = parseArn(row.arn);
      if (!s.aws && !p.partition!.templated) assert.ok(c.includes('arn/unsupported-partition'), `${label(row)}: ${c}`);
      if (row.kind !== 'other' && !s.acct12 && !s.acctTemplated && !s.acctStar) assert.ok(c.includes('arn/invalid-account'), `${label(row)}: ${c}`);
      if (s.acct12 || s.acctTemplated) assert.ok(!c.includes('arn/invalid-account'), `${label(row)}: ${c}`);
    }
  });

  test('iam-role: always arn/iam-role-arn (never also wrong-service or a role-name wildcard rule); its fix lints clean and matches the sessions', () => {
    const all = ofKind('iam-role');
    assert.ok(all.length >= 100);
    let fixed = 0;
    for (const { row, findings } of all) {
      const c = codes(findings);
      const f = findings.find((x) => x.code === 'arn/iam-role-arn');
      assert.ok(f && f.severity === 'error', `${label(row)}: ${c}`);
      assert.ok(!c.includes('arn/wrong-service') && !c.includes('arn/partial-wildcard') && !c.includes('arn/missing-session'), `${label(row)}: ${c}`);
      const p = parseArn(row.arn);
      const role = p.roleName!.text;
      if (role.includes('*') || p.account!.text.includes('*')) {
        assert.equal(f.fix, undefined, `${label(row)}: a wildcard role has no assumed-role equivalent to offer`);
        continue;
      }
      assert.ok(f.fix, `${label(row)}: no fix`);
      fixed++;
      const replacement = f.fix.replacement;
      assert.equal(replacement, `arn:${p.partition!.text}:sts::${p.account!.text}:assumed-role/${role}/*`, label(row));
      const q = parseArn(replacement);
      assert.ok(q.kind === 'assumed-role' || q.kind === 'sso-assumed-role', `${label(row)}: fix ${replacement} is ${q.kind}`);
      const after = lintArnPattern(replacement);
      assertWellFormed(after, replacement, `fix of ${label(row)}`);
      assert.ok(!codes(after).includes('arn/iam-role-arn'), `${label(row)}: fix ${replacement}: ${codes(after)}`);
      const s = shape(row.arn);
      if ((s.acct12 || s.acctTemplated) && s.aws) assert.deepEqual(codes(after), [], `${label(row)}: fix ${replacement} does not lint clean`);
      assert.ok(matches(replacement, replacement.slice(0, -1) + 'botocore-session-1700000000'), `${label(row)}: fix matches no session`);
    }
    assert.ok(fixed >= 90, `${fixed} fixes`);
  });

  test('root: always arn/root (error), and nothing else for a well-formed account', () => {
    const all = ofKind('root');
    assert.ok(all.length >= 15);
    for (const { row, findings } of all) {
      const c = codes(findings);
      assert.ok(findings.some((f) => f.code === 'arn/root' && f.severity === 'error'), `${label(row)}: ${c}`);
      const s = shape(row.arn);
      if (s.acct12 && s.aws) assert.deepEqual(c, ['arn/root'], label(row));
    }
  });

  test('iam-user: always arn/iam-user (a warning: it works); nothing else when well-formed without a wildcard', () => {
    const all = ofKind('iam-user');
    assert.ok(all.length >= 50);
    for (const { row, findings } of all) {
      const c = codes(findings);
      assert.ok(findings.some((f) => f.code === 'arn/iam-user' && f.severity === 'warning'), `${label(row)}: ${c}`);
      const s = shape(row.arn);
      if (s.acct12 && s.aws && !s.star) assert.deepEqual(c, ['arn/iam-user'], label(row));
      if (s.star) assert.ok(errors(findings).length > 0, `${label(row)}: a wildcard user pattern must be an error: ${c}`);
    }
  });

  test('assumed-role and sso-assumed-role: real ARNs with a 12-digit (or interpolated) account lint clean; without a session, only arn/missing-session, whose fix lints clean', () => {
    const all = [...ofKind('assumed-role'), ...ofKind('sso-assumed-role')];
    assert.ok(all.length >= 55);
    let clean = 0;
    for (const { row, findings } of all) {
      const c = codes(findings);
      const s = shape(row.arn);
      const p = parseArn(row.arn);
      if (!((s.acct12 || s.acctTemplated) && s.aws && !s.white && (!s.star || s.trailingStarOnly))) {
        assert.ok(errors(findings).length > 0, `${label(row)}: a malformed assumed-role ARN lints without an error: ${c}`);
        continue;
      }
      if (p.session) {
        assert.deepEqual(c, [], label(row));
        clean++;
      } else {
        assert.deepEqual(c, ['arn/missing-session'], label(row));
        const fix = findings[0].fix;
        assert.ok(fix, `${label(row)}: no fix`);
        assert.equal(fix.replacement, row.arn + '/*');
        assert.deepEqual(codes(lintArnPattern(fix.replacement)), [], `${label(row)}: fix ${fix.replacement}`);
      }
    }
    assert.ok(clean >= 40, `${clean} clean`);
  });

  test('federated-user: accepted (no finding) when well-formed; a wildcard in the name is an error', () => {
    const all = ofKind('federated-user');
    assert.ok(all.length >= 5);
    for (const { row, findings } of all) {
      const s = shape(row.arn);
      if (s.acct12 && s.aws && !s.star) assert.deepEqual(codes(findings), [], label(row));
      else assert.ok(errors(findings).length > 0, `${label(row)}: ${codes(findings)}`);
    }
  });

  test('other: never lints clean, and never gets a caller-kind rule', () => {
    const all = ofKind('other');
    assert.ok(all.length >= 40);
    for (const { row, findings } of all) {
      const c = codes(findings);
      assert.ok(errors(findings).length > 0, `${label(row)}: ${c}`);
      for (const code of ['arn/iam-role-arn', 'arn/iam-user', 'arn/root', 'arn/missing-session', 'arn/invalid-account']) assert.ok(!c.includes(code), `${label(row)}: ${c}`);
      // Plain (no wildcard) non-identities are named as such.
      if (!shape(row.arn).star) assert.ok(c.includes('arn/wrong-service'), `${label(row)}: ${c}`);
    }
  });

  test('every fix on the corpus rewrites the whole pattern and does not repeat its own mistake', () => {
    for (const { row, findings } of results) {
      for (const f of findings) {
        if (!f.fix) continue;
        const after = lintArnPattern(f.fix.replacement);
        assertWellFormed(after, f.fix.replacement, `fix ${f.code} of ${label(row)}`);
        assert.ok(!codes(after).includes(f.code), `${label(row)}: the ${f.code} fix gives ${JSON.stringify(f.fix.replacement)}, which still gets ${f.code}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------
// Matching and overlaps across the corpus.

describe('ARN corpus: matching', { skip }, () => {
  test("an IAM role's fix matches the corpus' own sessions of that role (same account and name)", () => {
    let pairs = 0;
    const sessions = [...ofKind('assumed-role'), ...ofKind('sso-assumed-role')].map((x) => ({ row: x.row, p: parseArn(x.row.arn) })).filter((x) => x.p.session && !x.row.arn.includes('*'));
    for (const { row, findings } of ofKind('iam-role')) {
      const fix = findings.find((f) => f.code === 'arn/iam-role-arn')?.fix;
      if (!fix) continue;
      const role = parseArn(row.arn);
      for (const s of sessions) {
        if (s.p.account!.text !== role.account!.text || s.p.partition!.text !== role.partition!.text) continue;
        const same = s.p.roleName!.text === role.roleName!.text;
        assert.equal(matches(fix.replacement, s.row.arn), same, `${fix.replacement} vs ${label(s.row)}`);
        if (same) pairs++;
      }
    }
    // bastion-ap-south-1, examplerole, Developer_Role, EC2-dev, admin-tempcreds, … appear as both.
    assert.ok(pairs >= 10, `${pairs} role/session pairs`);
  });

  test('an exact ARN matches itself and no other row', () => {
    for (const r of rows) {
      if (r.arn.endsWith('/*')) continue;
      assert.ok(matches(r.arn, r.arn), label(r));
      for (const other of rows) if (other !== r) assert.equal(matches(r.arn, other.arn), false, `${label(r)} matches ${label(other)}`);
    }
  });

  test('findOverlaps over the whole corpus (and the corpus with every session widened to `/*`) agrees with the pairwise overlaps', () => {
    const widened = rows.map((r) => r.arn.replace(/^(arn:[^:]*:sts::[^:]*:assumed-role\/[^/]+\/)[^/]+$/, '$1*'));
    for (const patterns of [rows.map((r) => r.arn), widened, [...rows.map((r) => r.arn), ...widened]]) {
      checkFindOverlaps(patterns, 'corpus');
    }
  });
});
