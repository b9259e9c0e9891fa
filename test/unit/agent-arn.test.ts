// ARN patterns inside YAML: where the arn/* findings land, how their fixes
// edit the text, which patterns are compared for overlaps, and the hover.

import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService } from '../../server/src/service';
import { applyEdits, marked, yaml } from '../helpers/markers';

const service = () => new LanguageService();
const lint = (text: string) => service().lint({ path: 'mappings.yaml', text, kind: 'agent' });

describe('arn/* on arn_pattern values in YAML', () => {
  test('a plain value: the finding underlines the part at fault', () => {
    const m = marked('mappings:\n  - arn_pattern: arn:aws:sts::«12345»:assumed-role/r/*\n');
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.range]), [['arn/invalid-account', m.ranges[0]]]);
  });

  test('a quoted value: offsets skip the quote; the fix keeps the quotes', () => {
    const m = marked(`mappings:\n  - arn_pattern: "arn:aws:sts::123456789012:assumed-role/«deploy»"\n`);
    const [f] = lint(m.text);
    assert.deepEqual([f.code, f.severity, f.range], ['arn/missing-session', 'warning', m.ranges[0]]);
    const [fix] = service().quickFixes({ path: 'mappings.yaml', text: m.text, kind: 'agent' }, f.range);
    assert.equal(applyEdits(m.text, fix.fix.edits), m.text.replace('deploy"', 'deploy/*"'));
  });

  test('the IAM role fix rewrites the whole value, dropping the role path', () => {
    const text = `intake:\n  - arn_pattern: 'arn:aws:iam::123456789012:role/service-role/x'\n`;
    const [f] = lint(text);
    assert.equal(f.code, 'arn/iam-role-arn');
    const [fix] = service().quickFixes({ path: 'm.yaml', text, kind: 'agent' }, f.range);
    assert.equal(applyEdits(text, fix.fix.edits), `intake:\n  - arn_pattern: 'arn:aws:sts::123456789012:assumed-role/x/*'\n`);
  });

  test('a value with escapes: the finding covers the whole value (offsets would not map)', () => {
    const m = marked('m:\n  arn_pattern: «"arn:aws:sts::\\u0031:assumed-role/r/*"»\n');
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.range]), [['arn/invalid-account', m.ranges[0]]]);
  });

  test('interpolations are unknown values: never reported', () => {
    assert.deepEqual(lint('m:\n  arn_pattern: arn:aws:sts::${account_id}:assumed-role/${role}/*\n'), []);
  });

  test('a key other than arn_pattern, or a non-string value, is not judged', () => {
    assert.deepEqual(lint('m:\n  role_arn: arn:aws:iam::123456789012:role/x\n  arn_pattern: 12\n'), []);
  });

  test('a suppression comment silences an arn code on its line', () => {
    assert.deepEqual(lint('m:\n  # datadog-wif-ignore arn/iam-user\n  arn_pattern: arn:aws:iam::123456789012:user/bob\n'), []);
  });
});

describe('arn/overlapping-patterns in YAML', () => {
  test('two mappings of the same list can match one caller: a warning on the second, naming the first line', () => {
    const m = marked(yaml`
      identity_mappings:
        - arn_pattern: arn:aws:sts::123456789012:assumed-role/deploy/*
        - arn_pattern: «arn:aws:sts::123456789012:assumed-role/deploy/ci»
    `);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), [['arn/overlapping-patterns', 'warning', m.ranges[0]]]);
    assert.match(found[0].message, /line 2/);
    assert.match(found[0].message, /assumed-role\/deploy\/ci/);
  });

  test('near miss: the same pattern in mappings of different kinds, or different roles', () => {
    const text = yaml`
      identity_mappings:
        - arn_pattern: arn:aws:sts::123456789012:assumed-role/deploy/*
        - arn_pattern: arn:aws:sts::123456789012:assumed-role/deployer/*
      intake_mappings:
        - arn_pattern: arn:aws:sts::123456789012:assumed-role/deploy/*
    `;
    assert.deepEqual(lint(text), []);
  });

  test('N copies of one pattern: N - 1 findings (not N(N-1)/2), each naming the first line and counting the others; past 1,000, one counts the rest', () => {
    const n = 2_000;
    const text = `identity_mappings:\n${'  - arn_pattern: arn:aws:sts::123456789012:assumed-role/deploy/*\n'.repeat(n)}`;
    const all = lint(text);
    assert.equal(all.length, 1_001);
    const last = all.pop()!;
    assert.equal(last.code, 'lint/too-many-findings');
    assert.deepEqual(last.data, { leftOut: n - 1 - 1_000, leftOutByCode: { 'arn/overlapping-patterns': n - 1 - 1_000 } });
    const found = all;
    found.forEach((f, k) => {
      assert.equal(f.code, 'arn/overlapping-patterns');
      assert.equal(f.range.start.line, k + 2);
      assert.match(f.message, /the one on line 2 \(both match `arn:aws:sts::123456789012:assumed-role\/deploy\/session`\) in `identity_mappings`, and 1998 more patterns there overlap it:/);
      // At most ten others, as related information, never the finding's own line.
      assert.equal(f.related!.length, 10);
      assert.ok(f.related!.every((r) => r.range.start.line !== f.range.start.line));
    });
  });

  test('a session and two wildcards of its role: the related information names the others', () => {
    const m = marked(yaml`
      identity_mappings:
        - arn_pattern: arn:aws:sts::123456789012:assumed-role/deploy/ci
        - arn_pattern: «arn:aws:sts::123456789012:assumed-role/deploy/*»
        - arn_pattern: «arn:aws:sts::123456789012:assumed-role/deploy/*»
    `);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => f.range), m.ranges);
    assert.match(found[0].message, /line 2 \(both match `arn:aws:sts::123456789012:assumed-role\/deploy\/ci`\).*, and 1 more pattern there overlaps it:/);
    assert.deepEqual(found.map((f) => f.related!.map((r) => r.range.start.line)), [[1, 3], [1, 2]]);
    assert.match(found[1].related![1].message, /both match `arn:aws:sts::123456789012:assumed-role\/deploy\/session`/);
  });

  test('the kind comes from a sibling `type` when there is one (API bodies)', () => {
    const text = yaml`
      data:
        - type: aws_cloud_auth_config
          arn_pattern: arn:aws:sts::123456789012:assumed-role/a/*
        - type: aws_cloud_auth_intake_mapping
          arn_pattern: arn:aws:sts::123456789012:assumed-role/a/*
        - type: aws_cloud_auth_config
          arn_pattern: arn:aws:sts::123456789012:assumed-role/a/*
    `;
    const found = lint(text);
    assert.deepEqual(found.map((f) => [f.code, f.range.start.line]), [['arn/overlapping-patterns', 6]]);
  });
});

test('hover on an arn_pattern value shows the parts and examples', () => {
  const m = marked('m:\n  arn_pattern: arn:aws:sts::123456789012:assumed-role/dep‸loy/*\n');
  const h = service().hover({ path: 'm.yaml', text: m.text, kind: 'agent' }, m.cursor!);
  assert.ok(h);
  assert.match(h.contents, /\| role \| `deploy` \|/);
  assert.match(h.contents, /Matches, for example:/);
  assert.equal(h.range.start.character, '  arn_pattern: '.length);
});
