// The agent/* rules on environment variables (agentEnv/rules.ts), through the
// Kubernetes reader: every code that applies to variables fires on the exact
// characters (caret markers), its near miss stays quiet, unknown values
// (`valueFrom`, `envFrom`, `$(VAR)`) are never judged, and each quick fix
// writes a value of the right syntax.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Finding, Range } from '../../server/src/service';
import { lintAgentEnv } from '../../server/src/service/agentEnv/lint';
import { judgeAgentEnv, replaceLiteral } from '../../server/src/service/agentEnv/rules';
import { FindingCollector } from '../../server/src/service/common/filter';
import { TextIndex } from '../../server/src/service/common/textIndex';
import { RULES } from '../../server/src/service/catalog';
import { applyEdits, marked } from '../helpers/markers';

const UUID = '11111111-2222-3333-4444-555555555555';
const API_KEY = '0123456789abcdef0123456789abcdef';

/** A DaemonSet whose `agent` container has `env` (lines indented for the env list) and `image`. */
function daemonSet(env: string, { image = 'gcr.io/datadoghq/agent:7.78.0', extra = '' } = {}): string {
  const lines = env.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  const envLines = lines.map((l) => (l.trim() ? `            ${l.slice(indent)}` : l)).join('\n');
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: datadog
spec:
  template:
    spec:
      containers:
        - name: agent
          image: ${image}
${extra}          env:
${envLines}
`;
}

function lint(text: string): Finding[] {
  return lintAgentEnv(text);
}

function hits(text: string, code: string): [string, string, Range][] {
  return lint(text)
    .filter((f) => f.code === code)
    .map((f) => [f.code, f.severity, f.range]);
}

function fixed(text: string, code: string, title?: RegExp): string {
  const f = lint(text).filter((x) => x.code === code);
  const fixes = f.flatMap((x) => x.data?.fixes ?? []).filter((x) => !title || title.test(x.title));
  assert.equal(fixes.length, 1, `one ${code} fix expected, got ${fixes.map((x) => x.title).join(' | ') || 'none'}`);
  return applyEdits(text, fixes[0].edits);
}

const withKey = '- {name: DD_API_KEY, valueFrom: {secretKeyRef: {name: datadog-secret, key: api-key}}}';

test('every agent/* code that applies to variables has a case here', () => {
  const covered = [
    'agent/org-uuid-missing', 'agent/org-uuid-invalid', 'agent/secret-in-org-uuid', 'agent/provider-invalid', 'agent/region-invalid',
    'agent/refresh-interval-invalid', 'agent/product-key-ignored', 'agent/unsupported-section', 'agent/unknown-key', 'agent/legacy-key',
    'agent/duplicate-key', 'agent/gov-site-unsupported', 'agent/unknown-site', 'agent/no-fallback-api-key', 'agent/version-unsupported',
  ];
  // The others are about datadog.yaml's own syntax and shapes, Helm values or several files.
  const notForVariables = ['agent/yaml-syntax', 'agent/wrong-type', 'agent/dela-directive-invalid', 'agent/helm-api-key-required', 'agent/role-not-mapped'];
  assert.deepEqual(RULES.filter((r) => r.code.startsWith('agent/') && !notForVariables.includes(r.code)).map((r) => r.code).sort(), [...covered].sort());
});

describe('org uuid', () => {
  test('not a UUID: an error on the value', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: «"not-a-uuid"»`));
    assert.deepEqual(hits(m.text, 'agent/org-uuid-invalid'), [['agent/org-uuid-invalid', 'error', m.ranges[0]]]);
    assert.match(lint(m.text).find((f) => f.code === 'agent/org-uuid-invalid')!.message, /^`DD_DELEGATED_AUTH_ORG_UUID` must be a UUID .* not `not-a-uuid`\.$/);
  });

  test('a UUID: quiet', () => {
    const text = daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: "${UUID}"`);
    assert.deepEqual(lint(text), []);
  });

  test('`${VAR}` is not expanded in a manifest: invalid; `$(VAR)` is Kubernetes\'s and unknown', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: «\${ORG_UUID}»
      - name: DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID
        value: $(ORG)`));
    assert.deepEqual(hits(m.text, 'agent/org-uuid-invalid'), [['agent/org-uuid-invalid', 'error', m.ranges[0]]]);
  });

  test('a pasted API key: secret-in-org-uuid, and the key is not in the message', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: «'${API_KEY}'»`));
    assert.deepEqual(hits(m.text, 'agent/secret-in-org-uuid'), [['agent/secret-in-org-uuid', 'error', m.ranges[0]]]);
    assert.ok(!lint(m.text).some((f) => f.message.includes(API_KEY)));
  });

  test('empty: missing, on the value', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: «""»`));
    assert.deepEqual(hits(m.text, 'agent/org-uuid-missing'), [['agent/org-uuid-missing', 'warning', m.ranges[0]]]);
  });

  test('a section\'s other variables without its org UUID: missing, on the first of them; quiet with envFrom', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: «DD_DELEGATED_AUTH_AWS_REGION»
        value: us-east-1`));
    assert.deepEqual(hits(m.text, 'agent/org-uuid-missing'), [['agent/org-uuid-missing', 'warning', m.ranges[0]]]);
    const opaque = daemonSet(
      `
      - name: DD_DELEGATED_AUTH_AWS_REGION
        value: us-east-1`,
      { extra: '          envFrom:\n            - configMapRef: {name: datadog-env}\n' },
    );
    assert.deepEqual(lint(opaque).map((f) => f.code), []);
  });

  test('valueFrom is never judged', () => {
    const text = daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        valueFrom:
          configMapKeyRef: {name: dd, key: org}
      - name: DD_DELEGATED_AUTH_AWS_REGION
        valueFrom:
          fieldRef: {fieldPath: metadata.annotations['region']}`);
    assert.deepEqual(lint(text), []);
  });
});

describe('provider, region, refresh interval', () => {
  test('provider: not aws is an error on the value, fixed to a YAML string', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: DD_DELEGATED_AUTH_PROVIDER
        value: «gcp»`));
    assert.deepEqual(hits(m.text, 'agent/provider-invalid'), [['agent/provider-invalid', 'error', m.ranges[0]]]);
    assert.match(fixed(m.text, 'agent/provider-invalid'), /value: aws\n/);
  });

  test('region: malformed is an error, unknown a warning, another partition a warning; the fix keeps the quotes', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: DD_DELEGATED_AUTH_AWS_REGION
        value: «"us-east-1x"»`));
    assert.deepEqual(hits(m.text, 'agent/region-invalid'), [['agent/region-invalid', 'error', m.ranges[0]]]);
    assert.match(fixed(m.text, 'agent/region-invalid'), /value: "us-east-1"\n/);
    const unknown = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: DD_DELEGATED_AUTH_AWS_REGION
        value: «us-east-9»`));
    assert.deepEqual(hits(unknown.text, 'agent/region-invalid'), [['agent/region-invalid', 'warning', unknown.ranges[0]]]);
    const gov = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: DD_DELEGATED_AUTH_AWS_REGION
        value: «us-gov-west-1»`));
    assert.deepEqual(hits(gov.text, 'agent/region-invalid'), [['agent/region-invalid', 'warning', gov.ranges[0]]]);
  });

  test('refresh interval: not a number is an error, zero a warning, "30" is fine', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS
        value: «"1h"»`));
    assert.deepEqual(hits(m.text, 'agent/refresh-interval-invalid'), [['agent/refresh-interval-invalid', 'error', m.ranges[0]]]);
    const zero = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS
        value: «"0"»`));
    assert.deepEqual(hits(zero.text, 'agent/refresh-interval-invalid'), [['agent/refresh-interval-invalid', 'warning', zero.ranges[0]]]);
    const ok = daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS
        value: "30"`);
    assert.deepEqual(lint(ok), []);
  });

  test('a global-only variable of a per-product section: product-key-ignored on the name, renamed to the global one', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: «DD_LOGS_CONFIG_DELEGATED_AUTH_PROVIDER»
        value: gcp`));
    assert.deepEqual(hits(m.text, 'agent/product-key-ignored'), [['agent/product-key-ignored', 'warning', m.ranges[0]]]);
    // Ignored, so its value is not judged.
    assert.deepEqual(hits(m.text, 'agent/provider-invalid'), []);
    assert.match(fixed(m.text, 'agent/product-key-ignored'), /- name: DD_DELEGATED_AUTH_PROVIDER\n/);
  });
});

describe('names', () => {
  test('a misspelt name: unknown-key with "did you mean", renamed by the fix (quotes kept)', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: "«DD_DELEGATED_AUTH_ORGUUID»"
        value: ${UUID}`));
    assert.deepEqual(hits(m.text, 'agent/unknown-key'), [['agent/unknown-key', 'warning', m.ranges[0]]]);
    assert.match(lint(m.text)[0].message, /did you mean `DD_DELEGATED_AUTH_ORG_UUID`\?/);
    assert.match(fixed(m.text, 'agent/unknown-key'), /- name: "DD_DELEGATED_AUTH_ORG_UUID"\n/);
  });

  test('a misspelt name fires even in a container that configures nothing else', () => {
    const m = marked(daemonSet(`
      - name: «DD_DELEGATD_AUTH_ORG_UUID»
        value: ${UUID}`));
    assert.deepEqual(hits(m.text, 'agent/unknown-key').map((h) => h[2]), [m.ranges[0]]);
  });

  test('lower case is another variable: unknown-key, fixed to upper case', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: «dd_delegated_auth_org_uuid»
        value: ${UUID}`));
    assert.deepEqual(hits(m.text, 'agent/unknown-key').map((h) => h[2]), [m.ranges[0]]);
    assert.match(fixed(m.text, 'agent/unknown-key'), /- name: DD_DELEGATED_AUTH_ORG_UUID\n/);
  });

  test('legacy: ENABLED and REFRESH_INTERVAL (seconds → minutes)', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: «DD_DELEGATED_AUTH_ENABLED»
        value: "true"
      - name: «DD_DELEGATED_AUTH_REFRESH_INTERVAL»
        value: "3600"`));
    assert.deepEqual(hits(m.text, 'agent/legacy-key').map((h) => h[2]), m.ranges);
    const after = fixed(m.text, 'agent/legacy-key');
    assert.match(after, /- name: DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS\n\s+value: "60"\n/);
  });

  test('a section the Agent does not read: unsupported-section on the name', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: «DD_APM_CONFIG_DELEGATED_AUTH_ORG_UUID»
        value: ${UUID}`));
    assert.deepEqual(hits(m.text, 'agent/unsupported-section'), [['agent/unsupported-section', 'error', m.ranges[0]]]);
    assert.deepEqual(hits(m.text, 'agent/unknown-key'), []);
  });

  test('the same variable twice: duplicate-key on the second; only the last value is judged', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: not-judged
      - name: «DD_DELEGATED_AUTH_ORG_UUID»
        value: ${UUID}`));
    assert.deepEqual(hits(m.text, 'agent/duplicate-key'), [['agent/duplicate-key', 'error', m.ranges[0]]]);
    assert.deepEqual(hits(m.text, 'agent/org-uuid-invalid'), []);
  });
});

describe('site, fallback, version', () => {
  test('DD_SITE unknown: a warning on the value, fixed; a gov site with delegated auth: an error', () => {
    const m = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: DD_SITE
        value: «datadoghq.eux»`));
    assert.deepEqual(hits(m.text, 'agent/unknown-site'), [['agent/unknown-site', 'warning', m.ranges[0]]]);
    assert.match(fixed(m.text, 'agent/unknown-site'), /value: datadoghq\.eu\n/);
    const gov = marked(daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: DD_SITE
        value: «ddog-gov.com»`));
    assert.deepEqual(hits(gov.text, 'agent/gov-site-unsupported'), [['agent/gov-site-unsupported', 'error', gov.ranges[0]]]);
  });

  test('DD_SITE in a container without delegated auth: quiet (unrelated workloads stay quiet)', () => {
    const text = daemonSet(`
      - name: DD_SITE
        value: datadoghq.eux`);
    assert.deepEqual(lint(text), []);
  });

  test('no API key at all: no-fallback-api-key on the org UUID name; a key from a Secret counts; envFrom keeps it quiet', () => {
    const m = marked(daemonSet(`
      - name: «DD_DELEGATED_AUTH_ORG_UUID»
        value: ${UUID}`));
    assert.deepEqual(hits(m.text, 'agent/no-fallback-api-key'), [['agent/no-fallback-api-key', 'info', m.ranges[0]]]);
    const viaSecret = daemonSet(`
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}`);
    assert.deepEqual(lint(viaSecret), []);
    const opaque = daemonSet(
      `
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}`,
      { extra: '          envFrom:\n            - secretRef: {name: datadog-keys}\n' },
    );
    assert.deepEqual(lint(opaque), []);
  });

  test('a per-product section falls back on its own key or DD_API_KEY', () => {
    const m = marked(daemonSet(`
      - name: «DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID»
        value: ${UUID}`));
    assert.deepEqual(hits(m.text, 'agent/no-fallback-api-key').map((h) => h[2]), [m.ranges[0]]);
    const own = daemonSet(`
      - name: DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}
      - name: DD_LOGS_CONFIG_API_KEY
        valueFrom: {secretKeyRef: {name: s, key: k}}`);
    assert.deepEqual(lint(own), []);
  });

  test('an Agent image older than 7.78.0: version-unsupported on the image; newer, latest, 7, a digest: quiet', () => {
    const env = `
      ${withKey}
      - name: DD_DELEGATED_AUTH_ORG_UUID
        value: ${UUID}`;
    const m = marked(daemonSet(env, { image: '«gcr.io/datadoghq/agent:7.77.1-jmx»' }));
    assert.deepEqual(hits(m.text, 'agent/version-unsupported'), [['agent/version-unsupported', 'error', m.ranges[0]]]);
    assert.match(lint(m.text)[0].message, /^Agent 7\.77\.1 .* need Agent 7\.78\.0 or later/);
    for (const image of ['gcr.io/datadoghq/agent:7.78.0', 'datadog/agent:latest', 'public.ecr.aws/datadog/agent:7', 'datadog/agent@sha256:' + 'a'.repeat(64), 'gcr.io/datadoghq/cluster-agent:7.50.0', 'nginx:1.2.3']) {
      assert.deepEqual(lint(daemonSet(env, { image })), [], image);
    }
    // Without delegated auth, an old Agent is none of our business.
    assert.deepEqual(lint(daemonSet('- {name: DD_SITE, value: datadoghq.com}', { image: 'datadog/agent:7.50.0' })), []);
  });
});

describe('replaceLiteral', () => {
  const index = new TextIndex('x: 1');
  const lit = (syntax: 'yaml' | 'json' | 'hcl', text = '1') => ({ kind: 'literal' as const, text, span: { start: 3, end: 4 }, syntax, replaceable: true });
  test('YAML keeps a string a string; JSON and HCL write strings; HCL escapes interpolation', () => {
    assert.equal(replaceLiteral(index, lit('yaml'), 'aws')!.newText, 'aws');
    assert.equal(replaceLiteral(index, lit('yaml'), '60')!.newText, '"60"');
    assert.equal(replaceLiteral(index, lit('yaml'), 'yes')!.newText, '"yes"');
    assert.equal(replaceLiteral(index, lit('json'), 'aws')!.newText, '"aws"');
    assert.equal(replaceLiteral(index, lit('hcl'), '${x}')!.newText, '"$${x}"');
    assert.equal(replaceLiteral(index, { ...lit('yaml'), replaceable: false }, 'aws'), undefined);
    assert.equal(replaceLiteral(index, { ...lit('yaml'), inner: { start: 3, end: 4 } }, 'a b')!.newText, 'a b');
  });
});

test('judgeAgentEnv on a model without text shapes: a literal of every syntax is judged the same', () => {
  // ECS JSON and Terraform readers fill the same model; the judgment does not depend on the syntax.
  const text = '{"DD_DELEGATED_AUTH_ORG_UUID": "nope"}';
  const sink = new FindingCollector();
  judgeAgentEnv(
    {
      workloads: [
        {
          form: 'ecs',
          label: 'container `agent`',
          anchor: { start: 0, end: 1 },
          settings: [{ name: 'DD_DELEGATED_AUTH_ORG_UUID', label: 'DD_DELEGATED_AUTH_ORG_UUID', nameSpan: { start: 2, end: 28 }, value: { kind: 'literal', text: 'nope', span: { start: 31, end: 37 }, syntax: 'json', replaceable: true } }],
          opaqueSources: [],
          images: [],
        },
      ],
      serviceAccounts: [],
    },
    new TextIndex(text),
    sink,
  );
  const found = sink.findings();
  assert.deepEqual(
    found.map((f) => [f.code, f.range.start.character, f.range.end.character]),
    [
      ['agent/org-uuid-invalid', 31, 37],
      ['agent/no-fallback-api-key', 2, 28],
    ],
  );
});
