// agent/role-not-mapped through LanguageService.workspaceFindings, from the
// texts of a workspace as the hosts give them (a DaemonSet and its
// ServiceAccount read by the Kubernetes reader, Terraform files parsed with
// the HCL runtime, a YAML list of mappings among the Agent globs): where the
// finding lands, suppression comments and severity overrides of that file,
// the cross-file quick fix through quickFixes and its LSP form, and quiet
// when a file that may hold the mapping cannot be read.

import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LanguageService, type SourceDocument } from '../../server/src/service';
import { toCodeAction, toDiagnostic } from '../../server/src/lsp/convert';
import { createHclRuntime, loadHclLanguage, type LoadedHclRuntime } from '../../server/src/shared/treeSitter';
import { countingRuntime, generateTerraform, trackTrees } from '../helpers/terraform';
import { Rng, assertWellFormed, randomCharFrom, textMutations } from '../helpers/corpus';
import { TextIndex } from '../../server/src/service/common/textIndex';
import { applyEdits, marked, yaml } from '../helpers/markers';

const ACCOUNT = '123456789012';
const UUID = '11111111-2222-3333-4444-555555555555';

const DAEMONSET: SourceDocument = {
  path: 'file:///ws/k8s/daemonset.yaml',
  text: yaml`
    apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      name: datadog
      namespace: datadog
    spec:
      template:
        spec:
          serviceAccountName: datadog-agent
          containers:
            - name: agent
              image: gcr.io/datadoghq/agent:7.78.0
              env:
                - name: DD_DELEGATED_AUTH_ORG_UUID
                  value: "${UUID}"
                - name: DD_API_KEY
                  valueFrom: {secretKeyRef: {name: datadog, key: api-key}}
  `,
};

const SA = marked(yaml`
  apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: datadog-agent
    namespace: datadog
    annotations:
      eks.amazonaws.com/role-arn: «arn:aws:iam::${ACCOUNT}:role/DatadogAgent»
`);
const SERVICE_ACCOUNT: SourceDocument = { path: 'file:///ws/k8s/serviceaccount.yaml', text: SA.text };

const MAPPINGS: SourceDocument = {
  path: 'file:///ws/terraform/mappings.tf',
  text: `resource "datadog_aws_wif_intake_mapping" "agent" {
  arn_pattern = "arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgentRole/*"
}
`,
};

let hcl: LoadedHclRuntime;
before(async () => {
  hcl = await loadHclLanguage();
});

function service(): LanguageService {
  const s = new LanguageService({ agentConfigFiles: ['mappings.yaml'] });
  s.setHclRuntime(hcl);
  return s;
}

describe('workspaceFindings: agent/role-not-mapped', () => {
  test('the Kubernetes reader’s workload, its ServiceAccount in another file, the mappings in Terraform', () => {
    const s = service();
    const result = s.workspaceFindings([DAEMONSET, SERVICE_ACCOUNT, MAPPINGS]);
    assert.deepEqual([...result.keys()], [SERVICE_ACCOUNT.path]);
    const [f] = result.get(SERVICE_ACCOUNT.path)!;
    assert.equal(f.code, 'agent/role-not-mapped');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, SA.ranges[0]);
    assert.match(f.message, /container `agent` of DaemonSet `datadog`/);
    assert.match(f.message, /Closest: `arn:aws:sts::123456789012:assumed-role\/DatadogAgentRole\/\*`/);
    assert.deepEqual(f.related?.map((r) => r.path), [MAPPINGS.path, DAEMONSET.path]);
    // The file's own lint knows nothing of it: cross-file findings come from workspaceFindings only.
    assert.ok(!s.lint(SERVICE_ACCOUNT).some((g) => g.code === 'agent/role-not-mapped'));
  });

  test('mapped, or no intake mapping in the workspace: quiet', () => {
    const mapped = { ...MAPPINGS, text: MAPPINGS.text.replace('DatadogAgentRole', 'DatadogAgent') };
    assert.equal(service().workspaceFindings([DAEMONSET, SERVICE_ACCOUNT, mapped]).size, 0);
    assert.equal(service().workspaceFindings([DAEMONSET, SERVICE_ACCOUNT]).size, 0);
  });

  test('a YAML list of intake mappings among the Agent globs counts', () => {
    const list: SourceDocument = { path: 'file:///ws/mappings.yaml', text: `intake_mappings:\n  - arn_pattern: arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgent/*\n` };
    assert.equal(service().workspaceFindings([DAEMONSET, SERVICE_ACCOUNT, MAPPINGS, list]).size, 0);
  });

  test('suppression comments and severity overrides of the file the finding lands in', () => {
    const silenced = { ...SERVICE_ACCOUNT, text: SERVICE_ACCOUNT.text.replace('  annotations:\n', '  annotations:\n    # datadog-wif-ignore agent/role-not-mapped\n') };
    assert.notEqual(silenced.text, SERVICE_ACCOUNT.text);
    assert.equal(service().workspaceFindings([DAEMONSET, silenced, MAPPINGS]).size, 0);
    const asError = { ...SERVICE_ACCOUNT, severity: { 'agent/role-not-mapped': 'error' as const } };
    assert.equal(service().workspaceFindings([DAEMONSET, asError, MAPPINGS]).get(SERVICE_ACCOUNT.path)?.[0].severity, 'error');
    const off = new LanguageService({ severity: { 'agent/role-not-mapped': 'off' } });
    off.setHclRuntime(hcl);
    assert.equal(off.workspaceFindings([DAEMONSET, SERVICE_ACCOUNT, MAPPINGS]).size, 0);
  });

  test('a .tf that may hold the mapping but cannot be parsed (no HCL runtime) leaves the roles unjudged', () => {
    const noRuntime = new LanguageService();
    assert.equal(noRuntime.workspaceFindings([DAEMONSET, SERVICE_ACCOUNT, MAPPINGS]).size, 0);
    // …whereas YAML mappings alone, with no Terraform mapping unread, are judged.
    const list: SourceDocument = { path: 'file:///ws/mappings.yaml', text: `intake_mappings:\n  - arn_pattern: arn:aws:sts::${ACCOUNT}:assumed-role/Other/*\n` };
    const withList = new LanguageService({ agentConfigFiles: ['mappings.yaml'] });
    assert.equal(withList.workspaceFindings([DAEMONSET, SERVICE_ACCOUNT, list]).size, 1);
  });

  test('the quick fix, carried by the finding, as an LSP code action: a WorkspaceEdit of the mappings file', () => {
    const s = service();
    const [finding] = s.workspaceFindings([DAEMONSET, SERVICE_ACCOUNT, MAPPINGS]).get(SERVICE_ACCOUNT.path)!;
    const fixes = finding.data?.fixes ?? [];
    assert.equal(fixes.length, 1);
    const fix = fixes[0];
    assert.equal(fix.title, 'Add an intake mapping for the role `DatadogAgent` to mappings.tf');
    const action = toCodeAction(SERVICE_ACCOUNT.path, finding, fix);
    assert.deepEqual(Object.keys(action.edit?.changes ?? {}), [MAPPINGS.path]);
    const after = applyEdits(MAPPINGS.text, action.edit!.changes![MAPPINGS.path]);
    assert.match(after, new RegExp(`resource "datadog_aws_wif_intake_mapping" "datadog_agent" \\{\\n  arn_pattern = "arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgent/\\*"\\n\\}`));
    assert.deepEqual(s.lint({ ...MAPPINGS, text: after }), []);
    assert.equal(s.workspaceFindings([DAEMONSET, SERVICE_ACCOUNT, { ...MAPPINGS, text: after }]).size, 0);
    // Related places in other files keep their own URI.
    const diagnostic = toDiagnostic(finding, SERVICE_ACCOUNT.path);
    assert.deepEqual(diagnostic.relatedInformation?.map((r) => r.location.uri), [MAPPINGS.path, DAEMONSET.path]);
  });

  test('Terraform files read for the workspace keep no tree; the file being edited keeps its own (next edit parsed incrementally)', async () => {
    const tracked = trackTrees(await createHclRuntime());
    const { runtime, incremental } = countingRuntime(tracked.runtime);
    const s = new LanguageService();
    s.setHclRuntime(runtime);
    const tfDocs: SourceDocument[] = Array.from({ length: 5 }, (_, i) => ({ path: `file:///ws/tf${i}/main.tf`, text: generateTerraform(80, i + 1) }));
    const editedDoc = tfDocs[0];
    s.lint(editedDoc);
    assert.equal(tracked.live(), 1);
    s.workspaceFindings([DAEMONSET, SERVICE_ACCOUNT, MAPPINGS, ...tfDocs]);
    assert.equal(tracked.live(), 1, 'only the tree of the file being edited');
    const next = { ...editedDoc, text: editedDoc.text + '\n# edited\n' };
    s.lint(next);
    assert.deepEqual(incremental, [next.text]);
    for (const d of [MAPPINGS, ...tfDocs]) s.forget(d.path);
    assert.equal(tracked.live(), 0);
  });

  test('the file’s own quick fixes do not repeat the cross-file one (the host adds those as it published them)', () => {
    const s = service();
    s.workspaceFindings([DAEMONSET, SERVICE_ACCOUNT, MAPPINGS]);
    assert.deepEqual(s.quickFixes(SERVICE_ACCOUNT, SA.ranges[0]), []);
  });
});

describe('LSP conversion of same-document fixes and related places', () => {
  test('a fix without changes edits its own document; related places without a path are in it', () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const finding = { code: 'arn/whitespace', severity: 'error' as const, message: 'm', range, related: [{ range, message: 'here' }] };
    const action = toCodeAction('file:///a.yaml', finding, { title: 't', edits: [{ range, newText: '' }] });
    assert.deepEqual(action.edit?.changes, { 'file:///a.yaml': [{ range, newText: '' }] });
    assert.deepEqual(toDiagnostic(finding, 'file:///a.yaml').relatedInformation?.map((r) => r.location.uri), ['file:///a.yaml']);
  });
});

describe('examples/role-not-mapped', () => {
  const root = path.resolve(__dirname, '..', '..', '..', 'examples', 'role-not-mapped');
  const folder = (name: string): SourceDocument[] =>
    ['k8s/datadog-agent.yaml', 'terraform/mappings.tf'].map((f) => ({ path: path.join(root, name, f), text: fs.readFileSync(path.join(root, name, f), 'utf8') }));

  test('good: each file lints clean, and the workspace too', () => {
    const s = service();
    const docs = folder('good');
    for (const d of docs) assert.deepEqual(s.lint(d), [], d.path);
    assert.equal(s.workspaceFindings(docs).size, 0);
  });

  test('bad: each file lints clean alone; the workspace warns on the ServiceAccount’s role', () => {
    const s = service();
    const docs = folder('bad');
    for (const d of docs) assert.deepEqual(s.lint(d), [], d.path);
    const result = s.workspaceFindings(docs);
    assert.deepEqual([...result.keys()], [docs[0].path]);
    assert.deepEqual(result.get(docs[0].path)!.map((f) => f.code), ['agent/role-not-mapped']);
    assert.match(result.get(docs[0].path)![0].message, /role `datadog-agent-prod`.*Closest: `arn:aws:sts::123456789012:assumed-role\/datadog-agent\/\*` names another role/);
  });
});

describe('workspaceFindings on mutated workspaces', () => {
  const POD_IDENTITY: SourceDocument = {
    path: 'file:///ws/eks/main.tf',
    text: `resource "aws_iam_role" "agent" {\n  name = "PodAgent"\n}\n\nresource "aws_eks_pod_identity_association" "agent" {\n  cluster_name    = "main"\n  namespace       = "datadog"\n  service_account = "datadog-agent"\n  role_arn        = aws_iam_role.agent.arn\n}\n\ndata "aws_caller_identity" "current" {}\n`,
  };

  test('never throws; every finding and every edit of its fix lies inside the text it is about', () => {
    const s = service();
    const rng = new Rng(12);
    const mutations = Object.values(textMutations(randomCharFrom(['{', '}', '"', '=', ':', '-', '\n', ' ', '$', '[', ']', '#', '/', '*'])));
    const base = [DAEMONSET, SERVICE_ACCOUNT, MAPPINGS, POD_IDENTITY];
    let warned = 0;
    for (let n = 0; n < 150; n++) {
      const docs = base.map((d) => ({ ...d, text: rng.chance(0.5) ? rng.pick(mutations)(d.text, rng) : d.text }));
      const texts = new Map(docs.map((d) => [d.path, d.text]));
      const result = s.workspaceFindings(docs);
      for (const [path, findings] of result) {
        assertWellFormed(findings, texts.get(path)!, `case ${n}`);
        for (const f of findings) {
          warned++;
          for (const r of f.related ?? []) assertWellFormed([{ ...f, range: r.range, data: undefined }], texts.get(r.path ?? path)!, `case ${n} related`);
          for (const c of f.data?.fixes?.flatMap((x) => x.changes ?? []) ?? []) {
            const index = new TextIndex(texts.get(c.path)!);
            for (const e of c.edits) assert.ok(index.offsetAt(e.range.start) <= index.text.length && e.range.start.line < index.lineCount, `case ${n}: edit outside ${c.path}`);
          }
        }
      }
    }
    // The unmutated workspace warns (IRSA and Pod Identity, neither mapped): the cases above are not all quiet ones.
    assert.ok(warned > 0);
  });
});

describe('ECS task definitions in Terraform (terraformAgentEnv)', () => {
  test('the task role of an aws_ecs_task_definition, by reference to an aws_iam_role of the folder', () => {
    const text = `resource "aws_iam_role" "task" {
  name = "ecsDatadogAgent"
}

resource "aws_ecs_task_definition" "agent" {
  family        = "datadog-agent"
  task_role_arn = aws_iam_role.task.arn
  container_definitions = jsonencode([
    {
      name  = "datadog-agent"
      image = "public.ecr.aws/datadog/agent:7.78.0"
      environment = [
        { name = "DD_DELEGATED_AUTH_ORG_UUID", value = "${UUID}" },
      ]
    }
  ])
}
`;
    const ecs: SourceDocument = { path: 'file:///ws/ecs/main.tf', text };
    const s = service();
    const result = s.workspaceFindings([ecs, MAPPINGS]);
    assert.deepEqual([...result.keys()], [ecs.path]);
    const [f] = result.get(ecs.path)!;
    const at = text.indexOf('aws_iam_role.task.arn');
    assert.deepEqual(f.range, s.workspaceFindings([ecs, MAPPINGS]).get(ecs.path)![0].range);
    assert.equal(f.range.start.line, text.slice(0, at).split('\n').length - 1);
    assert.match(f.message, /role `ecsDatadogAgent` \(ECS task role `aws_iam_role.task`\)/);
    const mapped = { ...MAPPINGS, text: MAPPINGS.text.replace('DatadogAgentRole', 'ecsDatadogAgent') };
    assert.equal(service().workspaceFindings([ecs, mapped]).size, 0);
  });
});
