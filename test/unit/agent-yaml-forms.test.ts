// The agent rules on the less common shapes of YAML: anchors, aliases and
// merge keys, flow style, CRLF line breaks, quoted and block scalars, several
// documents. Diagnostics must land on real text, and fixes must keep the
// file's own style and never edit through an alias.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, type Finding, type Range } from '../../server/src/service';
import { applyEdits, marked, yaml } from '../helpers/markers';

const PATH = '/etc/datadog-agent/datadog.yaml';
const UUID = '11111111-2222-3333-4444-555555555555';

function lint(text: string): Finding[] {
  return new LanguageService().lint({ path: PATH, text });
}

function summary(findings: Finding[]): [string, string, Range][] {
  return findings.map((f) => [f.code, f.severity, f.range]);
}

function allFixes(text: string): { code: string; title: string }[] {
  return lint(text).flatMap((f) => (f.data?.fixes ?? []).map((x) => ({ code: f.code, title: x.title })));
}

function fixed(text: string, range: Range, code: string, title?: RegExp): string {
  const fixes = new LanguageService().quickFixes({ path: PATH, text }, range, [code]);
  const chosen = title ? fixes.filter((f) => title.test(f.fix.title)) : fixes;
  assert.equal(chosen.length, 1, `expected one ${code} fix, got: ${fixes.map((f) => f.fix.title).join(' | ') || 'none'}`);
  return applyEdits(text, chosen[0].fix.edits);
}

/** The text a range covers. */
function textAt(text: string, r: Range): string {
  const lines = text.split(/\r\n|\r|\n/);
  if (r.start.line !== r.end.line) return '';
  return lines[r.start.line].slice(r.start.character, r.end.character);
}

describe('anchors, aliases and merge keys', () => {
  test('a whole section through an alias: findings on the anchored text, no fix that would edit the anchor', () => {
    const m = marked(yaml`
      defaults: &da
        provider: «gcp»
        «enabled»: true
      api_key: k
      «delegated_auth»: *da
    `);
    const found = lint(m.text);
    assert.deepEqual(summary(found), [
      ['agent/provider-invalid', 'error', m.ranges[0]],
      ['agent/legacy-key', 'warning', m.ranges[1]],
      ['agent/org-uuid-missing', 'warning', m.ranges[2]],
    ]);
    assert.deepEqual(allFixes(m.text), []);
  });

  test('values through aliases: reported where the anchor value is written, no fix', () => {
    const m = marked(yaml`
      uuid: &u «not-a-uuid»
      prov: &p «gcp»
      reg: &r «us-eest-1»
      api_key: k
      delegated_auth:
        org_uuid: *u
        provider: *p
        aws:
          region: *r
    `);
    assert.deepEqual(summary(lint(m.text)), [
      ['agent/org-uuid-invalid', 'error', m.ranges[0]],
      ['agent/provider-invalid', 'error', m.ranges[1]],
      ['agent/region-invalid', 'warning', m.ranges[2]],
    ]);
    assert.deepEqual(allFixes(m.text), []);
  });

  test('an aws mapping through an alias: no rename and no region fix inside the anchor', () => {
    const m = marked(yaml`
      aws_defaults: &aw
        «regoin»: us-east-1
        region: «us-eest-1»
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        aws: *aw
    `);
    assert.deepEqual(summary(lint(m.text)), [
      ['agent/unknown-key', 'warning', m.ranges[0]],
      ['agent/region-invalid', 'warning', m.ranges[1]],
    ]);
    assert.deepEqual(allFixes(m.text), []);
  });

  test('keys merged with <<: are judged, on the merged-in text, without fixes', () => {
    const m = marked(yaml`
      base: &b
        «providr»: aws
        provider: «gcp»
        aws:
          region: «us-eest-1»
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        <<: *b
    `);
    assert.deepEqual(summary(lint(m.text)), [
      ['agent/unknown-key', 'warning', m.ranges[0]],
      ['agent/provider-invalid', 'error', m.ranges[1]],
      ['agent/region-invalid', 'warning', m.ranges[2]],
    ]);
    assert.deepEqual(allFixes(m.text), []);
  });

  test('own keys beside a merge key override merged ones and keep their fixes', () => {
    const m = marked(yaml`
      base: &b
        provider: aws
        org_uuid: ${UUID}
      api_key: k
      delegated_auth:
        <<: *b
        provider: «gcp»
    `);
    assert.deepEqual(summary(lint(m.text)), [['agent/provider-invalid', 'error', m.ranges[0]]]);
    assert.equal(fixed(m.text, m.ranges[0], 'agent/provider-invalid'), m.text.replace('provider: gcp', 'provider: aws'));
  });

  test('a section that only merges keys gets org-uuid-missing but no insert (it would land beside the merge)', () => {
    const m = marked(yaml`
      base: &b
        provider: aws
      api_key: k
      «delegated_auth»:
        <<: *b
    `);
    assert.deepEqual(summary(lint(m.text)), [['agent/org-uuid-missing', 'warning', m.ranges[0]]]);
    assert.deepEqual(allFixes(m.text), []);
  });

  test('a per-product parent through an alias: product-key-ignored without move/remove fixes', () => {
    const m = marked(yaml`
      lc: &lc
        api_key: k
        delegated_auth:
          org_uuid: ${UUID}
          «provider»: aws
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
      logs_config: *lc
    `);
    assert.deepEqual(summary(lint(m.text)), [['agent/product-key-ignored', 'warning', m.ranges[0]]]);
    assert.deepEqual(allFixes(m.text), []);
  });

  test('site through an alias or a root merge: reported on the written value, no fix', () => {
    const alias = marked('s: &s «datadoghq.con»\nsite: *s\n');
    assert.deepEqual(summary(lint(alias.text)), [['agent/unknown-site', 'warning', alias.ranges[0]]]);
    assert.deepEqual(allFixes(alias.text), []);
    const merge = marked('base: &b\n  site: «datadoghq.con»\n<<: *b\n');
    assert.deepEqual(summary(lint(merge.text)), [['agent/unknown-site', 'warning', merge.ranges[0]]]);
    assert.deepEqual(allFixes(merge.text), []);
  });

  test('an anchored section still gets its fixes where it is written', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth: &g
        org_uuid: ${UUID}
        provider: «gcp»
    `);
    assert.deepEqual(summary(lint(m.text)), [['agent/provider-invalid', 'error', m.ranges[0]]]);
    assert.equal(fixed(m.text, m.ranges[0], 'agent/provider-invalid'), m.text.replace('gcp', 'aws'));
  });

  test('a delegated_auth inside an anchored template map is not an unsupported section', () => {
    const text = yaml`
      templates: &t
        delegated_auth:
          org_uuid: ${UUID}
      api_key: k
    `;
    assert.deepEqual(lint(text), []);
  });

  test('every finding on a file full of aliases lands on text that exists', () => {
    const text = yaml`
      uuid: &u not-a-uuid
      base: &b
        providr: gcp
        refresh_interval_mins: 0
      delegated_auth:
        <<: *b
        org_uuid: *u
      logs_config:
        delegated_auth: *b
    `;
    const lines = text.split('\n');
    const found = lint(text);
    assert.ok(found.length >= 4);
    for (const f of found) {
      assert.ok(f.range.end.line < lines.length, f.code);
      const covered = textAt(text, f.range);
      assert.ok(covered.trim().length > 0, `${f.code} covers no text: ${JSON.stringify(f.range)}`);
    }
  });
});

describe('flow style', () => {
  test('findings inside a flow map are on the right columns; value replacements and renames are offered', () => {
    const m = marked(`api_key: k\ndelegated_auth: {org_uuid: ${UUID}, «refresh_interval_min»: 30, «enabled»: true, provider: «gcp», aws: {region: «us-eest-1»}}\n`);
    assert.deepEqual(summary(lint(m.text)), [
      ['agent/unknown-key', 'warning', m.ranges[0]],
      ['agent/legacy-key', 'warning', m.ranges[1]],
      ['agent/provider-invalid', 'error', m.ranges[2]],
      ['agent/region-invalid', 'warning', m.ranges[3]],
    ]);
    // Line-based fixes (remove `enabled`) would break the flow map: not offered.
    assert.deepEqual(allFixes(m.text).map((f) => f.code), ['agent/unknown-key', 'agent/provider-invalid', 'agent/region-invalid']);
    const renamed = fixed(m.text, m.ranges[0], 'agent/unknown-key');
    assert.equal(renamed, m.text.replace('refresh_interval_min:', 'refresh_interval_mins:'));
    assert.equal(fixed(m.text, m.ranges[3], 'agent/region-invalid'), m.text.replace('us-eest-1', 'us-east-1'));
  });

  test('org-uuid-missing on a flow section: no line insert', () => {
    const m = marked('api_key: k\n«delegated_auth»: {provider: aws}\n');
    assert.deepEqual(summary(lint(m.text)), [['agent/org-uuid-missing', 'warning', m.ranges[0]]]);
    assert.deepEqual(allFixes(m.text), []);
  });

  test('product-key-ignored in a flow section: no move or remove', () => {
    const m = marked(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\nlogs_config: {api_key: k, delegated_auth: {org_uuid: ${UUID}, «provider»: aws}}\n`);
    assert.deepEqual(summary(lint(m.text)), [['agent/product-key-ignored', 'warning', m.ranges[0]]]);
    assert.deepEqual(allFixes(m.text), []);
  });

  test('a flow root mapping', () => {
    const m = marked(`{api_key: k, site: «datadoghq.con», delegated_auth: {org_uuid: «nope»}}\n`);
    assert.deepEqual(summary(lint(m.text)), [
      ['agent/unknown-site', 'warning', m.ranges[0]],
      ['agent/org-uuid-invalid', 'error', m.ranges[1]],
    ]);
  });
});

describe('CRLF line breaks', () => {
  const m = marked(yaml`
    api_key: k
    site: «datadoghq.con»
    «delegated_auth»:
      «providr»: gcp
      «aws_region»: us-east-1
      «refresh_interval»: 120
      «enabled»: true
    logs_config:
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        «provider»: aws
  `);
  const text = m.text.replace(/\n/g, '\r\n');
  const [site, section, providr, awsRegion, refresh, enabled, provider] = m.ranges;

  test('ranges are the same as with LF', () => {
    const found = lint(text);
    assert.deepEqual(summary(found), summary(lint(m.text)));
    assert.deepEqual(
      found.map((f) => f.range),
      [site, section, providr, awsRegion, refresh, enabled, provider],
    );
  });

  test('every fix keeps CRLF and adds no lone LF', () => {
    const cases: [Range, string, RegExp | undefined, string][] = [
      [site, 'agent/unknown-site', undefined, text.replace('datadoghq.con', 'datadoghq.com')],
      [section, 'agent/org-uuid-missing', undefined, text.replace('delegated_auth:\r\n  providr', 'delegated_auth:\r\n  org_uuid: \r\n  providr')],
      [providr, 'agent/unknown-key', undefined, text.replace('providr:', 'provider:')],
      [awsRegion, 'agent/legacy-key', undefined, text.replace('aws_region: us-east-1', 'aws:\r\n    region: us-east-1')],
      [refresh, 'agent/legacy-key', undefined, text.replace('refresh_interval: 120', 'refresh_interval_mins: 2')],
      [enabled, 'agent/legacy-key', undefined, text.replace('  enabled: true\r\n', '')],
      [provider, 'agent/product-key-ignored', /^Move/, text.replace('  enabled: true\r\n', '  enabled: true\r\n  provider: aws\r\n').replace('    provider: aws\r\n', '')],
      [provider, 'agent/product-key-ignored', /^Remove/, text.replace('    provider: aws\r\n', '')],
    ];
    for (const [range, code, title, expected] of cases) {
      const after = fixed(text, range, code, title);
      assert.equal(after, expected, `${code} ${title ?? ''}`);
      assert.ok(!/[^\r]\n/.test(after), `${code} left a lone LF`);
    }
  });

  test('a provider replacement in a CRLF file', () => {
    const crlf = marked(`api_key: k\r\ndelegated_auth:\r\n  org_uuid: ${UUID}\r\n  provider: «gcp»\r\n`);
    assert.deepEqual(summary(lint(crlf.text)), [['agent/provider-invalid', 'error', crlf.ranges[0]]]);
    assert.equal(fixed(crlf.text, crlf.ranges[0], 'agent/provider-invalid'), crlf.text.replace('gcp', 'aws'));
  });
});

describe('quoted and block scalars', () => {
  test('fixes keep single and double quotes', () => {
    const m = marked(yaml`
      site: '«datadoghq.co»'
      api_key: k
      delegated_auth:
        org_uuid: '${UUID}'
        provider: "«gcp»"
        «aws_region»: 'eu-west-1'
      logs_config:
        api_key: k
        delegated_auth:
          org_uuid: "${UUID}"
          aws:
            region: "«us-eest-1»"
    `);
    // The ranges cover the quotes too.
    const widen = (r: Range): Range => ({ start: { ...r.start, character: r.start.character - 1 }, end: { ...r.end, character: r.end.character + 1 } });
    const found = lint(m.text);
    assert.deepEqual(
      found.filter((f) => f.code !== 'agent/product-key-ignored').map((f) => [f.code, f.range]),
      [
        ['agent/unknown-site', widen(m.ranges[0])],
        ['agent/provider-invalid', widen(m.ranges[1])],
        ['agent/legacy-key', m.ranges[2]],
        // (The region in logs_config has no effect: agent/product-key-ignored says so, and its value is not judged.)
      ],
    );
    assert.equal(fixed(m.text, widen(m.ranges[0]), 'agent/unknown-site'), m.text.replace(`'datadoghq.co'`, `'datadoghq.com'`));
    assert.equal(fixed(m.text, widen(m.ranges[1]), 'agent/provider-invalid'), m.text.replace('"gcp"', '"aws"'));
    assert.equal(fixed(m.text, m.ranges[2], 'agent/legacy-key'), m.text.replace(`aws_region: 'eu-west-1'`, `aws:\n    region: 'eu-west-1'`));
    const g = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: "${UUID}"
        aws:
          region: "«us-eest-1»"
    `);
    assert.deepEqual(summary(lint(g.text)).map(([code, , range]) => [code, range]), [['agent/region-invalid', widen(g.ranges[0])]]);
    assert.equal(fixed(g.text, widen(g.ranges[0]), 'agent/region-invalid'), g.text.replace('"us-eest-1"', '"us-east-1"'));
  });

  test('product-key-ignored move keeps the quoted value as written', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
      logs_config:
        api_key: k
        delegated_auth:
          org_uuid: ${UUID}
          «refresh_interval_mins»: "30"
    `);
    assert.equal(
      fixed(m.text, m.ranges[0], 'agent/product-key-ignored', /^Move/),
      `api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  refresh_interval_mins: "30"\nlogs_config:\n  api_key: k\n  delegated_auth:\n    org_uuid: ${UUID}\n`,
    );
  });

  test('a value replacement keeps a trailing comment', () => {
    const m = marked(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  provider: «gcp»  # cloud\n`);
    assert.equal(fixed(m.text, m.ranges[0], 'agent/provider-invalid'), m.text.replace('gcp  # cloud', 'aws  # cloud'));
  });

  test('a block scalar value is replaced without eating the line break after it', () => {
    const text = yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        provider: >
          gcp
        aws:
          region: us-east-1
      site: >-
        datadoghq.con
    `;
    const found = lint(text);
    const provider = found.find((f) => f.code === 'agent/provider-invalid')!;
    const site = found.find((f) => f.code === 'agent/unknown-site')!;
    assert.deepEqual(provider.range.start, { line: 3, character: 12 });
    assert.equal(fixed(text, provider.range, 'agent/provider-invalid'), text.replace('provider: >\n    gcp\n', 'provider: aws\n'));
    assert.equal(fixed(text, site.range, 'agent/unknown-site'), text.replace('site: >-\n  datadoghq.con\n', 'site: datadoghq.com\n'));
  });

  test('a value on the line after its key', () => {
    const m = marked(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  provider:\n    «gcp»\n`);
    assert.deepEqual(summary(lint(m.text)), [['agent/provider-invalid', 'error', m.ranges[0]]]);
    assert.equal(fixed(m.text, m.ranges[0], 'agent/provider-invalid'), m.text.replace('    gcp', '    aws'));
  });
});

describe('several documents and odd roots', () => {
  test('each document of a multi-document file is judged on its own', () => {
    const m = marked(yaml`
      «delegated_auth»:
        org_uuid: «nope»
      ---
      api_key: k
      site: «datadoghq.cm»
    `);
    assert.deepEqual(summary(lint(m.text)), [
      ['agent/no-fallback-api-key', 'info', m.ranges[0]],
      ['agent/org-uuid-invalid', 'error', m.ranges[1]],
      ['agent/unknown-site', 'warning', m.ranges[2]],
    ]);
  });

  test('an empty file, a comment-only file, a list or a scalar at the root: nothing to say', () => {
    for (const text of ['', '# only a comment\n', '- delegated_auth\n- org_uuid\n', 'just text\n']) {
      assert.deepEqual(lint(text), [], JSON.stringify(text));
    }
  });

  test('a file that is not classified as Agent configuration is not linted', () => {
    const svc = new LanguageService();
    assert.deepEqual(svc.lint({ path: '/w/other.yaml', text: 'delegated_auth:\n  org_uuid: nope\n' }), []);
    assert.equal(svc.lint({ path: '/w/other.yaml', text: 'delegated_auth:\n  org_uuid: nope\n', kind: 'agent' }).length, 2);
  });
});

describe('whatever an alias reaches is judged as if written there, once', () => {
  test('a section through an alias in a flow map, its anchor also a section: each mistake once, the written one with its fix', () => {
    const m = marked(yaml`
      api_key: k
      remote_configuration:
        «delegated_auth»: &da
          «org_uid»: ${UUID}
      logs_config: {«delegated_auth»: *da}
    `);
    const found = lint(m.text);
    // Two sections without org_uuid (each its own key), one misspelt key (the anchor's, not once per section).
    assert.deepEqual(summary(found), [
      ['agent/org-uuid-missing', 'warning', m.ranges[0]],
      ['agent/unknown-key', 'warning', m.ranges[1]],
      ['agent/org-uuid-missing', 'warning', m.ranges[2]],
    ]);
    assert.match(found[1].message, /`remote_configuration\.delegated_auth`: did you mean `org_uuid`\?/);
    assert.equal(fixed(m.text, m.ranges[1], 'agent/unknown-key'), m.text.replace('org_uid:', 'org_uuid:'));
  });

  test('an unsupported section through an alias or a merge key: reported at the anchor, once', () => {
    const m = marked(yaml`
      api_key: k
      shared: &s
        «delegated_auth»:
          org_uuid: ${UUID}
      apm_config: *s
      process_config:
        <<: *s
    `);
    const found = lint(m.text);
    assert.deepEqual(summary(found), [['agent/unsupported-section', 'error', m.ranges[0]]]);
    assert.match(found[0].message, /^`apm_config` does not read `delegated_auth`/);
  });

  test('a template that is only merged at the top level brings its unsupported section there', () => {
    const m = marked(yaml`
      base: &b
        apm_config:
          «delegated_auth»: {org_uuid: ${UUID}}
      api_key: k
      <<: *b
    `);
    assert.deepEqual(summary(lint(m.text)), [['agent/unsupported-section', 'error', m.ranges[0]]]);
  });

  test('a key written as an alias (`*k : value`) is the key it names', () => {
    const m = marked(yaml`
      names: [&k org_uuid, &p provider]
      api_key: k
      delegated_auth:
        *k : «nope»
        *p : «gcp»
    `);
    assert.deepEqual(summary(lint(m.text)), [
      ['agent/org-uuid-invalid', 'error', m.ranges[0]],
      ['agent/provider-invalid', 'error', m.ranges[1]],
    ]);
  });

  test('an arn_pattern through an alias is judged at its anchor, without a fix there', () => {
    const m = marked(yaml`
      patterns:
        ci: &ci arn:aws:«iam::123456789012:role/ci»
      mappings:
        - {type: intake, arn_pattern: *ci}
    `);
    assert.deepEqual(summary(lint(m.text)), [['arn/iam-role-arn', 'error', m.ranges[0]]]);
    assert.deepEqual(allFixes(m.text), []);
  });

  test('aliases used many times before a section alias do not leave it unread', () => {
    // Sixty thousand uses of one anchor cost one conversion; the section's alias at the end is read in full.
    const text = yaml`
      t: &t team:a
      da: &da {org_uuid: ${UUID}}
      api_key: k
      logs_config:
        tags: [${Array(60_000).fill('*t').join(', ')}]
        delegated_auth: *da
      delegated_auth: *da
    `;
    assert.deepEqual(lint(text), []);
  });
});
