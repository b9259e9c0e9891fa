// The ARN parser: every part with its exact offsets, for each kind of ARN,
// interpolations kept whole (and marked templated), and inputs that are not ARNs.
// Offsets are written into the pattern with «…» markers (one line: the
// range's `character`s are the offsets).

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseArn, type ArnPart, type ParsedArn } from '../../server/src/service/arn';
import { marked } from '../helpers/markers';

/** The «» spans of a one-line pattern, as [start, end) offsets, and the text without markers. */
function spans(source: string): { text: string; at: [number, number][] } {
  const m = marked(source);
  return { text: m.text, at: m.ranges.map((r) => [r.start.character, r.end.character]) };
}

/** A part as [text, start, end, templated]. */
const view = (p: ArnPart | undefined) => (p ? [p.text, p.start, p.end, p.templated] : undefined);

/** The expected parts of `text` at `at`, in the same shape as `view`. */
function expected(text: string, at: [number, number][], templated: boolean[] = []): unknown[] {
  return at.map(([s, e], i) => [text.slice(s, e), s, e, templated[i] ?? false]);
}

/** Parses the marked pattern; checks the five fields (partition, service, region, account, resource) against its five «» ranges. */
function fields(source: string, templated: boolean[] = []): ParsedArn {
  const { text, at } = spans(source);
  assert.equal(at.length, 5, 'mark the five fields');
  const p = parseArn(text);
  assert.equal(p.isArn, true);
  assert.equal(p.source, text);
  assert.deepEqual([p.partition, p.service, p.region, p.account, p.resource].map(view), expected(text, at, templated));
  return p;
}

/** Checks the resource segments against the «» ranges of `source` (the same pattern, marked differently). */
function segments(p: ParsedArn, source: string, templated: boolean[] = []): [number, number][] {
  const { text, at } = spans(source);
  assert.equal(text, p.source);
  assert.deepEqual(p.segments.map(view), expected(text, at, templated));
  return at;
}

describe('parseArn: assumed roles', () => {
  test('an assumed-role ARN: every field, every segment, role and session', () => {
    const p = fields('arn:«aws»:«sts»:«»:«123456789012»:«assumed-role/my-role/i-0123456789abcdef0»');
    const at = segments(p, 'arn:aws:sts::123456789012:«assumed-role»/«my-role»/«i-0123456789abcdef0»');
    assert.equal(p.kind, 'assumed-role');
    assert.equal(p.resourceType, 'assumed-role');
    assert.deepEqual(view(p.roleName), ['my-role', ...at[1], false]);
    assert.deepEqual(view(p.session), ['i-0123456789abcdef0', ...at[2], false]);
    assert.deepEqual(p.path, []);
    assert.equal(p.userName, undefined);
  });

  test('the empty region is an empty part at its place, between the two colons', () => {
    const p = parseArn('arn:aws:sts::123456789012:assumed-role/r/s');
    assert.deepEqual(view(p.region), ['', 12, 12, false]);
  });

  test('a pattern: the session is `*`', () => {
    const p = fields('arn:«aws»:«sts»:«»:«123456789012»:«assumed-role/my-role/*»');
    segments(p, 'arn:aws:sts::123456789012:«assumed-role»/«my-role»/«*»');
    assert.equal(p.kind, 'assumed-role');
    assert.deepEqual(view(p.session), ['*', 47, 48, false]);
  });

  test('an SSO permission set (AWSReservedSSO_…) is its own kind, with the same parts', () => {
    const p = fields('arn:«aws»:«sts»:«»:«111122223333»:«assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane@example.com»');
    const at = segments(p, 'arn:aws:sts::111122223333:«assumed-role»/«AWSReservedSSO_AdministratorAccess_0123456789abcdef»/«jane@example.com»');
    assert.equal(p.kind, 'sso-assumed-role');
    assert.deepEqual(view(p.roleName), ['AWSReservedSSO_AdministratorAccess_0123456789abcdef', ...at[1], false]);
    assert.deepEqual(view(p.session), ['jane@example.com', ...at[2], false]);
  });

  test('near miss: a role merely containing AWSReservedSSO_ is an ordinary assumed role; the prefix is case-sensitive', () => {
    assert.equal(parseArn('arn:aws:sts::111122223333:assumed-role/MyAWSReservedSSO_x/s1').kind, 'assumed-role');
    assert.equal(parseArn('arn:aws:sts::111122223333:assumed-role/awsreservedsso_x/s1').kind, 'assumed-role');
  });

  test('no session: the session is undefined, the role still found', () => {
    const { text, at } = spans('arn:aws:sts::123456789012:assumed-role/«my-role»');
    const p = parseArn(text);
    assert.equal(p.kind, 'assumed-role');
    assert.deepEqual(view(p.roleName), expected(text, at)[0]);
    assert.equal(p.session, undefined);
  });

  test('no role at all: an assumed role with neither role nor session', () => {
    const p = parseArn('arn:aws:sts::123456789012:assumed-role');
    assert.equal(p.kind, 'assumed-role');
    assert.equal(p.roleName, undefined);
    assert.equal(p.session, undefined);
    assert.equal(p.segments.length, 1);
  });

  test('extra segments: the role is the first name, the session the last', () => {
    const p = parseArn('arn:aws:sts::123456789012:assumed-role/a/b/c');
    assert.equal(p.roleName?.text, 'a');
    assert.equal(p.session?.text, 'c');
    assert.equal(p.segments.length, 4);
  });

  test('a resource of more than five colons keeps its later colons', () => {
    const p = fields('arn:«aws»:«sts»:«»:«123456789012»:«assumed-role/r/a:b»');
    assert.equal(p.session?.text, 'a:b');
  });
});

describe('parseArn: IAM roles, users, root, federated users, others', () => {
  test('an IAM role without path: the name is the last segment, no path', () => {
    const p = fields('arn:«aws»:«iam»:«»:«123456789012»:«role/deploy»');
    const at = segments(p, 'arn:aws:iam::123456789012:«role»/«deploy»');
    assert.equal(p.kind, 'iam-role');
    assert.equal(p.resourceType, 'role');
    assert.deepEqual(view(p.roleName), ['deploy', ...at[1], false]);
    assert.deepEqual(p.path, []);
    assert.equal(p.session, undefined);
  });

  test('an IAM role with a path: every path segment, then the name', () => {
    const p = fields('arn:«aws»:«iam»:«»:«123456789012»:«role/service-role/team/deploy»');
    const at = segments(p, 'arn:aws:iam::123456789012:«role»/«service-role»/«team»/«deploy»');
    assert.equal(p.kind, 'iam-role');
    assert.deepEqual(p.path.map(view), [['service-role', ...at[1], false], ['team', ...at[2], false]]);
    assert.deepEqual(view(p.roleName), ['deploy', ...at[3], false]);
  });

  test('an IAM user with a path: path and user name', () => {
    const p = fields('arn:«aws»:«iam»:«»:«123456789012»:«user/division/ops/alice»');
    const at = segments(p, 'arn:aws:iam::123456789012:«user»/«division»/«ops»/«alice»');
    assert.equal(p.kind, 'iam-user');
    assert.deepEqual(p.path.map(view), [['division', ...at[1], false], ['ops', ...at[2], false]]);
    assert.deepEqual(view(p.userName), ['alice', ...at[3], false]);
    assert.equal(p.roleName, undefined);
  });

  test('an IAM user without path', () => {
    const p = parseArn('arn:aws:iam::123456789012:user/alice');
    assert.equal(p.kind, 'iam-user');
    assert.deepEqual(view(p.userName), ['alice', 31, 36, false]);
    assert.deepEqual(p.path, []);
  });

  test('the account root', () => {
    const p = fields('arn:«aws»:«iam»:«»:«123456789012»:«root»');
    segments(p, 'arn:aws:iam::123456789012:«root»');
    assert.equal(p.kind, 'root');
    assert.equal(p.resourceType, 'root');
  });

  test('near miss: `root/x` and an `sts` root are not the root', () => {
    assert.equal(parseArn('arn:aws:iam::123456789012:root/x').kind, 'other');
    assert.equal(parseArn('arn:aws:sts::123456789012:root').kind, 'other');
  });

  test('a federated user: the user name', () => {
    const p = fields('arn:«aws»:«sts»:«»:«123456789012»:«federated-user/bob»');
    const at = segments(p, 'arn:aws:sts::123456789012:«federated-user»/«bob»');
    assert.equal(p.kind, 'federated-user');
    assert.deepEqual(view(p.userName), ['bob', ...at[1], false]);
  });

  test('other resources: fields and segments, kind `other`, no names', () => {
    const bucket = fields('arn:«aws»:«s3»:«»:«»:«my-bucket/logs/*»');
    segments(bucket, 'arn:aws:s3:::«my-bucket»/«logs»/«*»');
    assert.equal(bucket.kind, 'other');
    assert.equal(bucket.roleName, undefined);
    assert.equal(bucket.userName, undefined);

    const policy = fields('arn:«aws»:«iam»:«»:«123456789012»:«policy/ReadOnly»');
    assert.equal(policy.kind, 'other');
    assert.equal(policy.resourceType, 'policy');

    const instance = fields('arn:«aws»:«ec2»:«us-east-1»:«123456789012»:«instance/i-0abc»');
    assert.equal(instance.kind, 'other');

    // The service decides: an assumed role needs `sts`, an IAM role `iam`.
    assert.equal(parseArn('arn:aws:iam::123456789012:assumed-role/r/s').kind, 'other');
    assert.equal(parseArn('arn:aws:sts::123456789012:role/r').kind, 'other');
    // A role or user with no name is no role or user.
    assert.equal(parseArn('arn:aws:iam::123456789012:role').kind, 'other');
    assert.equal(parseArn('arn:aws:iam::123456789012:user').kind, 'other');
  });

  test('a region and another partition are kept as written', () => {
    fields('arn:«aws-cn»:«sts»:«cn-north-1»:«123456789012»:«assumed-role/r/s»');
  });
});

describe('parseArn: interpolations', () => {
  test('`${AWS::AccountId}` holds colons but stays the account, marked templated', () => {
    const p = fields('arn:«aws»:«sts»:«»:«${AWS::AccountId}»:«assumed-role/r/*»', [false, false, false, true, false]);
    assert.equal(p.kind, 'assumed-role');
    assert.equal(p.roleName?.text, 'r');
  });

  test('a Terraform account and role: whole fields and segments, templated; literal neighbours untouched', () => {
    const p = fields('arn:«aws»:«sts»:«»:«${data.aws_caller_identity.current.account_id}»:«assumed-role/${var.role}/*»', [false, false, false, true, true]);
    const at = segments(p, 'arn:aws:sts::${data.aws_caller_identity.current.account_id}:«assumed-role»/«${var.role}»/«*»', [false, true, false]);
    assert.deepEqual(view(p.roleName), ['${var.role}', ...at[1], true]);
    assert.deepEqual(view(p.session), ['*', ...at[2], false]);
  });

  test('an interpolation holding `/` never splits a segment', () => {
    const p = fields('arn:«aws»:«sts»:«»:«123456789012»:«assumed-role/${split("/", var.x)[0]}/s1»', [false, false, false, false, true]);
    segments(p, 'arn:aws:sts::123456789012:«assumed-role»/«${split("/", var.x)[0]}»/«s1»', [false, true, false]);
    assert.equal(p.session?.text, 's1');
  });

  test('an interpolation among literal text: the part is templated as a whole', () => {
    const p = parseArn('arn:aws:sts::${local.prefix}0042:assumed-role/app-${var.env}/ci-${var.run}');
    assert.deepEqual(view(p.account), ['${local.prefix}0042', 13, 32, true]);
    assert.deepEqual(view(p.roleName), ['app-${var.env}', 46, 60, true]);
    assert.deepEqual(view(p.session), ['ci-${var.run}', 61, 74, true]);
  });

  test('braces nest inside an interpolation (`${ {a = "x:y/z"}["a"] }`)', () => {
    const source = 'arn:aws:sts::123456789012:assumed-role/${ {a = "x:y/z"}["a"] }/s1';
    const p = parseArn(source);
    assert.equal(p.segments.length, 3);
    assert.deepEqual(view(p.roleName), ['${ {a = "x:y/z"}["a"] }', 39, 62, true]);
    assert.equal(p.session?.text, 's1');
  });

  test('a templated field next to plain ones: only it is marked', () => {
    const p = parseArn('arn:aws:iam::${var.account}:role/path/${var.name}');
    assert.equal(p.kind, 'iam-role');
    assert.deepEqual([p.partition, p.service, p.region, p.account].map((f) => f?.templated), [false, false, false, true]);
    assert.deepEqual(p.path.map((s) => [s.text, s.templated]), [['path', false]]);
    assert.deepEqual(view(p.roleName), ['${var.name}', 38, 49, true]);
  });

  test('a `$` or a `}` alone is plain text', () => {
    const p = parseArn('arn:aws:sts::123456789012:assumed-role/a$b}/s:1');
    assert.deepEqual(p.segments.map((s) => [s.text, s.templated]), [['assumed-role', false], ['a$b}', false], ['s:1', false]]);
  });

  test('an unclosed `${` swallows the rest: too few fields, not an ARN', () => {
    assert.equal(parseArn('arn:aws:sts::${var.account:assumed-role/r/*').isArn, false);
  });
});

describe('parseArn: not an ARN', () => {
  for (const [name, source] of [
    ['empty', ''],
    ['a role name', 'my-role'],
    ['no `arn:` prefix', 'aws:sts::123456789012:assumed-role/r/s'],
    ['upper-case prefix', 'ARN:aws:sts::123456789012:assumed-role/r/s'],
    ['leading white space (the parser does not trim)', ' arn:aws:sts::123456789012:assumed-role/r/s'],
    ['five fields', 'arn:aws:sts::123456789012'],
    ['`arn:` alone', 'arn:'],
    ['an account id', '123456789012'],
  ] as const) {
    test(`${name}: isArn false, kind other, no parts`, () => {
      const p = parseArn(source);
      assert.deepEqual(p, { source, isArn: false, segments: [], path: [], kind: 'other' });
    });
  }

  test('near miss: six fields with an empty resource is an ARN', () => {
    const p = parseArn('arn:aws:sts::123456789012:');
    assert.equal(p.isArn, true);
    assert.deepEqual(view(p.resource), ['', 26, 26, false]);
    assert.equal(p.kind, 'other');
  });
});
