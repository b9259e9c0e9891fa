// The Kubernetes reader (agentEnv/kubernetes.ts) through readAgentEnv: which
// containers it finds in which kinds, what it takes as literal, unknown or
// opaque, the images and ServiceAccounts; weird shapes and unrelated
// manifests; every YAML of the shared corpus.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readAgentEnv } from '../../server/src/service/agentEnv/readers';
import { lintAgentEnv } from '../../server/src/service/agentEnv/lint';
import type { AgentEnvFile, SettingValue } from '../../server/src/service/agentEnv/settings';
import { marked, yaml, SHARED_DIR } from '../helpers/markers';
import { Rng, assertWellFormed, randomCharFrom, textMutations } from '../helpers/corpus';
import { yamlParseWork } from '../../server/src/service/agent/lint';

const UUID = '11111111-2222-3333-4444-555555555555';

function spanText(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

function describeValue(text: string, v: SettingValue): string {
  return v.kind === 'literal' ? `literal ${JSON.stringify(v.text)} @${spanText(text, v.span)}` : `unknown (${v.source})`;
}

function summary(text: string, file: AgentEnvFile) {
  return file.workloads.map((w) => ({
    label: w.label,
    settings: w.settings.map((s) => `${s.name}=${describeValue(text, s.value)}`),
    opaque: w.opaqueSources.map((o) => o.what),
    images: w.images.map((i) => spanText(text, i.span)),
    role: w.role && { via: w.role.via, sa: w.role.serviceAccount, at: spanText(text, w.role.span) },
  }));
}

test('a multi-document file: DaemonSet, CronJob, a List of a Deployment, a ServiceAccount and an unrelated ConfigMap', () => {
  const text = yaml`
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: unrelated}
    data: {datadog: "yes"}
    ---
    apiVersion: extensions/v1beta1
    kind: DaemonSet
    metadata:
      name: datadog
      namespace: monitoring
    spec:
      template:
        spec:
          serviceAccountName: datadog-agent
          initContainers:
            - name: init
              image: busybox
          containers:
            - name: agent
              image: "gcr.io/datadoghq/agent:7.78.1"
              env:
                - name: DD_DELEGATED_AUTH_ORG_UUID
                  value: "${UUID}"
                - name: DD_API_KEY
                  valueFrom:
                    secretKeyRef:
                      name: datadog-secret
                      key: api-key
                - name: DD_SITE
                - name: DD_HOSTNAME
                  valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
              envFrom:
                - configMapRef: {name: extra}
    ---
    apiVersion: batch/v1
    kind: CronJob
    metadata: {name: check}
    spec:
      jobTemplate:
        spec:
          template:
            spec:
              containers:
                - name: probe
                  image: datadog/agent:7
                  env: [{name: DD_DELEGATED_AUTH_AWS_REGION, value: 'us-east-1'}]
    ---
    apiVersion: v1
    kind: List
    items:
      - apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers: [{name: app, image: nginx}]
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: datadog-agent
      namespace: monitoring
      annotations:
        eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/dd-agent
  `;
  const file = readAgentEnv(text);
  assert.deepEqual(summary(text, file), [
    { label: 'init container `init` of DaemonSet `datadog`', settings: [], opaque: [], images: ['busybox'], role: { via: 'irsa', sa: { name: 'datadog-agent', namespace: 'monitoring' }, at: 'datadog-agent' } },
    {
      label: 'container `agent` of DaemonSet `datadog`',
      settings: [
        `DD_DELEGATED_AUTH_ORG_UUID=literal "${UUID}" @"${UUID}"`,
        'DD_API_KEY=unknown (from Secret `datadog-secret` key `api-key`)',
        'DD_SITE=literal "" @DD_SITE',
        "DD_HOSTNAME=unknown (from the pod's `spec.nodeName`)",
      ],
      opaque: ['every key of ConfigMap `extra`'],
      images: ['"gcr.io/datadoghq/agent:7.78.1"'],
      role: { via: 'irsa', sa: { name: 'datadog-agent', namespace: 'monitoring' }, at: 'datadog-agent' },
    },
    {
      label: 'container `probe` of CronJob `check`',
      settings: ["DD_DELEGATED_AUTH_AWS_REGION=literal \"us-east-1\" @'us-east-1'"],
      opaque: [],
      images: ['datadog/agent:7'],
      role: { via: 'irsa', sa: { name: 'default' }, at: 'probe' },
    },
    { label: 'container `app` of Deployment `web`', settings: [], opaque: [], images: ['nginx'], role: { via: 'irsa', sa: { name: 'default' }, at: 'app' } },
  ]);
  assert.equal(file.serviceAccounts.length, 1);
  const sa = file.serviceAccounts[0];
  assert.equal(sa.name, 'datadog-agent');
  assert.equal(sa.namespace, 'monitoring');
  assert.equal(sa.roleArn?.kind === 'literal' && sa.roleArn.text, 'arn:aws:iam::123456789012:role/dd-agent');
});

test('a Pod, a Job, a StatefulSet: each kind\'s pod spec; a name of a bare env entry is where its empty value lands', () => {
  const m = marked(yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
        - name: a
          env:
            - name: DD_DELEGATED_AUTH_ORG_UUID
              value: «nope»
    ---
    apiVersion: batch/v1
    kind: Job
    metadata: {name: j}
    spec: {template: {spec: {containers: [{name: b, env: [{name: DD_DELEGATED_AUTH_ORG_UUID, value: «x»}]}]}}}
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: s}
    spec: {template: {spec: {containers: [{name: c, env: [{name: DD_DELEGATED_AUTH_ORG_UUID, value: «"y"»}]}]}}}
  `);
  const findings = lintAgentEnv(m.text).filter((f) => f.code === 'agent/org-uuid-invalid');
  assert.deepEqual(
    findings.map((f) => f.range),
    m.ranges,
  );
  assert.deepEqual(
    readAgentEnv(m.text).workloads.map((w) => w.label),
    ['container `a` of Pod `p`', 'container `b` of Job `j`', 'container `c` of StatefulSet `s`'],
  );
});

test('weird shapes read as far as they make sense, never throw', () => {
  const texts = [
    'apiVersion: v1\nkind: Pod\nspec: [1, 2]\n',
    'apiVersion: v1\nkind: Pod\nspec:\n  containers: {a: b}\n',
    'apiVersion: v1\nkind: Pod\nspec:\n  containers: [1, null, [x], {env: 3}, {env: [1, {name: null}, {name: [a]}, {name: DD_SITE, value: {a: b}}]}]\n',
    'apiVersion: v1\nkind: [DaemonSet]\nspec: {}\n',
    'apiVersion: v1\nkind: 7\n',
    'apiVersion: v1\nkind: List\nitems: 3\n',
    'apiVersion: v1\nkind: List\nitems: [{kind: List, items: [{kind: List, items: [{kind: List, items: [{kind: List, items: [{kind: List, items: []}]}]}]}]}]\n',
    'apiVersion: v1\nkind: Pod\nspec: &s\n  containers:\n    - &c {name: a, env: [{name: DD_DELEGATED_AUTH_ORG_UUID, value: &v nope}]}\n    - *c\nother: *s\n',
    'apiVersion: v1\nkind: Pod\nspec:\n  <<: {containers: [{name: m, env: [{name: DD_DELEGATED_AUTH_ORG_UUID, value: nope}]}]}\n',
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: [x]\n',
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, annotations: 5}\n',
    '{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a", "env": [{"name": "DD_DELEGATED_AUTH_ORG_UUID", "value": "nope"}]}]}}',
    'apiVersion: v1\nkind: Pod\n' + '['.repeat(5000) + ']'.repeat(5000) + '\n',
    'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      env:\n        - name: DD_DELEGATED_AUTH_ORG_UUID\n          value: "unterminated\n',
  ];
  for (const text of texts) {
    assert.doesNotThrow(() => lintAgentEnv(text), text.slice(0, 60));
  }
  // The alias reaches the container twice: two workloads, but the value is written once: its fix would not be offered through the alias.
  const aliased = readAgentEnv(texts[7]);
  assert.equal(aliased.workloads.length, 2);
  const second = aliased.workloads[1].settings[0].value;
  assert.equal(second.kind === 'literal' && second.replaceable, false);
  // Merged in by `<<`: read, not replaceable.
  const merged = readAgentEnv(texts[8]).workloads[0].settings[0].value;
  assert.equal(merged.kind === 'literal' && merged.text, 'nope');
  // JSON parses as YAML: the same workload.
  assert.equal(lintAgentEnv(texts[11]).filter((f) => f.code === 'agent/org-uuid-invalid').length, 1);
  // Mutations of a real manifest (the fuzz helpers shared with the other readers): never a throw, ranges inside the text.
  const base = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: datadog/agent:7.70.0\n          env:\n            - name: DD_DELEGATED_AUTH_ORG_UUID\n              value: "nope"\n            - name: DD_SITE\n              value: datadoghq.eux\n`;
  const rng = new Rng(12);
  const ops = Object.values(textMutations(randomCharFrom(['-', ':', ' ', '\n', '{', '[', '"', "'", '&a', '*a', '<<: ', 'DD_', '#'])));
  for (let i = 0; i < 300; i++) {
    let mutated = base;
    for (let n = rng.between(1, 3); n > 0; n--) mutated = rng.pick(ops)(mutated, rng);
    assertWellFormed(lintAgentEnv(mutated), mutated, `mutation ${i}`);
  }
});

test('a Helm chart template: `{{ … }}` values are unknown, templated names are skipped', () => {
  const text = yaml`
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: '{{ template "datadog.fullname" . }}'}
    spec:
      template:
        spec:
          containers:
            - name: agent
              image: "{{ .Values.agents.image.repository }}:{{ .Values.agents.image.tag }}"
              env:
                - name: DD_DELEGATED_AUTH_ORG_UUID
                  value: "{{ .Values.orgUuid }}"
                - name: "{{ .Values.extraName }}"
                  value: x
                - name: DD_API_KEY
                  value: {{ .Values.apiKey | quote }}
  `;
  const [w] = readAgentEnv(text).workloads;
  assert.deepEqual(w.settings.map((s) => [s.name, s.value.kind]), [['DD_DELEGATED_AUTH_ORG_UUID', 'unknown'], ['DD_API_KEY', 'unknown']]);
  assert.equal(w.images[0].unknown, true);
  assert.deepEqual(lintAgentEnv(text), []);
});

test('a Secret or ConfigMap in the same file supplies a valueFrom: judged where it is written, once for every container that reads it', () => {
  const m = marked(yaml`
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: dd, namespace: mon}
    data:
      org: «not-a-uuid»
      region: us-east-1
    ---
    apiVersion: v1
    kind: Secret
    metadata: {name: keys, namespace: mon}
    data:
      api: ${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}
      bad: "%%%"
    ---
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: a, namespace: mon}
    spec:
      template:
        spec:
          containers:
            - name: one
              env:
                - {name: DD_DELEGATED_AUTH_ORG_UUID, valueFrom: {configMapKeyRef: {name: dd, key: org}}}
                - {name: DD_API_KEY, valueFrom: {secretKeyRef: {name: keys, key: api}}}
                - {name: DD_SITE, valueFrom: {secretKeyRef: {name: keys, key: bad}}}
            - name: two
              env:
                - {name: DD_DELEGATED_AUTH_ORG_UUID, valueFrom: {configMapKeyRef: {name: dd, key: org}}}
                - {name: DD_API_KEY, valueFrom: {secretKeyRef: {name: keys, key: api}}}
  `);
  const file = readAgentEnv(m.text);
  const one = file.workloads[0].settings.map((s) => [s.name, s.value.kind === 'literal' ? s.value.text : s.value.kind]);
  assert.deepEqual(one, [
    ['DD_DELEGATED_AUTH_ORG_UUID', 'not-a-uuid'],
    ['DD_API_KEY', '0123456789abcdef0123456789abcdef'],
    ['DD_SITE', 'unknown'],
  ]);
  // The base64 value is not editable in place; the ConfigMap's is.
  const api = file.workloads[0].settings[1].value;
  assert.equal(api.kind === 'literal' && api.replaceable, false);
  const findings = lintAgentEnv(m.text);
  assert.deepEqual(findings.map((f) => [f.code, f.range]), [['agent/org-uuid-invalid', m.ranges[0]]]);
  // Another namespace's ConfigMap of the same name does not answer.
  const elsewhere = m.text.replace('metadata: {name: dd, namespace: mon}', 'metadata: {name: dd, namespace: other}');
  assert.deepEqual(lintAgentEnv(elsewhere), []);
});

test('an unrelated manifest that mentions datadog stays quiet', () => {
  const text = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      annotations: {ad.datadoghq.com/web.logs: '[{"source":"nginx"}]'}
    spec:
      template:
        spec:
          containers:
            - name: web
              image: datadog/agent:6.0.0
              env:
                - {name: DD_SITE, value: not-a-site}
                - {name: DD_AGENT_HOST, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
  `;
  assert.equal(readAgentEnv(text).workloads.length, 1);
  assert.deepEqual(lintAgentEnv(text), []);
  assert.deepEqual(readAgentEnv('apiVersion: v1\nkind: Service\nmetadata: {name: web}\n').workloads, []);
});

test('linear: ten times the containers is one parse of ten times the text and ten times the workloads', () => {
  const container = (i: number) => `        - name: c${i}\n          env:\n            - {name: DD_DELEGATED_AUTH_ORG_UUID, value: nope}\n`;
  const make = (n: number) => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n${Array.from({ length: n }, (_, i) => container(i)).join('')}`;
  for (const n of [200, 2000]) {
    const text = make(n);
    const before = { ...yamlParseWork };
    const file = readAgentEnv(text);
    assert.equal(yamlParseWork.parses - before.parses, 1);
    assert.equal(yamlParseWork.chars - before.chars, text.length);
    assert.equal(file.workloads.length, n);
    assert.equal(file.workloads.reduce((k, w) => k + w.settings.length, 0), n);
  }
});

test('every YAML and JSON file of the shared corpus reads without a throw, and none sets delegated auth so none gets a finding', (t) => {
  const root = path.join(SHARED_DIR, 'corpus');
  if (!fs.existsSync(root)) {
    t.skip(`the shared corpus is absent (${root})`);
    return;
  }
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/i.test(e.name)) files.push(p);
    }
  };
  walk(root);
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    if (/DELEGATED_AUTH/i.test(text)) continue;
    const findings = lintAgentEnv(text);
    assert.deepEqual(findings, [], f);
  }
});
