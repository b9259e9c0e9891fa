// The language service on files that configure Agents by environment
// ('agent-env'): classified by content, linted with suppressions and
// severity overrides, hover, completion, quick fixes and Test Login targets.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService } from '../../server/src/service';
import { applyEdits, marked, yaml } from '../helpers/markers';

const UUID = '11111111-2222-3333-4444-555555555555';
const PATH = '/repo/k8s/agent.yaml';

const MANIFEST = yaml`
  apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: datadog}
  spec:
    template:
      spec:
        containers:
          - name: agent
            image: gcr.io/datadoghq/agent:7.78.0
            env:
              - name: DD_API_KEY
                valueFrom: {secretKeyRef: {name: s, key: k}}
              - name: DD_DELEGATED_AUTH_ORG_UUID
                value: "${UUID}"
              - name: DD_SITE
                value: datadoghq.eux
              - name: AWS_REGION
                value: eu-west-1
`;

describe('kindOf', () => {
  const service = new LanguageService();
  test('a YAML or JSON manifest that configures an Agent is agent-env, by content', () => {
    assert.equal(service.kindOf({ path: PATH, text: MANIFEST }), 'agent-env');
    assert.equal(service.kindOf({ path: 'file:///repo/task.JSON', text: '{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"env": [{"name": "DD_SITE"}]}]}}' }), 'agent-env');
    assert.equal(service.kindOf({ path: 'untitled:Untitled-1', text: MANIFEST }), 'agent-env');
  });
  test('without its text, by another name, or unrelated: not agent-env', () => {
    assert.equal(service.kindOf({ path: PATH }), undefined);
    assert.equal(service.kindOf({ path: '/repo/k8s/agent.txt', text: MANIFEST }), undefined);
    assert.equal(service.kindOf({ path: '/repo/k8s/web.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n' }), undefined);
    // A datadog.yaml stays Agent configuration, whatever it holds; the host's word wins.
    assert.equal(service.kindOf({ path: '/etc/datadog-agent/datadog.yaml', text: MANIFEST }), 'agent');
    assert.equal(service.kindOf({ path: PATH, text: MANIFEST, kind: 'agent' }), 'agent');
  });
});

describe('lint', () => {
  test('findings of the env rules, suppression comments and severity overrides', () => {
    const service = new LanguageService();
    const codes = service.lint({ path: PATH, text: MANIFEST }).map((f) => [f.code, f.severity]);
    assert.deepEqual(codes, [['agent/unknown-site', 'warning']]);
    const silenced = MANIFEST.replace('value: datadoghq.eux', 'value: datadoghq.eux # datadog-wif-ignore agent/unknown-site');
    assert.deepEqual(service.lint({ path: PATH, text: silenced }), []);
    assert.deepEqual(
      service.lint({ path: PATH, text: MANIFEST, severity: { 'agent/unknown-site': 'error' } }).map((f) => f.severity),
      ['error'],
    );
    assert.deepEqual(service.lint({ path: PATH, text: MANIFEST, severity: { 'agent/*': 'off' } }), []);
  });

  test('a binary or oversized file is reported once, as not checked', () => {
    const service = new LanguageService();
    const text = 'apiVersion: v1\nkind: Pod\nDD_\u0000\u0001\u0002' + '\u0000'.repeat(100);
    const findings = service.lint({ path: PATH, text });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].code, 'agent/yaml-syntax');
    assert.match(findings[0].message, /^Not checked: this file looks binary, not YAML or JSON text/);
  });
});

describe('quick fixes', () => {
  test('the site fix replaces the value in place', () => {
    const service = new LanguageService();
    const finding = service.lint({ path: PATH, text: MANIFEST })[0];
    const fixes = service.quickFixes({ path: PATH, text: MANIFEST }, finding.range, ['agent/unknown-site']);
    assert.deepEqual(fixes.map((f) => f.fix.title), ['Replace with `datadoghq.eu`']);
    assert.match(applyEdits(MANIFEST, fixes[0].fix.edits), /value: datadoghq\.eu\n/);
  });
});

describe('hover', () => {
  test('on a variable name: what it sets; on a value from a Secret: where it comes from', () => {
    const service = new LanguageService();
    const m = marked(MANIFEST.replace('- name: DD_DELEGATED_AUTH_ORG_UUID', '- name: «DD_DELEGATED‸_AUTH_ORG_UUID»'));
    const h = service.hover({ path: PATH, text: m.text }, m.cursor!);
    assert.ok(h);
    assert.deepEqual(h.range, m.ranges[0]);
    assert.match(h.contents, /^\*\*`DD_DELEGATED_AUTH_ORG_UUID`\*\* sets `delegated_auth\.org_uuid`/);
    assert.match(h.contents, /turns delegated authentication on|Setting it is what turns/);
    const v = marked(MANIFEST.replace('valueFrom: {secretKeyRef: {name: s, key: k}}', 'valueFrom: «{secretKeyRef: {name: s‸, key: k}}»'));
    const hv = service.hover({ path: PATH, text: v.text }, v.cursor!);
    assert.ok(hv);
    assert.deepEqual(hv.range, v.ranges[0]);
    assert.match(hv.contents, /the value comes from Secret `s` key `k`/);
    const s = marked(MANIFEST.replace('value: datadoghq.eux', 'value: datadoghq.‸eu'));
    assert.match(service.hover({ path: PATH, text: s.text }, s.cursor!)!.contents, /`datadoghq\.eu` \(EU1\)/);
  });
});

describe('completion', () => {
  const service = new LanguageService();
  const at = (text: string) => {
    const m = marked(text);
    return service.complete({ path: PATH, text: m.text }, m.cursor!);
  };
  test('variable names after `- name:` and on a word starting with DD_', () => {
    const items = at(MANIFEST.replace('- name: AWS_REGION', '- name: DD_DEL‸'));
    assert.ok(items.some((i) => i.label === 'DD_DELEGATED_AUTH_ORG_UUID'));
    assert.ok(items.some((i) => i.label === 'DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID'));
    const compose = 'services:\n  agent:\n    image: datadog/agent:7.78.0\n    environment:\n      DD_‸\n';
    assert.ok(service.complete({ path: '/repo/compose.yaml', text: compose.replace('‸', '') }, { line: 4, character: 9 }).some((i) => i.label === 'DD_SITE'));
  });
  test('values: sites after DD_SITE, regions after the region variable, aws after the provider', () => {
    assert.ok(at(MANIFEST.replace('value: datadoghq.eux', 'value: ‸')).some((i) => i.label === 'datadoghq.eu'));
    const region = MANIFEST.replace('- name: AWS_REGION\n              value: eu-west-1', '- name: DD_DELEGATED_AUTH_AWS_REGION\n              value: eu-‸');
    const items = at(region);
    assert.ok(items.some((i) => i.label === 'eu-west-1'));
    assert.deepEqual(items[0].range?.start.character, items[0].range!.end.character - 3);
    assert.deepEqual(at(MANIFEST.replace('- name: AWS_REGION\n              value: eu-west-1', '- {name: DD_DELEGATED_AUTH_PROVIDER, value: ‸}')).map((i) => i.label), ['aws']);
    // Not after a variable that takes free text.
    assert.deepEqual(at(MANIFEST.replace(`value: "${UUID}"`, 'value: ‸')), []);
  });
});

describe('loginTargets', () => {
  test('one per org UUID variable, with the site and region (AWS_REGION) of the same container', () => {
    const service = new LanguageService();
    const fixed = MANIFEST.replace('datadoghq.eux', 'datadoghq.eu');
    const targets = service.loginTargets({ path: PATH, text: fixed });
    assert.equal(targets.length, 1);
    const { range, ...rest } = targets[0];
    assert.deepEqual(rest, { flow: 'agent', label: 'DD_DELEGATED_AUTH_ORG_UUID (container agent of DaemonSet datadog)', orgUuid: UUID, site: 'datadoghq.eu', region: 'eu-west-1' });
    const m = marked(fixed.replace('- name: DD_DELEGATED_AUTH_ORG_UUID', '- name: «DD_DELEGATED_AUTH_ORG_UUID»'));
    assert.deepEqual(range, m.ranges[0]);
  });
  test('an org UUID from a Secret: a target without one (the command asks)', () => {
    const service = new LanguageService();
    const text = MANIFEST.replace(`value: "${UUID}"`, 'valueFrom: {secretKeyRef: {name: s, key: org}}');
    const [t] = service.loginTargets({ path: PATH, text });
    assert.equal(t.orgUuid, undefined);
  });
});
