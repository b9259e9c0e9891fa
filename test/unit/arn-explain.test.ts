// "Why can't I log in?": explainLogin, a pure function from a caller ARN and
// the listed mappings to the mapping that matches, or the closest near miss
// and why, plus the pattern to create. One test a near-miss kind, then
// properties: a match is always the engine's `matches`; a near miss never
// matches; the suggested pattern always matches the caller.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { callerArnProblem, explainLogin, lintArnPattern, matches, type ExplainableMapping } from '../../server/src/service/arn';
import { globMatches } from '../../server/src/service/arn/explain';

const RUNS = Number(process.env.DD_WIF_PROPERTY_RUNS) > 0 ? Number(process.env.DD_WIF_PROPERTY_RUNS) : 500;

const A = '111122223333';
const B = '444455556666';
const caller = `arn:aws:sts::${A}:assumed-role/deploy/i-0123456789abcdef0`;
const suggested = `arn:aws:sts::${A}:assumed-role/deploy/*`;
const m = (arnPattern: string, id = 'm1', kind?: string): ExplainableMapping => ({ arnPattern, id, kind });

describe('explainLogin: a match', () => {
  test('the wildcard mapping of the role matches; no near misses', () => {
    const e = explainLogin(caller, [m(`arn:aws:sts::${B}:assumed-role/deploy/*`, 'x'), m(suggested, 'good')]);
    assert.deepEqual(e.matched.map((x) => x.mapping.id), ['good']);
    assert.equal(e.matched[0].index, 1);
    assert.equal(e.closest, undefined);
    assert.deepEqual(e.nearMisses, []);
    assert.equal(e.suggestedPattern, suggested);
    assert.match(e.summary, /`good`.*matches/);
    assert.match(e.summary, /several minutes/);
  });

  test('an exact mapping of the session matches too', () => {
    assert.equal(explainLogin(caller, [m(caller)]).matched.length, 1);
  });

  test('two matching mappings are both reported', () => {
    const e = explainLogin(caller, [m(suggested, 'a'), m(caller, 'b')]);
    assert.deepEqual(e.matched.map((x) => x.mapping.id), ['a', 'b']);
    assert.match(e.summary, /2 mappings match/);
  });

  test('the caller ARN is trimmed (as `--output text` prints it)', () => {
    const e = explainLogin(`  ${caller}\n`, [m(suggested)]);
    assert.equal(e.callerArn, caller);
    assert.equal(e.matched.length, 1);
  });

  test('an IAM user caller: the exact user ARN', () => {
    const user = `arn:aws:iam::${A}:user/ci/robot`;
    const e = explainLogin(user, [m(user)]);
    assert.equal(e.matched.length, 1);
    assert.equal(e.suggestedPattern, user);
  });

  test('extra properties of the mappings are carried through', () => {
    const e = explainLogin(caller, [{ arnPattern: suggested, id: 'z', accountIdentifier: 'me@example.com' }]);
    assert.equal(e.matched[0].mapping.accountIdentifier, 'me@example.com');
  });
});

describe('explainLogin: none matches, which comes closest', () => {
  const closest = (mappings: ExplainableMapping[], arn = caller, kind?: string) => {
    const e = explainLogin(arn, mappings, { kind });
    assert.equal(e.matched.length, 0, 'nothing matches');
    assert.ok(e.closest, 'a closest mapping');
    return e;
  };

  test('the IAM role ARN where the assumed-role ARN was needed', () => {
    const e = closest([m(`arn:aws:iam::${A}:role/service/deploy`)]);
    assert.equal(e.closest!.reason, 'iam-role-arn');
    assert.equal(e.closest!.replaceWith, suggested);
    assert.match(e.closest!.message, /IAM role ARN/);
    assert.match(e.summary, /delete that mapping and create it again with `arn:aws:sts::111122223333:assumed-role\/deploy\/\*`/);
  });

  test('the same role in another account', () => {
    const e = closest([m(`arn:aws:sts::${B}:assumed-role/deploy/*`)]);
    assert.equal(e.closest!.reason, 'other-account');
    assert.equal(e.closest!.replaceWith, undefined, 'the other account\'s mapping is not to be replaced');
    assert.match(e.closest!.message, new RegExp(`account \`${B}\`.*account \`${A}\``));
    assert.match(e.summary, /Create a mapping with `arn:aws:sts::111122223333:assumed-role\/deploy\/\*`/);
  });

  test('another role in the same account; the most similar name wins', () => {
    const e = closest([m(`arn:aws:sts::${A}:assumed-role/admin/*`, 'far'), m(`arn:aws:sts::${A}:assumed-role/deploy-prod/*`, 'near')]);
    assert.equal(e.closest!.reason, 'other-role');
    assert.equal(e.closest!.mapping.id, 'near');
    assert.deepEqual(e.nearMisses.map((n) => n.mapping.id), ['near', 'far']);
    assert.match(e.closest!.message, /another role \(`deploy-prod`\)/);
  });

  test('no session part', () => {
    const e = closest([m(`arn:aws:sts::${A}:assumed-role/deploy`)]);
    assert.equal(e.closest!.reason, 'missing-session');
    assert.equal(e.closest!.replaceWith, suggested);
  });

  test('another exact session of the role', () => {
    const e = closest([m(`arn:aws:sts::${A}:assumed-role/deploy/laptop-session`)]);
    assert.equal(e.closest!.reason, 'other-session');
    assert.match(e.closest!.message, /`laptop-session`.*`i-0123456789abcdef0`/);
  });

  test('another exact session, for an IAM role (any of its sessions): no placeholder session is quoted as the caller’s', () => {
    const e = explainLogin(`arn:aws:iam::${A}:role/deploy`, [m(`arn:aws:sts::${A}:assumed-role/deploy/laptop-session`)]);
    assert.equal(e.closest!.reason, 'other-session');
    assert.doesNotMatch(e.closest!.message, /session-name/);
    assert.match(e.closest!.message, /`laptop-session`.*`\/\*` for any session/);
  });

  test('a region in the pattern', () => {
    const e = closest([m(`arn:aws:sts:us-east-1:${A}:assumed-role/deploy/*`)]);
    assert.equal(e.closest!.reason, 'region');
  });

  test('a role path inside the assumed-role ARN', () => {
    const e = closest([m(`arn:aws:sts::${A}:assumed-role/service/deploy/*`)]);
    assert.equal(e.closest!.reason, 'role-path');
  });

  test('letter case', () => {
    const e = closest([m(`arn:aws:sts::${A}:assumed-role/Deploy/*`)]);
    assert.equal(e.closest!.reason, 'case');
  });

  test('white space around the pattern', () => {
    const e = closest([m(` ${suggested}`)]);
    assert.equal(e.closest!.reason, 'whitespace');
  });

  test('a wildcard that is no wildcard there', () => {
    const e = closest([m(`arn:aws:sts::${A}:assumed-role/dep*/*`)]);
    assert.equal(e.closest!.reason, 'unsupported-wildcard');
    const e2 = closest([m(`arn:aws:sts::*:assumed-role/deploy/*`)]);
    assert.equal(e2.closest!.reason, 'unsupported-wildcard');
  });

  test('the same SSO permission set with another role suffix', () => {
    const sso = `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/jane@example.com`;
    const e = closest([m(`arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Admin_fedcba9876543210/*`)], sso);
    assert.equal(e.closest!.reason, 'sso-permission-set');
    assert.equal(e.closest!.replaceWith, `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/*`);
  });

  test('an IAM user with another path', () => {
    const e = closest([m(`arn:aws:iam::${A}:user/robot`)], `arn:aws:iam::${A}:user/ci/robot`);
    assert.equal(e.closest!.reason, 'user-path');
  });

  test('a mapping of the other kind matches', () => {
    const e = closest([m(suggested, 'intake-1', 'intake'), m(`arn:aws:sts::${B}:assumed-role/deploy/*`, 'id-1', 'identity')], caller, 'identity');
    assert.equal(e.closest!.reason, 'other-kind');
    assert.equal(e.closest!.mapping.id, 'intake-1');
    assert.match(e.closest!.message, /intake mapping.*needs an identity mapping/);
    assert.deepEqual(e.nearMisses.map((n) => n.reason), ['other-kind', 'other-account']);
  });

  test('the more telling reason wins over list order', () => {
    const e = closest([m(`arn:aws:sts::${A}:assumed-role/admin/*`, 'role'), m(`arn:aws:sts::${B}:assumed-role/deploy/*`, 'acct'), m(`arn:aws:iam::${A}:role/deploy`, 'iam')]);
    assert.deepEqual(e.nearMisses.map((n) => n.mapping.id), ['iam', 'acct', 'role']);
  });
});

describe('explainLogin: nothing close, or no caller', () => {
  test('no mappings at all', () => {
    const e = explainLogin(caller, [], { kind: 'identity' });
    assert.equal(e.closest, undefined);
    assert.match(e.summary, /no identity mappings/);
    assert.match(e.summary, /Create an identity mapping with `arn:aws:sts::111122223333:assumed-role\/deploy\/\*`/);
  });

  test('unrelated mappings only', () => {
    const e = explainLogin(caller, [m(`arn:aws:sts::${B}:assumed-role/other/*`)]);
    assert.equal(e.closest, undefined);
    assert.deepEqual(e.nearMisses, []);
    assert.match(e.summary, /none comes close/);
  });

  test('the IAM role ARN given as the caller is read as a session of it', () => {
    const e = explainLogin(`arn:aws:iam::${A}:role/deploy`, [m(suggested)]);
    assert.equal(e.matched.length, 1);
    assert.match(e.callerNote!, /IAM role, not a caller/);
    assert.equal(e.suggestedPattern, suggested);
  });

  test('the root cannot be mapped', () => {
    const e = explainLogin(`arn:aws:iam::${A}:root`, [m(`arn:aws:iam::${A}:root`)]);
    assert.deepEqual(e.matched, []);
    assert.match(e.callerProblem!, /root/);
    assert.equal(e.suggestedPattern, undefined);
  });

  test('a pattern, white space or a short account is no caller: a problem, and callerArnProblem says so (the root is a caller)', () => {
    for (const [arn, words] of [
      [suggested, /is a pattern/],
      [`arn:aws:sts::${A}:assumed-role/deploy/a b`, /white space/],
      ['arn:aws:sts::1234:assumed-role/deploy/s1', /exactly 12 digits/],
      ['arn:aws:s3:::bucket', /not a caller identity/],
    ] as const) {
      assert.match(explainLogin(arn, [m(suggested)]).callerProblem!, words, arn);
      assert.match(callerArnProblem(arn)!, words, arn);
    }
    assert.equal(callerArnProblem(` ${caller}\n`), undefined);
    assert.equal(callerArnProblem(`arn:aws:iam::${A}:role/deploy`), undefined);
    assert.equal(callerArnProblem(`arn:aws:iam::${A}:root`), undefined);
  });

  test('not an ARN', () => {
    const e = explainLogin('deploy', [m(suggested)]);
    assert.equal(e.callerKind, 'not-an-arn');
    assert.match(e.callerProblem!, /not an ARN/);
  });
});

describe('explainLogin: properties', () => {
  const accounts = fc.constantFrom(A, B);
  const names = fc.constantFrom('deploy', 'Deploy', 'admin', 'deploy-prod', 'AWSReservedSSO_Admin_0123456789abcdef', 'AWSReservedSSO_Admin_fedcba9876543210');
  const sessions = fc.constantFrom('i-0123456789abcdef0', 'laptop', 'jane@example.com');
  const callerArb = fc.tuple(accounts, names, sessions).map(([a, r, s]) => `arn:aws:sts::${a}:assumed-role/${r}/${s}`);
  const patternArb = fc.oneof(
    fc.tuple(accounts, names, fc.oneof(sessions, fc.constant('*'))).map(([a, r, s]) => `arn:aws:sts::${a}:assumed-role/${r}/${s}`),
    fc.tuple(accounts, names).map(([a, r]) => `arn:aws:iam::${a}:role/${r}`),
    fc.tuple(accounts, names).map(([a, r]) => `arn:aws:sts::${a}:assumed-role/${r}`),
    fc.tuple(accounts, names).map(([a, r]) => `arn:aws:sts:eu-west-1:${a}:assumed-role/${r}/*`),
  );

  test('matched is exactly the engine matcher; near misses never match; the suggestion matches and lints clean', () => {
    fc.assert(
      fc.property(callerArb, fc.array(patternArb, { maxLength: 6 }), (arn, patterns) => {
        const e = explainLogin(arn, patterns.map((p, i) => m(p, `m${i}`)));
        assert.deepEqual(e.matched.map((x) => x.index), patterns.flatMap((p, i) => (matches(p, arn) ? [i] : [])));
        for (const n of e.nearMisses) assert.equal(matches(n.mapping.arnPattern, arn), false);
        if (e.matched.length) assert.equal(e.closest, undefined);
        else assert.equal(e.closest, e.nearMisses[0]);
        assert.ok(e.suggestedPattern && matches(e.suggestedPattern, arn));
        assert.deepEqual(lintArnPattern(e.suggestedPattern).filter((f) => f.severity === 'error'), []);
        for (const n of e.nearMisses) if (n.replaceWith) assert.ok(matches(n.replaceWith, arn));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('explainLogin: linear on stars', () => {
  // The `unsupported-wildcard` check reads a pattern as a glob. A backtracking regular expression takes
  // exponential time on `a*a*…a*b` against `aaa…a`: these would not finish (8 stars took 34 s).
  const stars = (n: number, last: string) => `${'a*'.repeat(n)}${last}`;
  const session = 'a'.repeat(64);
  const starCaller = `arn:aws:sts::${A}:assumed-role/deploy/${session}`;

  test('30 stars that cannot match a 64-character session: answered, nothing close', () => {
    const e = explainLogin(starCaller, [m(`arn:aws:sts::${A}:assumed-role/deploy/${stars(30, 'b')}`)]);
    assert.deepEqual(e.matched, []);
    assert.deepEqual(e.nearMisses, []);
  });

  test('30 stars that a glob would match: an unsupported wildcard', () => {
    const e = explainLogin(starCaller, [m(`arn:aws:sts::${A}:assumed-role/deploy/${stars(30, 'a')}`)]);
    assert.equal(e.closest?.reason, 'unsupported-wildcard');
  });

  test('1,000 mappings of 60 stars each, none matching: answered', () => {
    const mappings = Array.from({ length: 1_000 }, (_, i) => m(`arn:aws:sts::${A}:assumed-role/deploy/${stars(60, 'b')}`, `m${i}`));
    const e = explainLogin(starCaller, mappings);
    assert.equal(e.nearMisses.length, 0);
    assert.match(e.summary, /none comes close/);
  });

  test('globMatches agrees with a regular expression (`*` = any run but `/` and `:`) on small inputs', () => {
    const reference = (pattern: string, arn: string) => new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/:]*')}$`).test(arn);
    const text = (chars: string) => fc.string({ unit: fc.constantFrom(...chars.split('')), maxLength: 10 });
    fc.assert(
      fc.property(text('ab*/:.'), text('ab/:.'), (pattern, arn) => {
        assert.equal(globMatches(pattern, arn), reference(pattern, arn), `${pattern} / ${arn}`);
      }),
      { numRuns: RUNS * 4 },
    );
  });
});
