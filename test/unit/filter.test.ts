// Suppression comments and per-code severity overrides (RULES.md, "Suppression"):
// through the language service on datadog.yaml, and the filter functions alone.
// Then the cap on findings per file, for Agent YAML and Terraform.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, isSeverityLevel, type Finding, type ServiceSettings } from '../../server/src/service';
import { FindingCollector, MAX_FINDINGS_PER_FILE, TOO_MANY_FINDINGS, applySeverityOverrides, applySuppressions, suppressedLines } from '../../server/src/service/common/filter';
import { loadHclLanguage } from '../../server/src/shared/treeSitter';
import { marked, yaml } from '../helpers/markers';

const PATH = '/etc/datadog-agent/datadog.yaml';
const UUID = '11111111-2222-3333-4444-555555555555';

function lint(text: string, settings?: ServiceSettings): Finding[] {
  return new LanguageService(settings).lint({ path: PATH, text });
}

function codes(text: string, settings?: ServiceSettings): string[] {
  return lint(text, settings).map((f) => f.code);
}

/** Three findings on three lines: a bad org_uuid, an unknown key, a legacy key. */
const BASE = yaml`
  api_key: k
  delegated_auth:
    org_uuid: nope
    providr: gcp
    enabled: true
`;

describe('suppression comments', () => {
  test('baseline: the findings the comments below silence', () => {
    assert.deepEqual(codes(BASE), ['agent/org-uuid-invalid', 'agent/unknown-key', 'agent/legacy-key']);
  });

  test('on the line, with one code: only that code on that line', () => {
    const text = BASE.replace('org_uuid: nope', 'org_uuid: nope # datadog-wif-ignore agent/org-uuid-invalid');
    assert.deepEqual(codes(text), ['agent/unknown-key', 'agent/legacy-key']);
  });

  test('on the line, with another code: nothing silenced', () => {
    const text = BASE.replace('org_uuid: nope', 'org_uuid: nope # datadog-wif-ignore agent/unknown-key');
    assert.deepEqual(codes(text), ['agent/org-uuid-invalid', 'agent/unknown-key', 'agent/legacy-key']);
  });

  test('on the line, without codes: everything on that line, nothing on the next', () => {
    const text = BASE.replace('org_uuid: nope', 'org_uuid: nope   #datadog-wif-ignore');
    assert.deepEqual(codes(text), ['agent/unknown-key', 'agent/legacy-key']);
  });

  test('on the line above, with codes (comma- or space-separated)', () => {
    for (const list of ['agent/unknown-key, agent/org-uuid-invalid', 'agent/unknown-key agent/org-uuid-invalid', 'agent/unknown-key,agent/org-uuid-invalid']) {
      const text = BASE.replace('  providr: gcp', `  # datadog-wif-ignore ${list}\n  providr: gcp`);
      assert.deepEqual(codes(text), ['agent/org-uuid-invalid', 'agent/legacy-key'], list);
    }
  });

  test('on the line above, without codes: everything on the next line only', () => {
    const text = BASE.replace('  providr: gcp', '  # datadog-wif-ignore\n  providr: gcp');
    assert.deepEqual(codes(text), ['agent/org-uuid-invalid', 'agent/legacy-key']);
  });

  test('a comment two lines above does not reach', () => {
    const text = BASE.replace('  org_uuid: nope', '  # datadog-wif-ignore\n\n  org_uuid: nope');
    assert.deepEqual(codes(text), ['agent/org-uuid-invalid', 'agent/unknown-key', 'agent/legacy-key']);
  });

  test('a comment after code on the line above covers only its own line', () => {
    const text = yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        providr: aws   # datadog-wif-ignore agent/unknown-key
        regoin: x
    `;
    const found = lint(text);
    assert.deepEqual(found.map((f) => [f.code, f.range.start.line]), [['agent/unknown-key', 4]]);
  });

  test('a section-level finding is silenced from the line above the delegated_auth key', () => {
    const m = marked(yaml`
      # datadog-wif-ignore agent/no-fallback-api-key
      delegated_auth:
        org_uuid: ${UUID}
      logs_config:
        «delegated_auth»:
          org_uuid: ${UUID}
    `);
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.range]), [['agent/no-fallback-api-key', m.ranges[0]]]);
  });

  test('a misspelt code silences nothing (not everything), and words after the codes are a reason', () => {
    const typo = BASE.replace('org_uuid: nope', 'org_uuid: nope # datadog-wif-ignore agent/org_uuid_invalid');
    assert.deepEqual(codes(typo), ['agent/org-uuid-invalid', 'agent/unknown-key', 'agent/legacy-key']);
    const reason = BASE.replace('org_uuid: nope', 'org_uuid: nope # datadog-wif-ignore agent/org-uuid-invalid -- resolved at deploy time');
    assert.deepEqual(codes(reason), ['agent/unknown-key', 'agent/legacy-key']);
  });

  test('a family wildcard in the comment silences that family', () => {
    const text = BASE.replace('org_uuid: nope', 'org_uuid: nope # datadog-wif-ignore agent/*');
    assert.deepEqual(codes(text), ['agent/unknown-key', 'agent/legacy-key']);
    const other = BASE.replace('org_uuid: nope', 'org_uuid: nope # datadog-wif-ignore arn/*');
    assert.deepEqual(codes(other), ['agent/org-uuid-invalid', 'agent/unknown-key', 'agent/legacy-key']);
  });

  test('look-alikes are not suppression comments in YAML', () => {
    for (const comment of ['// datadog-wif-ignore', '# datadog-wif-ignored', 'x#datadog-wif-ignore']) {
      const text = BASE.replace('org_uuid: nope', `org_uuid: nope ${comment}`);
      assert.ok(codes(text).length >= 2, comment);
      assert.ok(codes(text).includes('agent/unknown-key'), comment);
    }
    // `//` and `x#` are part of the plain value; the first two findings stay on their lines.
    assert.ok(codes(BASE.replace('org_uuid: nope', 'org_uuid: nope # datadog-wif-ignored')).includes('agent/org-uuid-invalid'));
  });

  test('CRLF files', () => {
    const text = BASE.replace('  providr: gcp', '  # datadog-wif-ignore agent/unknown-key\n  providr: gcp').replace(/\n/g, '\r\n');
    assert.deepEqual(codes(text), ['agent/org-uuid-invalid', 'agent/legacy-key']);
  });

  test('a suppressed finding offers no quick fix', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        «providr»: aws # datadog-wif-ignore
    `);
    assert.deepEqual(new LanguageService().quickFixes({ path: PATH, text: m.text }, m.ranges[0]), []);
    const plain = m.text.replace(' # datadog-wif-ignore', '');
    assert.equal(new LanguageService().quickFixes({ path: PATH, text: plain }, m.ranges[0]).length, 1);
  });

  test('suppressedLines: which lines, which codes', () => {
    const lines = suppressedLines('# datadog-wif-ignore agent/a, agent/b\nx: 1 # datadog-wif-ignore agent/c\ny: 2\n  # datadog-wif-ignore\nz: 3\n', 'yaml');
    assert.deepEqual([...lines.keys()].sort(), [0, 1, 3, 4]);
    assert.deepEqual([...(lines.get(0) as Set<string>)], ['agent/a', 'agent/b']);
    assert.deepEqual([...(lines.get(1) as Set<string>)].sort(), ['agent/a', 'agent/b', 'agent/c']);
    assert.equal(lines.get(2), undefined);
    assert.equal(lines.get(4), 'all');
    assert.equal(suppressedLines('no comments here', 'yaml').size, 0);
  });

  test('suppressedLines: // counts in HCL only', () => {
    assert.equal(suppressedLines('// datadog-wif-ignore tf/x\nfoo = 1\n', 'yaml').size, 0);
    const hcl = suppressedLines('  // datadog-wif-ignore tf/x\nfoo = 1 # datadog-wif-ignore\n', 'hcl');
    assert.equal(hcl.get(1), 'all');
    assert.deepEqual([...(hcl.get(0) as Set<string>)], ['tf/x']);
  });

  test('applySuppressions judges a finding by its first line', () => {
    const f = (line: number, code: string): Finding => ({ code, severity: 'error', message: '', range: { start: { line, character: 0 }, end: { line: line + 3, character: 0 } } });
    const text = 'a\nb # datadog-wif-ignore agent/x\nc\n';
    assert.deepEqual(applySuppressions([f(0, 'agent/x'), f(1, 'agent/x'), f(1, 'agent/y')], text, 'yaml').map((x) => [x.range.start.line, x.code]), [[0, 'agent/x'], [1, 'agent/y']]);
  });
});

describe('severity overrides', () => {
  const text = yaml`
    site: datadoghq.con
    delegated_auth:
      org_uuid: nope
      providr: aws
      aws:
        region: US_EAST_1
      refresh_interval_mins: 0
  `;
  const plain = lint(text).map((f) => [f.code, f.severity]);

  test('baseline', () => {
    assert.deepEqual(plain, [
      ['agent/unknown-site', 'warning'],
      ['agent/no-fallback-api-key', 'info'],
      ['agent/org-uuid-invalid', 'error'],
      ['agent/unknown-key', 'warning'],
      ['agent/region-invalid', 'error'],
      ['agent/refresh-interval-invalid', 'warning'],
    ]);
  });

  test('one code raised, one lowered, one off', () => {
    const got = lint(text, { severity: { 'agent/unknown-site': 'error', 'agent/org-uuid-invalid': 'info', 'agent/no-fallback-api-key': 'off' } });
    assert.deepEqual(got.map((f) => [f.code, f.severity]), [
      ['agent/unknown-site', 'error'],
      ['agent/org-uuid-invalid', 'info'],
      ['agent/unknown-key', 'warning'],
      ['agent/region-invalid', 'error'],
      ['agent/refresh-interval-invalid', 'warning'],
    ]);
  });

  test('an override of an E/W rule sets both kinds of finding', () => {
    const got = lint(text, { severity: { 'agent/region-invalid': 'info', 'agent/refresh-interval-invalid': 'error' } });
    assert.equal(got.find((f) => f.code === 'agent/region-invalid')?.severity, 'info');
    assert.equal(got.find((f) => f.code === 'agent/refresh-interval-invalid')?.severity, 'error');
  });

  test('the family wildcard agent/*, and exact codes winning over it', () => {
    assert.deepEqual(lint(text, { severity: { 'agent/*': 'off' } }), []);
    const info = lint(text, { severity: { 'agent/*': 'info', 'agent/org-uuid-invalid': 'error', 'agent/unknown-key': 'off' } });
    assert.deepEqual(info.map((f) => [f.code, f.severity]), [
      ['agent/unknown-site', 'info'],
      ['agent/no-fallback-api-key', 'info'],
      ['agent/org-uuid-invalid', 'error'],
      ['agent/region-invalid', 'info'],
      ['agent/refresh-interval-invalid', 'info'],
    ]);
  });

  test('other families and unknown levels leave findings alone', () => {
    assert.deepEqual(lint(text, { severity: { 'arn/*': 'off', 'tf/org-uuid-missing': 'off' } }).map((f) => [f.code, f.severity]), plain);
    const bogus = { 'agent/unknown-site': 'fatal' } as unknown as ServiceSettings['severity'];
    assert.deepEqual(lint(text, { severity: bogus }).map((f) => [f.code, f.severity]), plain);
  });

  test('overrides and suppression together; configure() applies new settings', () => {
    const svc = new LanguageService({ severity: { 'agent/unknown-key': 'error' } });
    const doc = { path: PATH, text: text.replace('providr: aws', 'providr: aws # datadog-wif-ignore agent/unknown-key') };
    assert.ok(!svc.lint(doc).some((f) => f.code === 'agent/unknown-key'));
    assert.equal(svc.lint({ path: PATH, text }).find((f) => f.code === 'agent/unknown-key')?.severity, 'error');
    svc.configure({ severity: { 'agent/unknown-key': 'off' } });
    assert.ok(!svc.lint({ path: PATH, text }).some((f) => f.code === 'agent/unknown-key'));
  });

  test('an override does not mutate the cached findings', () => {
    const svc = new LanguageService({ severity: { 'agent/unknown-site': 'error' } });
    assert.equal(svc.lint({ path: PATH, text })[0].severity, 'error');
    svc.configure({});
    assert.equal(svc.lint({ path: PATH, text })[0].severity, 'warning');
  });

  test('applySeverityOverrides and isSeverityLevel alone', () => {
    const f: Finding = { code: 'agent/unknown-site', severity: 'warning', message: 'm', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
    assert.equal(applySeverityOverrides([f], undefined)[0], f);
    assert.equal(applySeverityOverrides([f], { 'agent/unknown-site': 'warning' })[0], f);
    assert.deepEqual(applySeverityOverrides([f], { 'agent/unknown-site': 'error' }), [{ ...f, severity: 'error' }]);
    assert.equal(f.severity, 'warning');
    assert.deepEqual(applySeverityOverrides([f], { 'agent/*': 'off' }), []);
    for (const l of ['error', 'warning', 'info', 'off']) assert.ok(isSeverityLevel(l));
    for (const l of ['hint', 'Error', '', 1, undefined]) assert.ok(!isSeverityLevel(l));
  });
});

test('YAML: "# datadog-wif-ignore" inside a quoted string or a block scalar is text, not a suppression comment', () => {
  const text = [
    'a: "x # datadog-wif-ignore"', // 0: inside a double-quoted string
    "b: 'y # datadog-wif-ignore agent/unknown-key'", // 1: inside a single-quoted string
    'c: |', // 2
    '  # datadog-wif-ignore', // 3: a line of a block scalar
    'd: 1 # datadog-wif-ignore agent/unknown-key', // 4: a real comment after code
    '# datadog-wif-ignore', // 5: a real comment alone: covers 5 and 6
    'e: 2',
  ].join('\r\n');
  const lines = suppressedLines(text, 'yaml');
  assert.deepEqual([...lines.keys()].sort(), [4, 5, 6]);
  assert.deepEqual([...(lines.get(4) as Set<string>)], ['agent/unknown-key']);
  assert.equal(lines.get(6), 'all');
  // HCL keeps its line scan (no YAML quoting rules there).
  assert.deepEqual([...suppressedLines('x = 1 # datadog-wif-ignore\n', 'hcl').keys()], [0]);
});

describe('at most MAX_FINDINGS_PER_FILE findings a file, then one that counts the rest', () => {
  const at = (line: number, code = 'agent/unknown-key', severity: Finding['severity'] = 'warning'): Finding => ({
    code,
    severity,
    message: `line ${line}`,
    range: { start: { line, character: 2 }, end: { line, character: 5 } },
  });

  test('the collector keeps the first by position whatever order they come in, in that order, and counts the rest by code', () => {
    const c = new FindingCollector(undefined, 100);
    // Lines 9,999 down to 0, then an error on line 5,000: the first hundred by position are lines 0-99.
    for (let line = 9_999; line >= 0; line--) c.add(at(line));
    c.add(at(5_000, 'agent/org-uuid-invalid', 'error'));
    const out = c.findings();
    assert.equal(out.length, 101);
    assert.deepEqual(out.slice(0, 100).map((f) => f.range.start.line), Array.from({ length: 100 }, (_, i) => 99 - i));
    const summary = out[100];
    assert.equal(summary.code, TOO_MANY_FINDINGS);
    // As severe as the worst finding left out, and where the left-out ones begin.
    assert.equal(summary.severity, 'error');
    assert.equal(summary.range.start.line, 100);
    assert.deepEqual(summary.data, { leftOut: 9_901, leftOutByCode: { 'agent/unknown-key': 9_900, 'agent/org-uuid-invalid': 1 } });
    assert.match(summary.message, /^9,901 more findings from here on are not shown \(`agent\/unknown-key` 9,900, `agent\/org-uuid-invalid` 1\): a file shows its first 100\. /);
    assert.equal(c.omitted, 9_901);
  });

  test('under the cap: the findings as they came, no summary', () => {
    const c = new FindingCollector(undefined, 3);
    for (const line of [7, 2, 5]) c.add(at(line));
    assert.deepEqual(c.findings().map((f) => f.range.start.line), [7, 2, 5]);
  });

  /** `n` unknown keys in the global section, then a bad org_uuid on the last line. */
  function flooded(n: number, comment = ''): string {
    const keys = Array.from({ length: n }, (_, i) => `  unknown_${i}: x${comment}`);
    return ['api_key: k', 'delegated_auth:', ...keys, '  org_uuid: nope', ''].join('\n');
  }

  test('a datadog.yaml with 3,000 unknown keys: the first 1,000, then one saying 2,001 more, an error among them', () => {
    const found = lint(flooded(3_000));
    assert.equal(found.length, MAX_FINDINGS_PER_FILE + 1);
    assert.ok(found.slice(0, -1).every((f) => f.code === 'agent/unknown-key'));
    const summary = found[found.length - 1];
    assert.deepEqual([summary.code, summary.severity, summary.range.start.line], [TOO_MANY_FINDINGS, 'error', 2 + MAX_FINDINGS_PER_FILE]);
    assert.deepEqual(summary.data, { leftOut: 2_001, leftOutByCode: { 'agent/unknown-key': 2_000, 'agent/org-uuid-invalid': 1 } });
  });

  test('turning off the code that floods the file shows the rest; so do suppression comments (what is off never counts)', () => {
    assert.deepEqual(codes(flooded(3_000), { severity: { 'agent/unknown-key': 'off' } }), ['agent/org-uuid-invalid']);
    assert.deepEqual(codes(flooded(3_000, ' # datadog-wif-ignore agent/unknown-key')), ['agent/org-uuid-invalid']);
  });

  test('the summary follows overrides and suppressions like any code: off, it goes, and the cap stays', () => {
    const off = lint(flooded(3_000), { severity: { [TOO_MANY_FINDINGS]: 'off' } });
    assert.equal(off.length, MAX_FINDINGS_PER_FILE);
    assert.ok(!off.some((f) => f.code === TOO_MANY_FINDINGS));
    const info = lint(flooded(3_000), { severity: { [TOO_MANY_FINDINGS]: 'info' } });
    assert.equal(info[info.length - 1].severity, 'info');
  });

  test('a change of overrides lints again (the cached findings were filtered for the old ones)', () => {
    const svc = new LanguageService();
    const doc = { path: PATH, text: flooded(1_500) };
    assert.equal(svc.lint(doc).length, MAX_FINDINGS_PER_FILE + 1);
    assert.deepEqual(svc.lint({ ...doc, severity: { 'agent/unknown-key': 'off' } }).map((f) => f.code), ['agent/org-uuid-invalid']);
    assert.equal(svc.lint(doc).length, MAX_FINDINGS_PER_FILE + 1);
  });

  test('a Terraform file gets the same cap', async () => {
    const svc = new LanguageService();
    svc.setHclRuntime(await loadHclLanguage());
    const blocks = Array.from({ length: 1_200 }, (_, i) => `resource "datadog_aws_wif_intake_mapping" "m${i}" {\n  arn_pattern = "nope-${i}"\n}\n`);
    const path = '/proj/main.tf';
    try {
      const found = svc.lint({ path, text: blocks.join('') });
      assert.equal(found.length, MAX_FINDINGS_PER_FILE + 1);
      assert.ok(found.slice(0, -1).every((f) => f.code === 'arn/not-an-arn' && f.range.start.line < 3 * MAX_FINDINGS_PER_FILE));
      assert.deepEqual([found[MAX_FINDINGS_PER_FILE].code, found[MAX_FINDINGS_PER_FILE].data?.leftOut], [TOO_MANY_FINDINGS, 200]);
    } finally {
      svc.forget(path);
    }
  });
});
