// Every agent/* rule of RULES.md: a case that fires (exact code, severity and
// range), a near miss that does not, and each quick fix's resulting text.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, RULES, type Finding, type Range } from '../../server/src/service';
import { applyEdits, marked, yaml } from '../helpers/markers';

const PATH = '/etc/datadog-agent/datadog.yaml';
const UUID = '11111111-2222-3333-4444-555555555555';
const API_KEY = '0123456789abcdef0123456789abcdef';
const APP_KEY = '0123456789abcdef0123456789abcdef01234567';

function lint(text: string): Finding[] {
  return new LanguageService().lint({ path: PATH, text });
}

function ofCode(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

/** [code, severity, range] of the findings with `code`. */
function hits(text: string, code: string): [string, string, Range][] {
  return ofCode(lint(text), code).map((f) => [f.code, f.severity, f.range]);
}

/** The text after applying the quick fix for `code` at `range` (the one whose title matches, or the only one). */
function fixed(text: string, range: Range, code: string, title?: RegExp): string {
  const fixes = new LanguageService().quickFixes({ path: PATH, text }, range, [code]);
  const chosen = title ? fixes.filter((f) => title.test(f.fix.title)) : fixes;
  assert.equal(chosen.length, 1, `expected one ${code} fix${title ? ` matching ${title}` : ''}, got: ${fixes.map((f) => f.fix.title).join(' | ') || 'none'}`);
  return applyEdits(text, chosen[0].fix.edits);
}

function fixTitles(text: string, range: Range, code: string): string[] {
  return new LanguageService().quickFixes({ path: PATH, text }, range, [code]).map((f) => f.fix.title);
}

test('every agent/* code of the catalog is covered by this file', () => {
  const covered = [
    'agent/yaml-syntax', 'agent/wrong-type', 'agent/duplicate-key', 'agent/unknown-key', 'agent/legacy-key',
    'agent/org-uuid-missing', 'agent/org-uuid-invalid', 'agent/secret-in-org-uuid', 'agent/provider-invalid',
    'agent/region-invalid', 'agent/refresh-interval-invalid', 'agent/product-key-ignored', 'agent/unsupported-section',
    'agent/no-fallback-api-key', 'agent/gov-site-unsupported', 'agent/unknown-site', 'agent/dela-directive-invalid',
  ];
  // Codes about Agents configured by environment only (images, charts, workload roles): agent-env-*.test.ts covers them.
  const envOnly = ['agent/version-unsupported', 'agent/helm-api-key-required', 'agent/role-not-mapped'];
  assert.deepEqual(RULES.filter((r) => r.code.startsWith('agent/') && !envOnly.includes(r.code)).map((r) => r.code).sort(), [...covered].sort());
});

describe('agent/yaml-syntax', () => {
  test('a line that breaks the mapping is an error there, and the other rules still run', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: «nope»
      «${'\t'}»provider: gcp
    `);
    const findings = lint(m.text);
    assert.deepEqual(hits(m.text, 'agent/yaml-syntax'), [['agent/yaml-syntax', 'error', m.ranges[1]]]);
    assert.match(ofCode(findings, 'agent/yaml-syntax')[0].message, /^YAML syntax: Tabs/);
    assert.deepEqual(hits(m.text, 'agent/org-uuid-invalid'), [['agent/org-uuid-invalid', 'error', m.ranges[0]]]);
  });

  test('a control character the Agent\'s YAML reader refuses (ESC, NUL, DEL, C1, U+FFFE): an error on it, though the yaml library reads it', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: «${'\u001b'}»[31m${UUID}
      site: datadoghq.com«${'\u0000'}»
      tags: [«${'\u007f\u0080\u009b'}», ok]
      note: «${'\ufffe'}»
    `);
    assert.deepEqual(hits(m.text, 'agent/yaml-syntax'), m.ranges.map((r) => ['agent/yaml-syntax', 'error', r]));
    const messages = ofCode(lint(m.text), 'agent/yaml-syntax').map((f) => f.message);
    assert.match(messages[0], /^The character U\+001B is not allowed in YAML: the Agent refuses the whole file \("control characters are not allowed"\) and does not start\. .*\("\\x1b"\)\.$/);
    assert.match(messages[2], /^3 characters from U\+007F on are not allowed/);
  });

  test('junk with many such characters: the first 20 runs, the last one counting the rest', () => {
    const text = `api_key: k\nnote: ${'abc\u0007'.repeat(30)}\n`;
    const found = ofCode(lint(text), 'agent/yaml-syntax');
    assert.equal(found.length, 20);
    assert.match(found[19].message, / 10 more runs of such characters follow this one\.$/);
  });

  test('near miss: TAB in a value, NEL (U+0085), CR LF, non-BMP characters and non-ASCII letters are allowed', () => {
    const text = `api_key: k\r\ndelegated_auth:\r\n  org_uuid: ${UUID}\r\nnote: "a\tb\u0085 \u00e9\u65e5 \u{1F600} \ud7ff \ue000 \ufffd"\r\n`;
    assert.deepEqual(hits(text, 'agent/yaml-syntax'), []);
  });

  test('an unclosed flow sequence early in the file still lets the section be judged', () => {
    const m = marked(yaml`
      api_key: [k
      «d»elegated_auth:
        org_uuid: «nope»
    `);
    assert.deepEqual(hits(m.text, 'agent/yaml-syntax'), [['agent/yaml-syntax', 'error', m.ranges[0]]]);
    assert.deepEqual(hits(m.text, 'agent/org-uuid-invalid'), [['agent/org-uuid-invalid', 'error', m.ranges[1]]]);
  });

  test('near miss: valid YAML (comments, blank lines, several documents) has no syntax finding', () => {
    const text = yaml`
      # comment
      api_key: k

      delegated_auth:   # trailing comment
        org_uuid: ${UUID}
      ---
      site: datadoghq.com
    `;
    assert.deepEqual(lint(text), []);
  });
});

describe('agent/wrong-type', () => {
  test('a list or a scalar where a section mapping is needed', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth: «[a]»
      logs_config:
        api_key: k
        delegated_auth: «x»
    `);
    assert.deepEqual(hits(m.text, 'agent/wrong-type'), [
      ['agent/wrong-type', 'error', m.ranges[0]],
      ['agent/wrong-type', 'error', m.ranges[1]],
    ]);
    const messages = ofCode(lint(m.text), 'agent/wrong-type').map((f) => f.message);
    assert.match(messages[0], /`delegated_auth` must be a mapping.*not a list/);
    assert.match(messages[1], /`logs_config\.delegated_auth` must be a mapping.*not a string/);
    // No other rule piles on a section it cannot read.
    assert.deepEqual(lint(m.text).map((f) => f.code), ['agent/wrong-type', 'agent/wrong-type']);
  });

  test('a mapping or list where a string, an integer or the aws mapping is needed', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: «[a]»
        provider: «{a: 1}»
        aws: «us-east-1»
        refresh_interval_mins: «[1]»
    `);
    const found = ofCode(lint(m.text), 'agent/wrong-type');
    assert.deepEqual(found.map((f) => [f.severity, f.range]), m.ranges.map((r) => ['error', r]));
    assert.match(found[0].message, /`delegated_auth\.org_uuid` must be a string, not a list/);
    assert.match(found[1].message, /`delegated_auth\.provider` must be a string, not a mapping/);
    assert.match(found[2].message, /`delegated_auth\.aws` must be a mapping/);
    assert.match(found[3].message, /`delegated_auth\.refresh_interval_mins` must be an integer, not a list/);
  });

  test('aws.region as a list', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        aws:
          region: «[a]»
    `);
    assert.deepEqual(hits(m.text, 'agent/wrong-type'), [['agent/wrong-type', 'error', m.ranges[0]]]);
    assert.deepEqual(hits(m.text, 'agent/region-invalid'), []);
  });

  test('near miss: empty values, quoted numbers and an empty aws are not type errors', () => {
    const text = yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        provider:
        aws:
        refresh_interval_mins: "30"
      logs_config:
        api_key: k
        delegated_auth:
    `;
    assert.deepEqual(hits(text, 'agent/wrong-type'), []);
    assert.deepEqual(hits(text, 'agent/refresh-interval-invalid'), []);
  });
});

describe('agent/duplicate-key', () => {
  test('in the section, in aws and at the root when a section exists: the second key is reported', () => {
    const m = marked(yaml`
      api_key: k
      site: datadoghq.com
      «site»: datadoghq.eu
      delegated_auth:
        org_uuid: ${UUID}
        «org_uuid»: ${UUID}
        aws:
          region: us-east-1
          «region»: us-east-2
    `);
    const found = ofCode(lint(m.text), 'agent/duplicate-key');
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), m.ranges.map((r) => ['agent/duplicate-key', 'error', r]));
    assert.match(found[0].message, /`site` appears twice in the top level \(first on line 2\)/);
    assert.match(found[1].message, /`org_uuid` appears twice in `delegated_auth` \(first on line 5\)/);
    assert.match(found[2].message, /`region` appears twice in `delegated_auth\.aws` \(first on line 8\)/);
    assert.deepEqual(found.map((f) => f.data?.firstLine), [2, 5, 8]);
  });

  test('in a per-product parent and a second delegated_auth at the root', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
      «delegated_auth»:
        org_uuid: ${UUID}
      logs_config:
        api_key: k
        «api_key»: j
        delegated_auth:
          org_uuid: ${UUID}
    `);
    assert.deepEqual(hits(m.text, 'agent/duplicate-key'), m.ranges.map((r) => ['agent/duplicate-key', 'error', r]));
  });

  test('near miss: root duplicates in a file with no delegated_auth section are not ours to judge', () => {
    const text = yaml`
      api_key: k
      site: datadoghq.com
      site: datadoghq.eu
      logs_config:
        a: 1
    `;
    assert.deepEqual(hits(text, 'agent/duplicate-key'), []);
  });

  test('near miss: a duplicate in a section unrelated to delegated_auth', () => {
    const text = yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
      apm_config:
        env: a
        env: b
    `;
    assert.deepEqual(hits(text, 'agent/duplicate-key'), []);
  });
});

describe('agent/unknown-key', () => {
  test('a typo in the section: warning on the key, renamed to the closest key', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        «providr»: aws
    `);
    assert.deepEqual(hits(m.text, 'agent/unknown-key'), [['agent/unknown-key', 'warning', m.ranges[0]]]);
    assert.match(ofCode(lint(m.text), 'agent/unknown-key')[0].message, /did you mean `provider`\?/);
    const after = fixed(m.text, m.ranges[0], 'agent/unknown-key');
    assert.equal(after, m.text.replace('providr:', 'provider:'));
    assert.deepEqual(lint(after), []);
  });

  test('a typo under aws is renamed to region', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        aws:
          «regoin»: us-east-1
    `);
    assert.deepEqual(hits(m.text, 'agent/unknown-key'), [['agent/unknown-key', 'warning', m.ranges[0]]]);
    assert.match(ofCode(lint(m.text), 'agent/unknown-key')[0].message, /in `delegated_auth\.aws`/);
    assert.equal(fixed(m.text, m.ranges[0], 'agent/unknown-key'), m.text.replace('regoin:', 'region:'));
  });

  test('region directly under delegated_auth moves under aws', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        «region»: eu-west-1
    `);
    assert.deepEqual(hits(m.text, 'agent/unknown-key'), [['agent/unknown-key', 'warning', m.ranges[0]]]);
    assert.equal(
      fixed(m.text, m.ranges[0], 'agent/unknown-key'),
      yaml`
        api_key: k
        delegated_auth:
          org_uuid: ${UUID}
          aws:
            region: eu-west-1
      `,
    );
  });

  test('a key like nothing known: still a warning, lists the keys, offers no rename', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        «zzzzzzzzzz»: 1
    `);
    assert.deepEqual(hits(m.text, 'agent/unknown-key'), [['agent/unknown-key', 'warning', m.ranges[0]]]);
    assert.match(ofCode(lint(m.text), 'agent/unknown-key')[0].message, /known keys: `org_uuid`, `provider`, `aws`, `refresh_interval_mins`/);
    assert.deepEqual(fixTitles(m.text, m.ranges[0], 'agent/unknown-key'), []);
  });

  test('the rename never suggests a key that is already present', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        «org_uid»: ${UUID}
    `);
    assert.deepEqual(fixTitles(m.text, m.ranges[0], 'agent/unknown-key'), []);
  });

  test('near miss: every known key, and unknown keys outside delegated_auth', () => {
    const text = yaml`
      api_key: k
      providr: x
      delegated_auth:
        org_uuid: ${UUID}
        provider: aws
        aws:
          region: us-east-1
        refresh_interval_mins: 30
      apm_config:
        providr: x
    `;
    assert.deepEqual(lint(text), []);
  });
});

describe('agent/legacy-key', () => {
  test('enabled: warning on the key, removed by the fix', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        «enabled»: true
        org_uuid: ${UUID}
    `);
    assert.deepEqual(hits(m.text, 'agent/legacy-key'), [['agent/legacy-key', 'warning', m.ranges[0]]]);
    const after = fixed(m.text, m.ranges[0], 'agent/legacy-key');
    assert.equal(after, yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
    `);
    assert.deepEqual(lint(after), []);
  });

  test('aws_region with no aws: becomes aws: / region:', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        «aws_region»: us-east-1
        refresh_interval_mins: 30
    `);
    assert.deepEqual(hits(m.text, 'agent/legacy-key'), [['agent/legacy-key', 'warning', m.ranges[0]]]);
    const after = fixed(m.text, m.ranges[0], 'agent/legacy-key');
    assert.equal(after, yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        aws:
          region: us-east-1
        refresh_interval_mins: 30
    `);
    assert.deepEqual(lint(after), []);
  });

  test('aws_region with an aws mapping: moves into it (with the file own indentation)', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
          org_uuid: ${UUID}
          «aws_region»: us-east-1
          aws:
              extra: 1
    `);
    const after = fixed(m.text, m.ranges[0], 'agent/legacy-key');
    assert.equal(after, yaml`
      api_key: k
      delegated_auth:
          org_uuid: ${UUID}
          aws:
              extra: 1
              region: us-east-1
    `);
  });

  test('aws_region with an empty aws: goes under it', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        «aws_region»: us-east-1
        aws:
    `);
    assert.equal(
      fixed(m.text, m.ranges[0], 'agent/legacy-key'),
      yaml`
        api_key: k
        delegated_auth:
          org_uuid: ${UUID}
          aws:
            region: us-east-1
      `,
    );
  });

  test('aws_region when aws.region is already set: removed', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        «aws_region»: us-east-1
        aws:
          region: eu-west-1
    `);
    const titles = fixTitles(m.text, m.ranges[0], 'agent/legacy-key');
    assert.deepEqual(titles, ['Remove `aws_region` (`aws.region` is already set)']);
    assert.equal(fixed(m.text, m.ranges[0], 'agent/legacy-key'), m.text.replace('  aws_region: us-east-1\n', ''));
  });

  test('refresh_interval in seconds becomes refresh_interval_mins in minutes', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        «refresh_interval»: 3600
    `);
    assert.deepEqual(hits(m.text, 'agent/legacy-key'), [['agent/legacy-key', 'warning', m.ranges[0]]]);
    assert.match(ofCode(lint(m.text), 'agent/legacy-key')[0].message, /3600 s is 60 min/);
    const after = fixed(m.text, m.ranges[0], 'agent/legacy-key');
    assert.equal(after, m.text.replace('refresh_interval: 3600', 'refresh_interval_mins: 60'));
    assert.deepEqual(lint(after), []);
  });

  test('refresh_interval rounds to whole minutes, at least one', () => {
    for (const [seconds, minutes] of [['90', '2'], ['30', '1'], ['120', '2']]) {
      const m = marked(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  «refresh_interval»: ${seconds}\n`);
      assert.equal(fixed(m.text, m.ranges[0], 'agent/legacy-key'), m.text.replace(`refresh_interval: ${seconds}`, `refresh_interval_mins: ${minutes}`), seconds);
    }
  });

  test('refresh_interval beside refresh_interval_mins is removed; a non-number is only renamed', () => {
    const both = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        «refresh_interval»: 3600
        refresh_interval_mins: 30
    `);
    assert.equal(fixed(both.text, both.ranges[0], 'agent/legacy-key'), both.text.replace('  refresh_interval: 3600\n', ''));
    const word = marked(`delegated_auth:\n  «refresh_interval»: soon\n`);
    assert.equal(fixed(word.text, word.ranges[0], 'agent/legacy-key'), 'delegated_auth:\n  refresh_interval_mins: soon\n');
  });

  test('near miss: enabled, aws_region and refresh_interval outside delegated_auth', () => {
    const text = yaml`
      api_key: k
      enabled: true
      aws_region: us-east-1
      delegated_auth:
        org_uuid: ${UUID}
      logs_config:
        enabled: true
        refresh_interval: 60
    `;
    assert.deepEqual(lint(text), []);
  });
});

describe('agent/org-uuid-missing', () => {
  test('a section with keys: warning on delegated_auth, org_uuid inserted first', () => {
    const m = marked(yaml`
      api_key: k
      «delegated_auth»:
        provider: aws
    `);
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.severity, f.range]), [['agent/org-uuid-missing', 'warning', m.ranges[0]]]);
    assert.equal(fixed(m.text, m.ranges[0], 'agent/org-uuid-missing'), 'api_key: k\ndelegated_auth:\n  org_uuid: \n  provider: aws\n');
  });

  test('an empty delegated_auth: gets an indented org_uuid line', () => {
    const m = marked(yaml`
      api_key: k
      «delegated_auth»:
      site: datadoghq.com
    `);
    assert.deepEqual(hits(m.text, 'agent/org-uuid-missing'), [['agent/org-uuid-missing', 'warning', m.ranges[0]]]);
    assert.equal(fixed(m.text, m.ranges[0], 'agent/org-uuid-missing'), 'api_key: k\ndelegated_auth:\n  org_uuid: \nsite: datadoghq.com\n');
  });

  test('a per-product section at the end of a file with no final line break', () => {
    const m = marked('logs_config:\n  api_key: k\n  «delegated_auth»:');
    assert.deepEqual(hits(m.text, 'agent/org-uuid-missing'), [['agent/org-uuid-missing', 'warning', m.ranges[0]]]);
    assert.match(ofCode(lint(m.text), 'agent/org-uuid-missing')[0].message, /stays off for `logs_config`/);
    assert.equal(fixed(m.text, m.ranges[0], 'agent/org-uuid-missing'), 'logs_config:\n  api_key: k\n  delegated_auth:\n    org_uuid: ');
  });

  test('an empty org_uuid value is reported on its key, with no insert fix', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        «org_uuid»: ""
    `);
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.severity, f.range]), [['agent/org-uuid-missing', 'warning', m.ranges[0]]]);
    assert.deepEqual(fixTitles(m.text, m.ranges[0], 'agent/org-uuid-missing'), []);
  });

  test('near miss: a section with org_uuid', () => {
    assert.deepEqual(hits(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n`, 'agent/org-uuid-missing'), []);
  });
});

describe('agent/org-uuid-invalid', () => {
  test('not a UUID: error on the value', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: «1111-2222»
    `);
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.severity, f.range]), [['agent/org-uuid-invalid', 'error', m.ranges[0]]]);
    assert.match(lint(m.text)[0].message, /not `1111-2222`/);
  });

  test('a shell reference the Agent does not expand names the environment variable to use', () => {
    const m = marked(yaml`
      api_key: k
      logs_config:
        api_key: k
        delegated_auth:
          org_uuid: «\${DD_ORG_UUID}»
    `);
    assert.deepEqual(hits(m.text, 'agent/org-uuid-invalid'), [['agent/org-uuid-invalid', 'error', m.ranges[0]]]);
    assert.match(ofCode(lint(m.text), 'agent/org-uuid-invalid')[0].message, /DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID/);
  });

  test('31 hex digits are not a key: org-uuid-invalid, not secret-in-org-uuid', () => {
    const m = marked(`api_key: k\ndelegated_auth:\n  org_uuid: «${API_KEY.slice(1)}»\n`);
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.range]), [['agent/org-uuid-invalid', m.ranges[0]]]);
  });

  test('near miss: upper-case UUID, quoted UUID, secrets-backend handle', () => {
    for (const v of [UUID.toUpperCase(), `'${UUID}'`, `"${UUID}"`, 'ENC[org_uuid]']) {
      assert.deepEqual(lint(`api_key: k\ndelegated_auth:\n  org_uuid: ${v}\n`), [], v);
    }
  });
});

describe('agent/secret-in-org-uuid', () => {
  test('an API key (32 hex) gets only the most specific rule, and the message hides it', () => {
    const m = marked(`api_key: k\ndelegated_auth:\n  org_uuid: «${API_KEY}»\n`);
    const findings = lint(m.text);
    assert.deepEqual(findings.map((f) => [f.code, f.severity, f.range]), [['agent/secret-in-org-uuid', 'error', m.ranges[0]]]);
    assert.match(findings[0].message, /API key/);
    assert.ok(!findings[0].message.includes(API_KEY));
  });

  test('an application key (40 hex), quoted', () => {
    const m = marked(`api_key: k\ndelegated_auth:\n  org_uuid: «"${APP_KEY}"»\n`);
    const findings = lint(m.text);
    assert.deepEqual(findings.map((f) => [f.code, f.severity, f.range]), [['agent/secret-in-org-uuid', 'error', m.ranges[0]]]);
    assert.match(findings[0].message, /application key/);
    assert.ok(!findings[0].message.includes(APP_KEY));
  });

  test('near miss: 33 hex digits and a real UUID', () => {
    assert.deepEqual(hits(`api_key: k\ndelegated_auth:\n  org_uuid: ${API_KEY}0\n`, 'agent/secret-in-org-uuid'), []);
    assert.deepEqual(hits(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n`, 'agent/secret-in-org-uuid'), []);
  });

  test('no message anywhere repeats a pasted key', () => {
    const text = yaml`
      api_key: ${API_KEY}
      site: ${API_KEY}
      delegated_auth:
        org_uuid: ${API_KEY}
        provider: ${API_KEY}
        refresh_interval_mins: ${APP_KEY}
        aws:
          region: ${API_KEY}
      logs_config:
        api_key: ${API_KEY}
        delegated_auth:
          org_uuid: ${APP_KEY}
      additional_endpoints:
        "https://app.datadoghq.com":
          - DELA(${API_KEY}, aws)
    `;
    const findings = lint(text);
    assert.deepEqual(
      [...new Set(findings.map((f) => f.code))].sort(),
      ['agent/dela-directive-invalid', 'agent/provider-invalid', 'agent/refresh-interval-invalid', 'agent/region-invalid', 'agent/secret-in-org-uuid', 'agent/unknown-site'],
    );
    for (const f of findings) {
      assert.ok(!f.message.includes(API_KEY) && !f.message.includes(APP_KEY), `${f.code} repeats the key: ${f.message}`);
      assert.ok(!f.message.includes(API_KEY.slice(0, 16)), `${f.code} repeats part of the key: ${f.message}`);
    }
  });
});

describe('agent/provider-invalid', () => {
  test('a provider other than aws: error on the value, replaced with aws', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        provider: «gcp»
    `);
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.severity, f.range]), [['agent/provider-invalid', 'error', m.ranges[0]]]);
    const after = fixed(m.text, m.ranges[0], 'agent/provider-invalid');
    assert.equal(after, m.text.replace('provider: gcp', 'provider: aws'));
    assert.deepEqual(lint(after), []);
  });

  test('case matters: AWS is not aws', () => {
    const m = marked(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  provider: «AWS»\n`);
    assert.deepEqual(hits(m.text, 'agent/provider-invalid'), [['agent/provider-invalid', 'error', m.ranges[0]]]);
  });

  test('near miss: aws, and empty (auto-detect)', () => {
    assert.deepEqual(lint(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  provider: aws\n`), []);
    assert.deepEqual(lint(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  provider:\n`), []);
    assert.deepEqual(lint(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  provider: ""\n`), []);
  });
});

describe('agent/region-invalid', () => {
  test('well-formed but unknown: warning, closest known region', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        aws:
          region: «us-eest-1»
    `);
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.severity, f.range]), [['agent/region-invalid', 'warning', m.ranges[0]]]);
    assert.equal(fixed(m.text, m.ranges[0], 'agent/region-invalid'), m.text.replace('us-eest-1', 'us-east-1'));
  });

  test('malformed: error, closest known region', () => {
    const m = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        aws:
          region: «US_EAST_1»
    `);
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.severity, f.range]), [['agent/region-invalid', 'error', m.ranges[0]]]);
    assert.match(lint(m.text)[0].message, /is not an AWS region name/);
    const after = fixed(m.text, m.ranges[0], 'agent/region-invalid');
    assert.equal(after, m.text.replace('US_EAST_1', 'us-east-1'));
    assert.deepEqual(lint(after), []);
  });

  test('malformed with nothing close: error with no fix', () => {
    const m = marked(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  aws:\n    region: «nowhere»\n`);
    assert.deepEqual(hits(m.text, 'agent/region-invalid'), [['agent/region-invalid', 'error', m.ranges[0]]]);
    assert.deepEqual(fixTitles(m.text, m.ranges[0], 'agent/region-invalid'), []);
  });

  test('a region of another partition: warning that names the partition problem, no fix', () => {
    const m = marked(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  aws:\n    region: «us-gov-west-1»\n`);
    assert.deepEqual(hits(m.text, 'agent/region-invalid'), [['agent/region-invalid', 'warning', m.ranges[0]]]);
    assert.match(ofCode(lint(m.text), 'agent/region-invalid')[0].message, /another AWS partition/);
    assert.deepEqual(fixTitles(m.text, m.ranges[0], 'agent/region-invalid'), []);
  });

  test('near miss: known regions and an empty region (global STS)', () => {
    for (const r of ['us-east-1', 'eu-central-2', 'ap-southeast-7', '""', '']) {
      assert.deepEqual(lint(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  aws:\n    region: ${r}\n`), [], r);
    }
  });
});

describe('agent/refresh-interval-invalid', () => {
  test('not an integer: error on the value', () => {
    for (const v of ['abc', '1.5', '"ten"']) {
      const m = marked(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  refresh_interval_mins: «${v}»\n`);
      assert.deepEqual(lint(m.text).map((f) => [f.code, f.severity, f.range]), [['agent/refresh-interval-invalid', 'error', m.ranges[0]]], v);
    }
  });

  test('zero or negative: warning (the Agent uses 60)', () => {
    for (const v of ['0', '-5', '"-1"']) {
      const m = marked(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  refresh_interval_mins: «${v}»\n`);
      assert.deepEqual(lint(m.text).map((f) => [f.code, f.severity, f.range]), [['agent/refresh-interval-invalid', 'warning', m.ranges[0]]], v);
      assert.match(lint(m.text)[0].message, /replaces zero or negative values with 60/);
    }
  });

  test('near miss: a positive integer, plain or quoted, and empty', () => {
    for (const v of ['30', '"30"', '1', '']) {
      assert.deepEqual(lint(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  refresh_interval_mins: ${v}\n`), [], v);
    }
  });
});

describe('agent/product-key-ignored', () => {
  const text = yaml`
    api_key: k
    delegated_auth:
      org_uuid: ${UUID}
    logs_config:
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        provider: aws
        aws:
          region: us-east-1
        refresh_interval_mins: 30
  `;

  test('provider, aws and refresh_interval_mins in a per-product section: warning on each key', () => {
    const m = marked(text.replace(/(provider|aws|refresh_interval_mins)(?=:)/g, '«$1»'));
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.severity, f.range]), m.ranges.map((r) => ['agent/product-key-ignored', 'warning', r]));
  });

  test('move to the global section', () => {
    const m = marked(text.replace('  provider:', '  «provider»:'));
    assert.equal(
      fixed(m.text, m.ranges[0], 'agent/product-key-ignored', /^Move/),
      yaml`
        api_key: k
        delegated_auth:
          org_uuid: ${UUID}
          provider: aws
        logs_config:
          api_key: k
          delegated_auth:
            org_uuid: ${UUID}
            aws:
              region: us-east-1
            refresh_interval_mins: 30
      `,
    );
  });

  test('move a nested aws mapping to the global section, re-indented', () => {
    const m = marked(text.replace('    aws:', '    «aws»:'));
    assert.equal(
      fixed(m.text, m.ranges[0], 'agent/product-key-ignored', /^Move/),
      yaml`
        api_key: k
        delegated_auth:
          org_uuid: ${UUID}
          aws:
            region: us-east-1
        logs_config:
          api_key: k
          delegated_auth:
            org_uuid: ${UUID}
            provider: aws
            refresh_interval_mins: 30
      `,
    );
  });

  test('remove', () => {
    const m = marked(text.replace('refresh_interval_mins:', '«refresh_interval_mins»:'));
    assert.equal(fixed(m.text, m.ranges[0], 'agent/product-key-ignored', /^Remove/), m.text.replace('    refresh_interval_mins: 30\n', ''));
  });

  test('no move offered when the global section already sets the key, or when there is none', () => {
    const set = marked(yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        provider: aws
      remote_configuration:
        api_key: k
        delegated_auth:
          org_uuid: ${UUID}
          «provider»: aws
    `);
    assert.deepEqual(fixTitles(set.text, set.ranges[0], 'agent/product-key-ignored'), ['Remove `provider` from `remote_configuration.delegated_auth`']);
    const none = marked(`evp_proxy_config:\n  api_key: k\n  delegated_auth:\n    org_uuid: ${UUID}\n    «provider»: aws\n`);
    assert.deepEqual(fixTitles(none.text, none.ranges[0], 'agent/product-key-ignored'), ['Remove `provider` from `evp_proxy_config.delegated_auth`']);
  });

  test('near miss: the same keys in the global section, org_uuid in a per-product one', () => {
    const ok = yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
        provider: aws
        aws:
          region: us-east-1
        refresh_interval_mins: 30
      ol_proxy_config:
        api_key: k
        delegated_auth:
          org_uuid: ${UUID}
    `;
    assert.deepEqual(lint(ok), []);
  });
});

describe('agent/unsupported-section', () => {
  test('under apm_config, process_config and deeper: error on the delegated_auth key', () => {
    const m = marked(yaml`
      apm_config:
        «delegated_auth»:
          org_uuid: ${UUID}
      process_config:
        process_collection:
          «delegated_auth»:
            org_uuid: x
      logs_config:
        processing_rules:
          - name: r
            «delegated_auth»: {}
    `);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), m.ranges.map((r) => ['agent/unsupported-section', 'error', r]));
    assert.match(found[0].message, /^`apm_config` does not read `delegated_auth`/);
    assert.match(found[1].message, /^`process_config\.process_collection` does not read/);
    assert.match(found[2].message, /^`logs_config\.processing_rules\[0\]` does not read/);
  });

  test('what is inside an unsupported section is not judged', () => {
    const text = `apm_config:\n  delegated_auth:\n    org_uuid: nope\n    providr: gcp\n`;
    assert.deepEqual(lint(text).map((f) => f.code), ['agent/unsupported-section']);
  });

  test('near miss: the five supported places', () => {
    const text = yaml`
      api_key: k
      delegated_auth:
        org_uuid: ${UUID}
      logs_config:
        api_key: k
        delegated_auth:
          org_uuid: ${UUID}
      remote_configuration:
        api_key: k
        delegated_auth:
          org_uuid: ${UUID}
      evp_proxy_config:
        api_key: k
        delegated_auth:
          org_uuid: ${UUID}
      ol_proxy_config:
        api_key: k
        delegated_auth:
          org_uuid: ${UUID}
    `;
    assert.deepEqual(lint(text), []);
  });
});

describe('agent/no-fallback-api-key', () => {
  test('global section with org_uuid and no api_key: information on delegated_auth', () => {
    const m = marked(`«delegated_auth»:\n  org_uuid: ${UUID}\n`);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), [['agent/no-fallback-api-key', 'info', m.ranges[0]]]);
    assert.match(found[0].message, /`api_key` is empty.*`DD_API_KEY`/);
  });

  test('each per-product slot, empty or missing', () => {
    const m = marked(yaml`
      logs_config:
        «delegated_auth»:
          org_uuid: ${UUID}
      remote_configuration:
        api_key: ""
        «delegated_auth»:
          org_uuid: ${UUID}
      evp_proxy_config:
        api_key:
        «delegated_auth»:
          org_uuid: ${UUID}
      ol_proxy_config:
        «delegated_auth»:
          org_uuid: ${UUID}
    `);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), m.ranges.map((r) => ['agent/no-fallback-api-key', 'info', r]));
    assert.deepEqual(
      found.map((f) => /^`([a-z_.]+)` and `api_key` are empty/.exec(f.message)?.[1]),
      ['logs_config.api_key', 'remote_configuration.api_key', 'evp_proxy_config.api_key', 'ol_proxy_config.api_key'],
    );
  });

  // A per-product pipeline with an empty slot uses the top-level api_key (the Agent's logs and
  // remote-configuration code do), so that one is its fallback too: no finding while it is set.
  test('the top-level api_key is the fallback of a per-product section', () => {
    const text = `api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\nlogs_config:\n  delegated_auth:\n    org_uuid: ${UUID}\n`;
    assert.deepEqual(hits(text, 'agent/no-fallback-api-key'), []);
    const m = marked(`api_key: ""\nlogs_config:\n  «delegated_auth»:\n    org_uuid: ${UUID}\n`);
    assert.deepEqual(hits(m.text, 'agent/no-fallback-api-key'), [['agent/no-fallback-api-key', 'info', m.ranges[0]]]);
  });

  test('near miss: an api_key beside it, a secrets handle, or no org_uuid (nothing to fall back from)', () => {
    assert.deepEqual(lint(`api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n`), []);
    assert.deepEqual(lint(`api_key: ENC[api]\ndelegated_auth:\n  org_uuid: ${UUID}\n`), []);
    assert.deepEqual(hits(`delegated_auth:\n  provider: aws\n`, 'agent/no-fallback-api-key'), []);
    assert.deepEqual(hits(`delegated_auth:\n  org_uuid:\n`, 'agent/no-fallback-api-key'), []);
  });
});

describe('agent/gov-site-unsupported', () => {
  test('a gov site with an org_uuid: error on the site value', () => {
    for (const site of ['ddog-gov.com', 'us2.ddog-gov.com']) {
      const m = marked(`site: «${site}»\napi_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n`);
      const found = lint(m.text);
      assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), [['agent/gov-site-unsupported', 'error', m.ranges[0]]], site);
      assert.match(found[0].message, new RegExp(`not offered on \`${site.replace(/\./g, '\\.')}\``));
    }
  });

  test('an org_uuid in a per-product section is enough', () => {
    const m = marked(`site: «ddog-gov.com»\nlogs_config:\n  api_key: k\n  delegated_auth:\n    org_uuid: ${UUID}\n`);
    assert.deepEqual(hits(m.text, 'agent/gov-site-unsupported'), [['agent/gov-site-unsupported', 'error', m.ranges[0]]]);
    assert.match(lint(m.text)[0].message, /`logs_config\.delegated_auth`/);
  });

  test('near miss: a gov site without org_uuid (missing or empty), and a commercial site with one', () => {
    assert.deepEqual(hits(`site: ddog-gov.com\napi_key: k\ndelegated_auth:\n  provider: aws\n`, 'agent/gov-site-unsupported'), []);
    assert.deepEqual(hits(`site: ddog-gov.com\napi_key: k\ndelegated_auth:\n  org_uuid:\n`, 'agent/gov-site-unsupported'), []);
    assert.deepEqual(hits(`site: ddog-gov.com\napi_key: k\n`, 'agent/gov-site-unsupported'), []);
    assert.deepEqual(lint(`site: datadoghq.com\napi_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n`), []);
  });
});

describe('agent/unknown-site', () => {
  test('a typo: warning on the value, closest site', () => {
    const m = marked(`site: «datadoghq.con»\n`);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), [['agent/unknown-site', 'warning', m.ranges[0]]]);
    assert.match(found[0].message, /did you mean `datadoghq\.com`\? A login test/);
    assert.equal(fixed(m.text, m.ranges[0], 'agent/unknown-site'), 'site: datadoghq.com\n');
  });

  test('a host or URL of a known site is replaced with the site name', () => {
    for (const [value, site] of [['https://app.datadoghq.eu', 'datadoghq.eu'], ['api.us3.datadoghq.com', 'us3.datadoghq.com'], ['trace.agent.us5.datadoghq.com', 'us5.datadoghq.com']]) {
      const m = marked(`site: «${value}»\n`);
      assert.deepEqual(hits(m.text, 'agent/unknown-site'), [['agent/unknown-site', 'warning', m.ranges[0]]], value);
      assert.equal(fixed(m.text, m.ranges[0], 'agent/unknown-site'), `site: ${site}\n`, value);
    }
  });

  test('nothing close: the known sites are listed and no fix is offered', () => {
    const m = marked(`site: «example.org»\n`);
    assert.match(lint(m.text)[0].message, /\(`datadoghq\.com`, .*`us2\.ddog-gov\.com`\)\. A login test/);
    assert.deepEqual(fixTitles(m.text, m.ranges[0], 'agent/unknown-site'), []);
  });

  test('a shell reference: warning that the Agent does not expand it, no fix', () => {
    const m = marked('site: «${DD_SITE}»\n');
    assert.deepEqual(hits(m.text, 'agent/unknown-site'), [['agent/unknown-site', 'warning', m.ranges[0]]]);
    assert.match(lint(m.text)[0].message, /does not expand `\$\{DD_SITE\}`/);
    assert.deepEqual(fixTitles(m.text, m.ranges[0], 'agent/unknown-site'), []);
  });

  test('near miss: every known site, any case, and no site', () => {
    for (const s of ['datadoghq.com', 'us3.datadoghq.com', 'us5.datadoghq.com', 'datadoghq.eu', 'ap1.datadoghq.com', 'ap2.datadoghq.com', 'uk1.datadoghq.com', 'DatadogHQ.EU', '"datadoghq.com"', '']) {
      assert.deepEqual(lint(`site: ${s}\n`), [], s);
    }
  });
});

describe('agent/dela-directive-invalid', () => {
  test('bad org UUID, provider and parameter: one error on each argument', () => {
    const m = marked(yaml`
      additional_endpoints:
        "https://app.datadoghq.com":
          - apikey2
          - DELA(«not-a-uuid», «gcp», «regio=us-east-1»)
    `);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), m.ranges.map((r) => ['agent/dela-directive-invalid', 'error', r]));
    assert.match(found[0].message, /`not-a-uuid` is not an org UUID \(in `additional_endpoints\.https:\/\/app\.datadoghq\.com`/);
    assert.match(found[1].message, /provider must be `aws`, not `gcp`/);
    assert.match(found[2].message, /unknown parameter `regio`/);
  });

  test('an unknown region in apm_config.additional_endpoints (single value, not a list)', () => {
    const m = marked(`apm_config:\n  additional_endpoints:\n    "https://trace.agent.datadoghq.com": DELA(${UUID}, aws, «region=us-eest-1»)\n`);
    assert.deepEqual(hits(m.text, 'agent/dela-directive-invalid'), [['agent/dela-directive-invalid', 'error', m.ranges[0]]]);
    assert.match(lint(m.text)[0].message, /`us-eest-1` is not a known AWS region \(in `apm_config\.additional_endpoints/);
  });

  test('logs_config list form: a missing provider (quoted value) and an entry without host', () => {
    const m = marked(yaml`
      logs_config:
        additional_endpoints:
          - api_key: «DELA(${UUID}, aws)»
            port: 10516
          - host: agent-intake.logs.datadoghq.com
            api_key: "DELA(${UUID}«)»"
    `);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), m.ranges.map((r) => ['agent/dela-directive-invalid', 'error', r]));
    assert.match(found[0].message, /needs a `host` \(in `logs_config\.additional_endpoints\[0\]\.api_key`\)/);
    assert.match(found[1].message, /needs the provider `aws` as its second argument/);
  });

  test('a directive with no closing parenthesis is reported on the whole value', () => {
    const m = marked(`additional_endpoints:\n  "https://app.datadoghq.com": [«"DELA(${UUID}, aws"»]\n`);
    assert.deepEqual(hits(m.text, 'agent/dela-directive-invalid'), [['agent/dela-directive-invalid', 'error', m.ranges[0]]]);
    assert.match(lint(m.text)[0].message, /no closing `\)`/);
  });

  test('near miss: valid directives in all three places, API keys, DELA outside additional_endpoints', () => {
    const text = yaml`
      api_key: k
      tags:
        - DELA(nope)
      additional_endpoints:
        "https://app.datadoghq.com":
          - apikey2
          - DELA(${UUID}, aws)
      apm_config:
        additional_endpoints:
          "https://trace.agent.datadoghq.com": DELA(${UUID}, aws, region=eu-west-1)
      logs_config:
        additional_endpoints:
          - host: agent-intake.logs.datadoghq.eu
            api_key: "DELA( ${UUID} , aws , region = us-east-1 )"
          - host: other
            api_key: abc
    `;
    assert.deepEqual(lint(text), []);
  });
});

describe('no message repeats a key pasted inside a longer value', () => {
  test('a key with a trailing comma in org_uuid, and inside a DELA directive', () => {
    const key = '0123456789abcdef0123456789abcdef';
    const text = `api_key: k\ndelegated_auth:\n  org_uuid: ${key},\nadditional_endpoints:\n  "https://app.datadoghq.com": ["DELA(${key}, aws)"]\n`;
    const found = lint(text);
    assert.deepEqual(found.map((f) => f.code).sort(), ['agent/dela-directive-invalid', 'agent/org-uuid-invalid']);
    for (const f of found) {
      assert.ok(!f.message.includes(key.slice(0, 28)), f.message);
      assert.match(f.message, /…cdef/);
    }
  });
});

describe('agent/yaml-syntax folds a cascade into its first error', () => {
  test('a pasted shell command before the keys: one finding that says why', () => {
    const text = 'DD_API_KEY=x \\\nbash -c "$(curl -L https://example.invalid/install.sh)"\n\n# the config\napi_key: k\nsite: datadoghq.com\ndelegated_auth:\n  org_uuid: bad\n';
    const found = lint(text).filter((f) => f.code === 'agent/yaml-syntax');
    assert.equal(found.length, 1);
    assert.equal(found[0].range.start.line, 4);
    assert.match(found[0].message, /Lines 1-2 were read as one plain value/);
    assert.match(found[0].message, /\d+ more errors after this one come from the same mistake/);
  });

  test('near miss: two separate mistakes on two lines are both reported', () => {
    const text = 'api_key: k\ndelegated_auth:\n  org_uuid: "unterminated\nlogs_config: [a, b\n';
    assert.ok(lint(text).filter((f) => f.code === 'agent/yaml-syntax').length >= 1);
    const twoLines = 'a:\n  b: c\n d: e\nf:\n  g: h\n   i: j\n';
    const lines = new Set(lint(twoLines).filter((f) => f.code === 'agent/yaml-syntax').map((f) => f.range.start.line));
    assert.ok(lines.size >= 2, `errors on ${[...lines].join(', ')}`);
  });
});
