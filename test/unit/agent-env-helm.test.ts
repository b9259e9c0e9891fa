// The Helm values reader (agentEnv/helm.ts) and agent/helm-api-key-required
// (agentEnv/helmRules.ts): what each chart key becomes in the model, on the
// exact characters (caret markers), and when a values file stays quiet.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { YAML_OPTIONS } from '../../server/src/service/agent/lint';
import { readHelmValues } from '../../server/src/service/agentEnv/helm';
import { documentRoot } from '../../server/src/service/agentEnv/readers';
import { judgeHelm } from '../../server/src/service/agentEnv/helmRules';
import { sniffAgentEnv } from '../../server/src/service/agentEnv/discover';
import type { AgentEnvFile, AgentWorkload, EnvSetting } from '../../server/src/service/agentEnv/settings';
import type { Span } from '../../server/src/service/agent/yamlTree';
import type { Finding, Range } from '../../server/src/service';
import { TextIndex } from '../../server/src/service/common/textIndex';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintAgentEnv } from '../../server/src/service/agentEnv/lint';
import { readAgentEnv } from '../../server/src/service/agentEnv/readers';
import { Rng, assertWellFormed, randomCharFrom, textMutations } from '../helpers/corpus';
import { marked, yaml, SHARED_DIR } from '../helpers/markers';

const UUID = '11111111-2222-3333-4444-555555555555';

function read(text: string): AgentEnvFile {
  const out: AgentEnvFile = { workloads: [], serviceAccounts: [] };
  for (const doc of parseAllDocuments(text, YAML_OPTIONS)) {
    if (!('contents' in doc)) continue;
    const f = readHelmValues(documentRoot(doc)!, text);
    out.workloads.push(...f.workloads);
    out.serviceAccounts.push(...f.serviceAccounts);
  }
  return out;
}

function range(text: string, s: Span): Range {
  return new TextIndex(text).range(s.start, s.end);
}

function judge(text: string): Finding[] {
  const found: Finding[] = [];
  judgeHelm(read(text), new TextIndex(text), { add: (f) => found.push(f) });
  return found;
}

function node(file: AgentEnvFile): AgentWorkload {
  const w = file.workloads.find((x) => x.label.includes('node Agent'));
  assert.ok(w, 'a node Agent workload');
  return w;
}

function brief(s: EnvSetting): string {
  return `${s.name}|${s.label}|${s.value.kind === 'literal' ? `=${s.value.text}` : `?${s.value.source}`}`;
}

describe('Helm values reader', () => {
  test('datadog.env, datadog.envDict (sorted, as Go ranges a map) and agents.containers.agent.env reach the node Agent in the order the chart renders them', () => {
    const m = marked(yaml`
      datadog:
        «apiKeyExistingSecret»: «datadog-secret»
        «site»: «datadoghq.eu»
        env:
          - name: «DD_DELEGATED_AUTH_ORG_UUID»
            value: «"${UUID}"»
        envDict:
          «DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID»: «${UUID}»
          «DD_DELEGATED_AUTH_AWS_REGION»: «us-east-1»
      agents:
        containers:
          agent:
            env:
              - name: «DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS»
                valueFrom:
                  «configMapKeyRef: {name: dd, key: refresh}»
    `);
    const w = node(read(m.text));
    assert.deepEqual(w.settings.map(brief), [
      'DD_API_KEY|datadog.apiKeyExistingSecret|?from Secret `datadog-secret`',
      'DD_SITE|datadog.site|=datadoghq.eu',
      `DD_DELEGATED_AUTH_ORG_UUID|DD_DELEGATED_AUTH_ORG_UUID|=${UUID}`,
      'DD_DELEGATED_AUTH_AWS_REGION|DD_DELEGATED_AUTH_AWS_REGION|=us-east-1',
      `DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID|DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID|=${UUID}`,
      'DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS|DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS|?from ConfigMap `dd` key `refresh`',
    ]);
    const r = m.ranges;
    const [key, site, uuid, region, logsUuid, refresh] = w.settings;
    assert.deepEqual([range(m.text, key.nameSpan), range(m.text, key.value.span)], [r[0], r[1]]);
    assert.deepEqual([range(m.text, site.nameSpan), range(m.text, site.value.span)], [r[2], r[3]]);
    // The quoted value's range holds its quotes: a quick fix replaces all of it.
    assert.deepEqual([range(m.text, uuid.nameSpan), range(m.text, uuid.value.span)], [r[4], r[5]]);
    assert.deepEqual([range(m.text, logsUuid.nameSpan), range(m.text, logsUuid.value.span)], [r[6], r[7]]);
    assert.deepEqual([range(m.text, region.nameSpan), range(m.text, region.value.span)], [r[8], r[9]]);
    assert.deepEqual([range(m.text, refresh.nameSpan), range(m.text, refresh.value.span)], [r[10], r[11]]);
    assert.equal(w.form, 'helm');
    assert.ok(uuid.value.kind === 'literal' && uuid.value.replaceable && uuid.value.syntax === 'yaml');
  });

  test('datadog.env does not reach the Cluster Agent; clusterAgent.env does, after the shared DD_API_KEY and DD_SITE', () => {
    const file = read(yaml`
      datadog:
        apiKey: "0123456789abcdef0123456789abcdef"
        site: us3.datadoghq.com
        env:
          - name: DD_DELEGATED_AUTH_ORG_UUID
            value: ${UUID}
      clusterAgent:
        env:
          - name: DD_DELEGATED_AUTH_AWS_REGION
            value: eu-west-1
    `);
    const dca = file.workloads.find((w) => w.label.includes('Cluster Agent'));
    assert.ok(dca);
    assert.deepEqual(dca.settings.map(brief), ['DD_API_KEY|datadog.apiKey|=0123456789abcdef0123456789abcdef', 'DD_SITE|datadog.site|=us3.datadoghq.com', 'DD_DELEGATED_AUTH_AWS_REGION|DD_DELEGATED_AUTH_AWS_REGION|=eu-west-1']);
    assert.deepEqual(node(file).settings.map((s) => s.name), ['DD_API_KEY', 'DD_SITE', 'DD_DELEGATED_AUTH_ORG_UUID']);
    // The Cluster Checks Runner is off by default: no workload.
    assert.equal(file.workloads.length, 2);
  });

  test('apiKeyExistingSecret takes precedence over apiKey; an empty one is not set', () => {
    const both = node(read(yaml`
      datadog:
        apiKey: abc
        apiKeyExistingSecret: s
    `));
    assert.deepEqual(both.settings.map(brief), ['DD_API_KEY|datadog.apiKeyExistingSecret|?from Secret `s`']);
    const emptySecret = node(read(yaml`
      datadog:
        apiKey: abc
        apiKeyExistingSecret: ""
    `));
    assert.deepEqual(emptySecret.settings.map(brief), ['DD_API_KEY|datadog.apiKey|=abc']);
    const none = node(read(yaml`
      datadog:
        apiKey:
        site: datadoghq.com
    `));
    assert.equal(none.helmChart?.apiKeyGiven, false);
    assert.deepEqual(none.settings.map((s) => s.name), ['DD_SITE']);
  });

  test('the chart renders a falsy value as no value, and a template as something we cannot see', () => {
    const w = node(read(yaml`
      datadog:
        env:
          - name: DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS
            value: 0
          - name: DD_DELEGATED_AUTH_ORG_UUID
            value: "{{ .Values.orgUuid }}"
          - name: dd_delegated_auth_provider
            value: aws
        envDict:
          DD_DELEGATED_AUTH_AWS_REGION:
            valueFrom:
              secretKeyRef: {name: aws, key: region}
    `));
    assert.deepEqual(w.settings.map(brief), [
      'DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS|DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS|=',
      'DD_DELEGATED_AUTH_ORG_UUID|DD_DELEGATED_AUTH_ORG_UUID|?from a template (`{{ … }}`)',
      'DD_DELEGATED_AUTH_PROVIDER|dd_delegated_auth_provider|=aws',
      'DD_DELEGATED_AUTH_AWS_REGION|DD_DELEGATED_AUTH_AWS_REGION|?from Secret `aws` key `region`',
    ]);
  });

  test('images: the tag apart from the repository, its suffix; no tag (the chart default) or a digest is not read', () => {
    const m = marked(yaml`
      agents:
        image:
          repository: public.ecr.aws/datadog/agent
          tag: «7.70.0»
          tagSuffix: jmx
      clusterAgent:
        image:
          tag: «7.70.0»
    `);
    const file = read(m.text);
    assert.deepEqual(node(file).images.map((i) => [i.repository, i.tag, i.suffix, range(m.text, i.span)]), [['public.ecr.aws/datadog/agent', '7.70.0', 'jmx', m.ranges[0]]]);
    // The Cluster Agent's own image, not the Agent's: core's image check tells them apart by repository.
    assert.deepEqual(file.workloads[1].images.map((i) => [i.repository, i.tag, range(m.text, i.span)]), [['cluster-agent', '7.70.0', m.ranges[1]]]);
    assert.deepEqual(node(read('agents:\n  image:\n    name: agent\n')).images, []);
    assert.deepEqual(node(read('agents:\n  image:\n    tag: 7.50.0\n    digest: sha256:abc\n')).images, []);
    const registry = node(read('registry: docker.io/datadog\nagents:\n  image:\n    tag: 7.50.0\n'));
    assert.deepEqual(registry.images.map((i) => [i.repository, i.tag]), [['docker.io/datadog/agent', '7.50.0']]);
    const numeric = node(read('agents:\n  image:\n    tag: 7.50\n'));
    assert.equal(numeric.images[0].tag, '7.50', 'the tag as written, not the number YAML reads');
    assert.equal(node(read('agents:\n  image:\n    tag: "{{ .Values.tag }}"\n')).images[0].unknown, true);
  });

  test('the IRSA annotation of the chart-created ServiceAccount is the node Agent role; with rbac.create false, the named ServiceAccount', () => {
    const m = marked(yaml`
      fullnameOverride: datadog
      agents:
        rbac:
          serviceAccountAnnotations:
            «eks.amazonaws.com/role-arn»: «arn:aws:iam::123456789012:role/DatadogAgent»
    `);
    const file = read(m.text);
    const role = node(file).role;
    assert.deepEqual(role && { ...role, span: range(m.text, role.span) }, { via: 'irsa', arn: 'arn:aws:iam::123456789012:role/DatadogAgent', span: m.ranges[1], serviceAccount: { name: 'datadog' } });
    assert.equal(file.serviceAccounts.length, 1);
    assert.equal(file.serviceAccounts[0].name, 'datadog');
    assert.deepEqual(range(m.text, file.serviceAccounts[0].span), m.ranges[0]);

    // Without fullnameOverride the name depends on the release: the role is still known, the ServiceAccount's name is not.
    const unnamed = read('agents:\n  rbac:\n    serviceAccountAnnotations:\n      eks.amazonaws.com/role-arn: arn:aws:iam::1:role/x\n');
    assert.equal(node(unnamed).role?.arn, 'arn:aws:iam::1:role/x');
    assert.equal(node(unnamed).role?.serviceAccount, undefined);
    assert.deepEqual(unnamed.serviceAccounts, []);

    const existing = node(read('agents:\n  rbac:\n    create: false\n    serviceAccountName: dd-agent\n    serviceAccountAnnotations:\n      eks.amazonaws.com/role-arn: arn:aws:iam::1:role/ignored\n'));
    assert.equal(existing.role?.arn, undefined, 'the chart applies no annotation to a ServiceAccount it does not create');
    assert.deepEqual(existing.role?.serviceAccount, { name: 'dd-agent' });

    const templated = node(read('agents:\n  rbac:\n    serviceAccountAnnotations:\n      eks.amazonaws.com/role-arn: "{{ .Values.role }}"\n'));
    assert.equal(templated.role?.via, 'irsa');
    assert.equal(templated.role?.arn, undefined);
  });

  test('umbrella charts nest the values under `datadog:`; labels say where', () => {
    const m = marked(yaml`
      datadog:
        datadog:
          «site»: ddog-gov.com
          env:
            - name: DD_DELEGATED_AUTH_ORG_UUID
              value: ${UUID}
        agents:
          image:
            tag: 7.60.0
    `);
    const w = node(read(m.text));
    assert.deepEqual(w.settings.map((s) => s.label), ['datadog.datadog.site', 'DD_DELEGATED_AUTH_ORG_UUID']);
    assert.deepEqual(range(m.text, w.settings[0].nameSpan), m.ranges[0]);
    assert.equal(w.images[0].tag, '7.60.0');
    assert.equal(w.helmChart?.prefix, 'datadog.');
  });

  test('Flux HelmRelease spec.values, Argo CD valuesObject and helmfile releases[].values hold the chart values', () => {
    const release = yaml`
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: datadog
      spec:
        chart:
          spec:
            chart: datadog
        values:
          datadog:
            site: datadoghq.eu
            env:
              - name: DD_DELEGATED_AUTH_ORG_UUID
                value: ${UUID}
    `;
    assert.ok(sniffAgentEnv(release).includes('helm'));
    assert.deepEqual(node(read(release)).settings.map((s) => s.label), ['spec.values.datadog.site', 'DD_DELEGATED_AUTH_ORG_UUID']);
    const argo = yaml`
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      spec:
        source:
          chart: datadog
          helm:
            valuesObject:
              datadog:
                site: datadoghq.eu
    `;
    assert.ok(sniffAgentEnv(argo).includes('helm'));
    assert.deepEqual(node(read(argo)).settings.map((s) => s.label), ['spec.source.helm.valuesObject.datadog.site']);
    const helmfile = yaml`
      releases:
        - name: datadog
          chart: datadog/datadog
          values:
            - values/datadog.yaml
            - datadog:
                site: datadoghq.eu
    `;
    assert.ok(sniffAgentEnv(helmfile).includes('helm'));
    assert.deepEqual(node(read(helmfile)).settings.map((s) => s.label), ['releases[0].values[1].datadog.site']);
  });

  test('a values file that is not the Datadog chart\'s gives nothing', () => {
    assert.deepEqual(read('replicaCount: 2\nimage:\n  repository: nginx\n  tag: 1.25\n').workloads, []);
    assert.deepEqual(read('datadog:\n  enabled: true\n').workloads, []);
    assert.deepEqual(read('kind: HelmRelease\nspec:\n  values:\n    replicaCount: 1\n').workloads, []);
  });

  test('weird shapes never throw and give what can be read', () => {
    const shapes = [
      'datadog: []\n',
      'datadog:\n  env: {a: b}\n  envDict: [1, 2]\n',
      'datadog:\n  env:\n    - 7\n    - name: [x]\n    - name: ""\n    - name: DD_X\n',
      'datadog:\n  env: &e\n    - name: DD_DELEGATED_AUTH_ORG_UUID\n      value: x\nagents:\n  containers:\n    agent:\n      env: *e\n',
      'agents:\n  image: 7\n  rbac:\n    serviceAccountAnnotations: [1]\n',
      'agents:\n  image:\n    tag: [1]\n',
      'datadog:\n  apiKeyExistingSecret: {a: 1}\n',
      'releases: 5\n',
      'kind: HelmRelease\nspec: null\n',
      '- a\n- b\n',
      '',
    ];
    for (const s of shapes) assert.doesNotThrow(() => read(s), s);
    const aliased = node(read(shapes[3]));
    // Both lists name the same anchor: the second's value is written at the anchor, not replaceable there.
    assert.deepEqual(aliased.settings.map((s) => s.name), ['DD_DELEGATED_AUTH_ORG_UUID', 'DD_DELEGATED_AUTH_ORG_UUID']);
    assert.ok(aliased.settings[1].value.kind === 'literal' && !aliased.settings[1].value.replaceable);
    assert.deepEqual(node(read(shapes[2])).settings.map((s) => s.name), ['DD_X']);
    // An existing-secret value that is not a name still counts as a key (it is set).
    assert.equal(node(read(shapes[6])).helmChart?.apiKeyGiven, true);
  });

  test('linear: a values file with many env entries is read in one pass', () => {
    const n = 5000;
    const items = Array.from({ length: n }, (_, i) => `    - name: DD_VAR_${i}\n      value: "${i}"\n`).join('');
    const w = node(read(`datadog:\n  env:\n${items}`));
    assert.equal(w.settings.length, n);
  });
});

describe('agent/helm-api-key-required', () => {
  test('delegated auth on, neither datadog.apiKey nor apiKeyExistingSecret: the finding lands on `datadog:` and points at the variable', () => {
    const m = marked(yaml`
      «datadog»:
        site: datadoghq.com
        env:
          - name: «DD_DELEGATED_AUTH_ORG_UUID»
            value: ${UUID}
    `);
    const found = judge(m.text);
    assert.equal(found.length, 1);
    const [f] = found;
    assert.deepEqual([f.code, f.severity, f.range], ['agent/helm-api-key-required', 'error', m.ranges[0]]);
    assert.match(f.message, /no node Agent is deployed at all/);
    assert.match(f.message, /`datadog\.apiKeyExistingSecret`/);
    assert.match(f.message, /fallback/);
    assert.deepEqual(f.related?.map((r) => r.range), [m.ranges[1]]);
  });

  test('without a key, the chart-wide error replaces agent/no-fallback-api-key (one finding, not two on one cause)', () => {
    const text = yaml`
      datadog:
        env:
          - name: DD_DELEGATED_AUTH_ORG_UUID
            value: ${UUID}
    `;
    assert.deepEqual(lintAgentEnv(text).map((f) => f.code), ['agent/helm-api-key-required']);
    // An existing Secret is a key: neither finding.
    const withKey = text.replace('datadog:\n', 'datadog:\n  apiKeyExistingSecret: datadog-secret\n');
    assert.deepEqual(lintAgentEnv(withKey).map((f) => f.code), []);
  });

  test('an umbrella chart names its own paths; delegated auth only in agents.containers.agent.env counts too', () => {
    const found = judge(yaml`
      datadog:
        agents:
          containers:
            agent:
              envDict:
                DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID: ${UUID}
    `);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /`datadog\.datadog\.apiKey`/);
  });

  test('quiet: a key, an existing secret or a templated key is given; delegated auth is off, empty, or the file is not the chart\'s', () => {
    const on = `  env:\n    - name: DD_DELEGATED_AUTH_ORG_UUID\n      value: ${UUID}\n`;
    assert.deepEqual(judge(`datadog:\n  apiKey: abc\n${on}`), []);
    assert.deepEqual(judge(`datadog:\n  apiKeyExistingSecret: datadog-secret\n${on}`), []);
    assert.deepEqual(judge(`datadog:\n  apiKey: "{{ .Values.key }}"\n${on}`), []);
    assert.deepEqual(judge('datadog:\n  site: datadoghq.com\n  env:\n    - name: DD_LOGS_ENABLED\n      value: "true"\n'), []);
    assert.deepEqual(judge('datadog:\n  env:\n    - name: DD_DELEGATED_AUTH_ORG_UUID\n      value: ""\n'), []);
    assert.deepEqual(judge('replicaCount: 1\nenv:\n  - name: DD_DELEGATED_AUTH_ORG_UUID\n    value: x\n'), []);
  });

  test('quiet when a wrapper merges values we cannot see (Flux valuesFrom, helmfile value files or set, Argo valueFiles)', () => {
    /** `env:` turning delegated auth on, at `indent` spaces (under a `datadog:` one level up). */
    const env = (indent: number) => ['env:', '  - name: DD_DELEGATED_AUTH_ORG_UUID', `    value: ${UUID}`].map((l) => ' '.repeat(indent) + l).join('\n') + '\n';
    const release = (extra: string) => `kind: HelmRelease\nspec:\n${extra}  values:\n    datadog:\n${env(6)}`;
    assert.equal(judge(release('')).length, 1, 'only spec.values: judged');
    assert.deepEqual(judge(release('  valuesFrom:\n    - kind: Secret\n      name: datadog-keys\n')), []);
    const helmfile = (extra: string) => `releases:\n  - name: datadog\n${extra}    values:\n      - datadog:\n${env(10)}`;
    assert.equal(judge(helmfile('')).length, 1, 'only inline values: judged');
    assert.deepEqual(judge(helmfile('    set:\n      - name: datadog.apiKey\n        value: x\n')), []);
    assert.deepEqual(judge(`releases:\n  - name: datadog\n    values:\n      - secrets.yaml\n      - datadog:\n${env(10)}`), []);
    const argo = (extra: string) => `kind: Application\nspec:\n  source:\n    helm:\n${extra}      valuesObject:\n        datadog:\n${env(10)}`;
    assert.equal(judge(argo('')).length, 1, 'only valuesObject: judged');
    assert.deepEqual(judge(argo('      valueFiles:\n        - secrets.yaml\n')), []);
  });

  test('an org UUID from a secret still turns it on', () => {
    const found = judge('datadog:\n  env:\n    - name: DD_DELEGATED_AUTH_ORG_UUID\n      valueFrom:\n        secretKeyRef: {name: dd, key: org}\n');
    assert.equal(found.length, 1);
  });
});

describe('Helm values: real files and mutations', () => {
  test('the chart\'s own example values in the shared corpus are read as the chart\'s, and stay quiet', (t) => {
    const dir = path.join(SHARED_DIR, 'corpus', 'agent', 'real');
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith('DataDog+helm-charts__examples__datadog__')) : [];
    if (files.length === 0) {
      t.skip(`the shared corpus's Helm examples are absent (${dir})`);
      return;
    }
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const file = readAgentEnv(text);
      assert.ok(file.workloads.some((w) => w.form === 'helm' && w.label.includes('node Agent')), f);
      assert.deepEqual(lintAgentEnv(text), [], f);
    }
  });

  test('mutated values never break the reader or the rules', () => {
    const base = `datadog:\n  site: ddog-gov.com\n  env:\n    - name: DD_DELEGATED_AUTH_ORG_UUID\n      value: "nope"\n  envDict:\n    DD_DELEGATED_AUTH_AWS_REGION: eu-west-9\nagents:\n  image:\n    tag: 7.70.0\n  rbac:\n    serviceAccountAnnotations:\n      eks.amazonaws.com/role-arn: arn:aws:iam::1:role/x\n`;
    assert.ok(lintAgentEnv(base).some((f) => f.code === 'agent/helm-api-key-required'));
    const rng = new Rng(21);
    const ops = Object.values(textMutations(randomCharFrom(['-', ':', ' ', '\n', '{', '[', '"', '&a', '*a', '<<: ', '{{', 'datadog:', '#'])));
    for (let i = 0; i < 300; i++) {
      let mutated = base;
      for (let n = rng.between(1, 3); n > 0; n--) mutated = rng.pick(ops)(mutated, rng);
      assertWellFormed(lintAgentEnv(mutated), mutated, `mutation ${i}`);
    }
  });
});
