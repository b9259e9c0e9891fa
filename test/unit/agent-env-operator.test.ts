// The DatadogAgent reader (agentEnv/operator.ts): global and per-component
// settings, images and roles, on the exact characters (caret markers); and
// the same agent/* codes in Helm values and DatadogAgent forms as anywhere
// (through the reader registry and judgeAgentEnv).

import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { YAML_OPTIONS } from '../../server/src/service/agent/lint';
import { readDatadogAgent } from '../../server/src/service/agentEnv/operator';
import { documentRoot } from '../../server/src/service/agentEnv/readers';
import { readAgentEnv } from '../../server/src/service/agentEnv/readers';
import { sniffAgentEnv } from '../../server/src/service/agentEnv/discover';
import { judgeAgentEnv } from '../../server/src/service/agentEnv/rules';
import type { AgentEnvFile, AgentWorkload, EnvSetting } from '../../server/src/service/agentEnv/settings';
import type { Span } from '../../server/src/service/agent/yamlTree';
import type { Finding, Range } from '../../server/src/service';
import { TextIndex } from '../../server/src/service/common/textIndex';
import { marked, yaml } from '../helpers/markers';

const UUID = '11111111-2222-3333-4444-555555555555';

function read(text: string): AgentEnvFile {
  const out: AgentEnvFile = { workloads: [], serviceAccounts: [] };
  for (const doc of parseAllDocuments(text, YAML_OPTIONS)) {
    if (!('contents' in doc)) continue;
    const f = readDatadogAgent(documentRoot(doc)!, text);
    out.workloads.push(...f.workloads);
    out.serviceAccounts.push(...f.serviceAccounts);
  }
  return out;
}

function range(text: string, s: Span): Range {
  return new TextIndex(text).range(s.start, s.end);
}

function brief(s: EnvSetting): string {
  return `${s.name}|${s.label}|${s.value.kind === 'literal' ? `=${s.value.text}` : `?${s.value.source}`}`;
}

function component(file: AgentEnvFile, what: string): AgentWorkload {
  const w = file.workloads.find((x) => x.label.includes(what));
  assert.ok(w, what);
  return w;
}

/** Every finding judgeAgentEnv makes on what the registry reads from `text`. */
function lint(text: string): Finding[] {
  const found: Finding[] = [];
  judgeAgentEnv(readAgentEnv(text), new TextIndex(text), { add: (f) => found.push(f) });
  return found;
}

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code).sort();
}

describe('DatadogAgent reader', () => {
  test('global site, credentials and env, then the component override, then its main container', () => {
    const m = marked(yaml`
      apiVersion: datadoghq.com/v2alpha1
      kind: DatadogAgent
      metadata:
        name: datadog
        namespace: monitoring
      spec:
        global:
          «site»: «datadoghq.eu»
          credentials:
            «apiSecret»:
              «secretName: datadog-secret
              keyName: api-key»
          env:
            - name: «DD_DELEGATED_AUTH_ORG_UUID»
              value: «${UUID}»
        override:
          nodeAgent:
            env:
              - name: DD_DELEGATED_AUTH_AWS_REGION
                value: eu-west-1
            containers:
              trace-agent:
                env:
                  - name: DD_APM_ENABLED
                    value: "true"
              agent:
                env:
                  - name: DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS
                    value: "30"
    `);
    const file = read(m.text);
    assert.equal(file.workloads.length, 1, 'components the file does not override are not read twice');
    const w = file.workloads[0];
    assert.equal(w.form, 'operator');
    assert.match(w.label, /node Agent of DatadogAgent `datadog`/);
    assert.deepEqual(w.settings.map(brief), [
      'DD_API_KEY|spec.global.credentials.apiSecret|?from Secret `datadog-secret` key `api-key`',
      'DD_SITE|spec.global.site|=datadoghq.eu',
      `DD_DELEGATED_AUTH_ORG_UUID|DD_DELEGATED_AUTH_ORG_UUID|=${UUID}`,
      'DD_DELEGATED_AUTH_AWS_REGION|DD_DELEGATED_AUTH_AWS_REGION|=eu-west-1',
      'DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS|DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS|=30',
    ]);
    const [key, site, uuid] = w.settings;
    assert.deepEqual(
      [key.nameSpan, key.value.span, site.nameSpan, site.value.span, uuid.nameSpan, uuid.value.span].map((s) => range(m.text, s)),
      [m.ranges[2], m.ranges[3], m.ranges[0], m.ranges[1], m.ranges[4], m.ranges[5]],
    );
  });

  test('credentials.apiKey is a literal DD_API_KEY; apiSecret takes precedence', () => {
    const base = 'apiVersion: datadoghq.com/v2alpha1\nkind: DatadogAgent\nspec:\n  global:\n    credentials:\n';
    assert.deepEqual(component(read(`${base}      apiKey: abc\n`), 'node Agent').settings.map(brief), ['DD_API_KEY|spec.global.credentials.apiKey|=abc']);
    assert.deepEqual(component(read(`${base}      apiKey: abc\n      apiSecret:\n        secretName: s\n`), 'node Agent').settings.map(brief), ['DD_API_KEY|spec.global.credentials.apiSecret|?from Secret `s`']);
  });

  test('images: a whole image string in name, or name + tag + jmxEnabled under global.registry; no tag is the default, not read', () => {
    const m = marked(yaml`
      apiVersion: datadoghq.com/v2alpha1
      kind: DatadogAgent
      spec:
        global:
          registry: public.ecr.aws/datadog
        override:
          nodeAgent:
            image:
              name: agent
              tag: «7.70.0»
              jmxEnabled: true
          clusterAgent:
            image:
              name: «gcr.io/datadoghq/cluster-agent:7.70.0»
          clusterChecksRunner:
            image:
              name: agent
    `);
    const file = read(m.text);
    const node = component(file, 'node Agent');
    assert.deepEqual(node.images.map((i) => [i.repository, i.tag, i.suffix, range(m.text, i.span)]), [['public.ecr.aws/datadog/agent', '7.70.0', 'jmx', m.ranges[0]]]);
    const dca = component(file, 'Cluster Agent');
    assert.deepEqual(dca.images.map((i) => [i.repository, i.tag, range(m.text, i.span)]), [['gcr.io/datadoghq/cluster-agent', '7.70.0', m.ranges[1]]]);
    assert.deepEqual(component(file, 'Cluster Checks Runner').images, []);
    // A bare name with its tag, under the default registry: the form's default Agent image.
    const bare = component(read('apiVersion: datadoghq.com/v2alpha1\nkind: DatadogAgent\nspec:\n  override:\n    nodeAgent:\n      image:\n        name: "agent:7.60.1"\n        tag: ignored\n'), 'node Agent');
    assert.deepEqual(bare.images.map((i) => [i.repository, i.tag]), [[undefined, '7.60.1']]);
  });

  test('the role from serviceAccountAnnotations, on the ServiceAccount the Operator names', () => {
    const m = marked(yaml`
      apiVersion: datadoghq.com/v2alpha1
      kind: DatadogAgent
      metadata:
        name: datadog
        namespace: dd
      spec:
        override:
          nodeAgent:
            serviceAccountAnnotations:
              «eks.amazonaws.com/role-arn»: «arn:aws:iam::123456789012:role/DatadogAgent»
          clusterAgent:
            serviceAccountName: dca
            serviceAccountAnnotations:
              eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/DCA"
    `);
    const file = read(m.text);
    const role = component(file, 'node Agent').role;
    assert.deepEqual(role && { ...role, span: range(m.text, role.span) }, { via: 'irsa', arn: 'arn:aws:iam::123456789012:role/DatadogAgent', span: m.ranges[1], serviceAccount: { name: 'datadog-agent', namespace: 'dd' } });
    assert.deepEqual(component(file, 'Cluster Agent').role?.serviceAccount, { name: 'dca', namespace: 'dd' });
    assert.deepEqual(file.serviceAccounts.map((s) => [s.name, s.roleArn?.kind === 'literal' ? s.roleArn.text : undefined]), [
      ['datadog-agent', 'arn:aws:iam::123456789012:role/DatadogAgent'],
      ['dca', 'arn:aws:iam::123456789012:role/DCA'],
    ]);
    assert.deepEqual(range(m.text, file.serviceAccounts[0].span), m.ranges[0]);
  });

  test('a DatadogAgent in JSON (`kubectl get -o json`) is sniffed and read, its literals JSON', () => {
    const text = JSON.stringify({ apiVersion: 'datadoghq.com/v2alpha1', kind: 'DatadogAgent', spec: { global: { env: [{ name: 'DD_DELEGATED_AUTH_ORG_UUID', value: UUID }] } } }, null, 2);
    assert.ok(sniffAgentEnv(text).includes('operator'));
    const [s] = readAgentEnv(text).workloads.find((w) => w.form === 'operator')!.settings;
    assert.ok(s.value.kind === 'literal' && s.value.syntax === 'json' && s.value.text === UUID);
  });

  test('other kinds, v1alpha1 and weird shapes give nothing and never throw', () => {
    assert.deepEqual(read('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n').workloads, []);
    assert.deepEqual(read('apiVersion: datadoghq.com/v1alpha1\nkind: DatadogAgent\nspec:\n  agent:\n    env: []\n').workloads, []);
    for (const s of [
      'kind: DatadogAgent\nspec: 5\n',
      'kind: DatadogAgent\nspec:\n  global: []\n  override: [1]\n',
      'kind: DatadogAgent\nspec:\n  global:\n    env: {a: 1}\n    credentials: x\n  override:\n    nodeAgent:\n      image: 7\n      containers: [a]\n      serviceAccountAnnotations: [1]\n',
      'kind: DatadogAgent\nspec:\n  override:\n    nodeAgent:\n      image:\n        name: [x]\n        tag: {a: 1}\n',
    ])
      assert.doesNotThrow(() => read(s), s);
  });
});

describe('the same agent/* codes in Helm values and DatadogAgent', () => {
  const helm = (env: string, datadog = '  apiKeyExistingSecret: datadog-secret\n', agents = '') => `datadog:\n${datadog}  env:\n${env}${agents}`;
  const operator = (env: string, global = '    credentials:\n      apiSecret:\n        secretName: datadog-secret\n', override = '') =>
    `apiVersion: datadoghq.com/v2alpha1\nkind: DatadogAgent\nmetadata:\n  name: datadog\nspec:\n  global:\n${global}    env:\n${env.replace(/^/gm, '  ').replace(/\n {2}$/, '\n')}${override}`;
  const uuidEnv = (v: string) => `    - name: DD_DELEGATED_AUTH_ORG_UUID\n      value: "${v}"\n`;

  test('a wrong org UUID: agent/org-uuid-invalid on the value, in both forms', () => {
    for (const text of [helm(uuidEnv('not-a-uuid')), operator(uuidEnv('not-a-uuid'))]) {
      const found = lint(text).filter((f) => f.code === 'agent/org-uuid-invalid');
      assert.equal(found.length, 1, text);
      const at = text.indexOf('"not-a-uuid"');
      assert.deepEqual(found[0].range, new TextIndex(text).range(at, at + '"not-a-uuid"'.length));
    }
  });

  test('a gov site in datadog.site / spec.global.site: agent/gov-site-unsupported on the value', () => {
    const h = helm(uuidEnv(UUID), '  apiKeyExistingSecret: s\n  site: ddog-gov.com\n');
    const o = operator(uuidEnv(UUID), '    site: ddog-gov.com\n    credentials:\n      apiKey: abc\n');
    for (const text of [h, o]) {
      const found = lint(text).filter((f) => f.code === 'agent/gov-site-unsupported');
      assert.equal(found.length, 1, text);
      assert.ok(found[0].message.includes('`ddog-gov.com`'), found[0].message);
      const at = text.indexOf('ddog-gov.com');
      assert.deepEqual(found[0].range, new TextIndex(text).range(at, at + 'ddog-gov.com'.length));
    }
  });

  test('a misspelt delegated-auth name: agent/unknown-key with "did you mean"', () => {
    const env = uuidEnv(UUID) + '    - name: DD_DELEGATED_AUTH_AWS_REGOIN\n      value: us-east-1\n';
    for (const text of [helm(env), operator(env)]) {
      const found = lint(text).filter((f) => f.code === 'agent/unknown-key');
      assert.equal(found.length, 1, text);
      assert.match(found[0].message, /DD_DELEGATED_AUTH_AWS_REGION/);
    }
  });

  test('an old image tag: agent/version-unsupported on the tag; latest or no tag is not judged', () => {
    const h = helm(uuidEnv(UUID), undefined, 'agents:\n  image:\n    tag: 7.70.0\n');
    const o = operator(uuidEnv(UUID), undefined, '  override:\n    nodeAgent:\n      image:\n        tag: 7.70.0\n');
    for (const text of [h, o]) {
      const found = lint(text).filter((f) => f.code === 'agent/version-unsupported');
      assert.equal(found.length, 1, text);
      const at = text.indexOf('7.70.0');
      assert.deepEqual(found[0].range, new TextIndex(text).range(at, at + '7.70.0'.length));
    }
    assert.deepEqual(lint(helm(uuidEnv(UUID), undefined, 'agents:\n  image:\n    tag: latest\n')).filter((f) => f.code === 'agent/version-unsupported'), []);
    assert.deepEqual(lint(helm(uuidEnv(UUID), undefined, 'agents:\n  image:\n    tag: 7.78.1\n')).filter((f) => f.code === 'agent/version-unsupported'), []);
    // The Cluster Agent's image is not the Agent's.
    assert.deepEqual(lint(helm('', undefined, 'clusterAgent:\n  env:\n' + uuidEnv(UUID) + '  image:\n    tag: 7.70.0\n')).filter((f) => f.code === 'agent/version-unsupported'), []);
  });

  test('apiKeyExistingSecret / apiSecret count as a key: no agent/no-fallback-api-key, no helm-api-key-required', () => {
    for (const text of [helm(uuidEnv(UUID)), operator(uuidEnv(UUID))]) {
      const found = codes(lint(text));
      assert.ok(!found.includes('agent/no-fallback-api-key'), `${text}\n${found}`);
      assert.ok(!found.includes('agent/helm-api-key-required'), `${text}\n${found}`);
    }
    const noKey = codes(lint(helm(uuidEnv(UUID), '  site: datadoghq.com\n')));
    assert.ok(noKey.includes('agent/helm-api-key-required'), String(noKey));
  });

  test('a mistake in spec.global reaches every component the file overrides, and is reported once (on the node Agent)', () => {
    const overrides = '  override:\n    clusterAgent:\n      replicas: 2\n    clusterChecksRunner:\n      replicas: 1\n';
    const text = operator(uuidEnv('not-a-uuid'), '    site: ddog-gov.com\n', overrides);
    assert.equal(readAgentEnv(text).workloads.filter((w) => w.form === 'operator').length, 3);
    assert.deepEqual(codes(lint(text)), ['agent/gov-site-unsupported', 'agent/no-fallback-api-key', 'agent/org-uuid-invalid']);
    // A component whose own env turns delegated auth on is judged with the global settings as its context.
    const dca = operator(uuidEnv(UUID), '    site: datadoghq.eu\n', '  override:\n    clusterAgent:\n      env:\n        - name: DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID\n          value: nope\n');
    assert.deepEqual(component(readAgentEnv(dca), 'Cluster Agent').settings.map((s) => s.name), ['DD_SITE', 'DD_DELEGATED_AUTH_ORG_UUID', 'DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID']);
    assert.deepEqual(codes(lint(dca)), ['agent/no-fallback-api-key', 'agent/no-fallback-api-key', 'agent/no-fallback-api-key', 'agent/org-uuid-invalid']);
  });

  test('a values file of another chart, and the chart without delegated auth, stay quiet', () => {
    assert.deepEqual(lint('replicaCount: 1\nimage:\n  repository: datadog/agent\n  tag: 7.10.0\nenv:\n  - name: DD_DELEGATED_AUTH_ORG_UUID\n    value: x\n'), []);
    assert.deepEqual(lint('datadog:\n  site: ddog-gov.com\n  env:\n    - name: DD_LOGS_ENABLED\n      value: "true"\nagents:\n  image:\n    tag: 7.10.0\n'), []);
    assert.deepEqual(lint('apiVersion: datadoghq.com/v2alpha1\nkind: DatadogAgent\nspec:\n  global:\n    site: ddog-gov.com\n  override:\n    nodeAgent:\n      image:\n        tag: 7.10.0\n'), []);
  });

  test('the examples: each bad one shows its mistakes, each good one nothing', () => {
    const dir = path.resolve(__dirname, '..', '..', '..', 'examples', 'agent-env');
    const expected: Record<string, string[]> = {
      'helm/bad/values.yaml': ['agent/gov-site-unsupported', 'agent/helm-api-key-required', 'agent/org-uuid-invalid', 'agent/refresh-interval-invalid', 'agent/unknown-key', 'agent/version-unsupported'],
      'helm/good/values.yaml': [],
      'operator/bad/datadog-agent.yaml': ['agent/no-fallback-api-key', 'agent/provider-invalid', 'agent/region-invalid', 'agent/secret-in-org-uuid', 'agent/version-unsupported'],
      'operator/good/datadog-agent.yaml': [],
    };
    for (const [file, want] of Object.entries(expected)) assert.deepEqual(codes(lint(readFileSync(path.join(dir, file), 'utf8'))), want, file);
  });
});
