// `dd-wif lint` on files that configure Agents by environment: a Kubernetes
// manifest named on the command line (YAML or JSON, any name) and one found
// in a folder walk are linted with the agent/* rules; an unrelated manifest
// in the walk is not a target.

import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { jsonFindings, runCli, tempTrees } from '../helpers/cli';
import type { HclRuntime } from '../../server/src/service/terraform/hcl';
import { loadHclLanguage } from '../../server/src/shared/treeSitter';

let hcl: HclRuntime;
before(async () => {
  hcl = await loadHclLanguage();
});

const tree = tempTrees('dd-wif-agent-env');

const MANIFEST = [
  'apiVersion: apps/v1',
  'kind: DaemonSet',
  'metadata: {name: datadog}',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: agent',
  '          image: datadog/agent:7.70.0',
  '          env:',
  '            - {name: DD_API_KEY, valueFrom: {secretKeyRef: {name: s, key: k}}}',
  '            - name: DD_DELEGATED_AUTH_ORG_UUID',
  '              value: not-a-uuid',
  '',
].join('\n');

const JSON_MANIFEST = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', env: [{ name: 'DD_API_KEY', value: 'x' }, { name: 'DD_DELEGATED_AUTH_PROVIDER', value: 'gcp' }, { name: 'DD_DELEGATED_AUTH_ORG_UUID', value: '11111111-2222-3333-4444-555555555555' }] }] } }, null, 2);

test('a manifest named on the command line: the env rules on the exact places, exit 1', async () => {
  const d = tree({ 'deploy/agent.yaml': MANIFEST, 'pod.json': JSON_MANIFEST });
  const r = await runCli(['lint', '--format', 'json', path.join(d, 'deploy', 'agent.yaml')], hcl);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(
    jsonFindings(r).map((f) => [f.code, f.range.start.line, f.range.start.character]),
    [
      ['agent/version-unsupported', 8, 17],
      ['agent/org-uuid-invalid', 12, 21],
    ],
  );
  const j = await runCli(['lint', '--format', 'json', path.join(d, 'pod.json')], hcl);
  assert.deepEqual(jsonFindings(j).map((f) => f.code), ['agent/provider-invalid']);
});

test('a folder walk lints the manifests it finds and leaves other YAML and JSON alone', async () => {
  const d = tree({
    'k8s/agent.yaml': MANIFEST,
    'k8s/web.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n',
    'package.json': '{"name": "x", "version": "1.0.0"}',
    'node_modules/dep/agent.yaml': MANIFEST,
  });
  const r = await runCli(['lint', '--format', 'json', d], hcl);
  assert.equal(r.code, 1, r.stderr);
  const files = [...new Set(jsonFindings(r).map((f) => path.relative(d, f.file)))];
  assert.deepEqual(files, [path.join('k8s', 'agent.yaml')]);
  const text = await runCli(['lint', d], hcl);
  assert.match(text.stderr, /^1 file checked: 2 errors, 0 warnings, 0 infos$/m);
});
