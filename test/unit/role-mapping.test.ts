// agent/role-not-mapped (workspace/roleMapping.ts) on Agent settings built by
// hand (what the readers of Kubernetes, Helm, Operator and ECS files make) and
// on Terraform models parsed from real .tf text: the role of each kind of
// workload (IRSA through a ServiceAccount in another file, EKS Pod Identity,
// ECS task roles literal and by reference) against intake mappings of
// Terraform and of YAML lists; what stays quiet (a mapped role, no mapping,
// anything unknown); the message, its related places and the quick fix, whose
// resource must lint clean and silence the warning.

import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, type Finding, type QuickFix } from '../../server/src/service';
import { TextIndex } from '../../server/src/service/common/textIndex';
import type { Span } from '../../server/src/service/agent/yamlTree';
import type { AgentEnvFile, AgentWorkload, EnvSetting, RoleRef, ServiceAccountDecl, SettingValue } from '../../server/src/service/agentEnv/settings';
import { parseHcl } from '../../server/src/service/terraform/hcl';
import { extractTerraformModel } from '../../server/src/service/terraform/model';
import { collectArnPatterns } from '../../server/src/service/agent/arnPatterns';
import { parseAgentYaml } from '../../server/src/service/agent/lint';
import {
  MAX_EXPLAINED_MAPPINGS,
  resourceName,
  roleMappingWork,
  roleNotMapped,
  type AgentEnvSource,
  type PatternListSource,
  type RoleMappingInput,
  type TerraformSource,
} from '../../server/src/service/workspace/roleMapping';
import { loadHclLanguage, type LoadedHclRuntime } from '../../server/src/shared/treeSitter';
import { applyEdits, marked, yaml } from '../helpers/markers';

const ACCOUNT = '123456789012';
const ORG = '11111111-2222-3333-4444-555555555555';

let hcl: LoadedHclRuntime;
before(async () => {
  hcl = await loadHclLanguage();
});

/** The text without its «» markers and the offsets of each marked span, in order. */
function spans(source: string): { text: string; spans: Span[] } {
  const m = marked(source);
  const index = new TextIndex(m.text);
  return { text: m.text, spans: m.ranges.map((r) => ({ start: index.offsetAt(r.start), end: index.offsetAt(r.end) })) };
}

function tf(path: string, text: string): TerraformSource {
  const tree = parseHcl(hcl, text);
  try {
    return { path, index: new TextIndex(text), model: extractTerraformModel(tree) };
  } finally {
    tree.delete();
  }
}

function patternList(path: string, text: string): PatternListSource {
  return { path, index: new TextIndex(text), patterns: parseAgentYaml(text).flatMap((d) => collectArnPatterns(d)) };
}

const NOWHERE: Span = { start: 0, end: 0 };

function literal(text: string, span: Span = NOWHERE): SettingValue {
  return { kind: 'literal', text, span, syntax: 'yaml', replaceable: true };
}

function setting(name: string, value: SettingValue): EnvSetting {
  return { name, label: name, nameSpan: NOWHERE, value };
}

const DELEGATED = [setting('DD_DELEGATED_AUTH_ORG_UUID', literal(ORG))];

function workload(role: RoleRef | undefined, settings: EnvSetting[] = DELEGATED, label = 'container `agent` of DaemonSet `datadog`'): AgentWorkload {
  return { form: 'kubernetes', label, anchor: NOWHERE, settings, opaqueSources: [], images: [], role };
}

function env(path: string, text: string, workloads: AgentWorkload[], serviceAccounts: ServiceAccountDecl[] = []): AgentEnvSource {
  const file: AgentEnvFile = { workloads, serviceAccounts };
  return { path, index: new TextIndex(text), file };
}

function run(input: Partial<RoleMappingInput>): Map<string, Finding[]> {
  return roleNotMapped({ agentEnv: [], terraform: [], patternLists: [], ...input });
}

function only(result: Map<string, Finding[]>): [string, Finding] {
  const all = [...result].flatMap(([p, fs]) => fs.map((f) => [p, f] as [string, Finding]));
  assert.equal(all.length, 1, `one finding expected, got ${JSON.stringify(all.map(([p, f]) => [p, f.message]))}`);
  return all[0];
}

// --- The fixtures: a DaemonSet using ServiceAccount datadog/datadog-agent, declared in another file.

const DAEMONSET = spans(yaml`
  apiVersion: apps/v1
  kind: DaemonSet
  metadata:
    name: datadog
    namespace: datadog
  spec:
    template:
      spec:
        serviceAccountName: «datadog-agent»
        containers:
          - name: agent
            env:
              - name: DD_DELEGATED_AUTH_ORG_UUID
                value: "${ORG}"
`);

function serviceAccountFile(roleArn: string): { text: string; decl: ServiceAccountDecl } {
  const s = spans(yaml`
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: «datadog-agent»
      namespace: datadog
      annotations:
        eks.amazonaws.com/role-arn: «${roleArn}»
  `);
  return { text: s.text, decl: { name: 'datadog-agent', namespace: 'datadog', roleArn: literal(roleArn, s.spans[1]), span: s.spans[0] } };
}

const IRSA_ROLE: RoleRef = { via: 'irsa', span: DAEMONSET.spans[0], serviceAccount: { name: 'datadog-agent', namespace: 'datadog' } };

function irsa(roleArn: string): AgentEnvSource[] {
  const sa = serviceAccountFile(roleArn);
  return [env('/ws/k8s/daemonset.yaml', DAEMONSET.text, [workload(IRSA_ROLE)]), env('/ws/k8s/serviceaccount.yaml', sa.text, [], [sa.decl])];
}

const MAPPINGS_TF = `terraform {
  required_providers {
    datadog = {
      source  = "DataDog/datadog"
      version = ">= 3.70.0"
    }
  }
}

resource "datadog_aws_wif_intake_mapping" "agent" {
  arn_pattern = "arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgentRole/*"
}

resource "datadog_aws_wif_identity_mapping" "ci" {
  arn_pattern        = "arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgent/*"
  account_identifier = "ci@example.com"
}
`;

describe('agent/role-not-mapped: IRSA', () => {
  test('a role an intake mapping matches is quiet', () => {
    const result = run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/DatadogAgentRole`), terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] });
    assert.equal(result.size, 0);
  });

  test('the role path is no part of the caller: a role under a path is matched by its name', () => {
    const result = run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/service/agents/DatadogAgentRole`), terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] });
    assert.equal(result.size, 0);
  });

  test('an unmatched role: a warning on the annotation, in the ServiceAccount’s file, naming the closest pattern and why', () => {
    const mappings = tf('/ws/tf/mappings.tf', MAPPINGS_TF);
    const [path, f] = only(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/DatadogAgent`), terraform: [mappings] }));
    assert.equal(path, '/ws/k8s/serviceaccount.yaml');
    assert.equal(f.code, 'agent/role-not-mapped');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, marked(yaml`
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: datadog-agent
        namespace: datadog
        annotations:
          eks.amazonaws.com/role-arn: «arn:aws:iam::${ACCOUNT}:role/DatadogAgent»
    `).ranges[0]);
    assert.match(f.message, /container `agent` of DaemonSet `datadog`/);
    assert.match(f.message, new RegExp(`arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgent/<session>`));
    // The closest is the intake mapping of another role in the same account, not the identity mapping of this one.
    assert.match(f.message, new RegExp(`Closest: \`arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgentRole/\\*\` names another role \\(\`DatadogAgentRole\`\\)`));
    assert.match(f.message, new RegExp(`Add an intake mapping for \`arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgent/\\*\``));
    // Related: the closest mapping (another file) and the workload that uses the ServiceAccount.
    const closest = f.related?.find((r) => /closest intake mapping/.test(r.message));
    assert.equal(closest?.path, '/ws/tf/mappings.tf');
    const value = MAPPINGS_TF.indexOf(`"arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgentRole/*"`);
    assert.deepEqual(closest?.range, mappings.index.range(value, value + `"arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgentRole/*"`.length));
    const usedBy = f.related?.find((r) => /runs as ServiceAccount/.test(r.message));
    assert.equal(usedBy?.path, '/ws/k8s/daemonset.yaml');
    assert.deepEqual(usedBy?.range, new TextIndex(DAEMONSET.text).range(DAEMONSET.spans[0].start, DAEMONSET.spans[0].end));
  });

  test('the same ServiceAccount used by two workloads is reported once', () => {
    const sources = irsa(`arn:aws:iam::${ACCOUNT}:role/Other`);
    sources[0].file.workloads.push(workload(IRSA_ROLE, DELEGATED, 'container `cluster-agent` of Deployment `datadog-cluster-agent`'));
    only(run({ agentEnv: sources, terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
  });

  test('a ServiceAccount of another namespace is not the pod’s', () => {
    const sources = irsa(`arn:aws:iam::${ACCOUNT}:role/Other`);
    sources[1].file.serviceAccounts[0].namespace = 'kube-system';
    assert.equal(run({ agentEnv: sources, terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
  });

  test('a ServiceAccount without a namespace (applied with -n) may be the pod’s', () => {
    const sources = irsa(`arn:aws:iam::${ACCOUNT}:role/Other`);
    sources[1].file.serviceAccounts[0].namespace = undefined;
    only(run({ agentEnv: sources, terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
  });

  test('a role written on the workload by its reader (chart values) is judged where it is written', () => {
    const text = 'agents:\n  rbac:\n    serviceAccountAnnotations:\n      eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/Other\n';
    const at = text.indexOf('arn:aws:iam');
    const span = { start: at, end: text.indexOf('\n', at) };
    const role: RoleRef = { via: 'irsa', arn: `arn:aws:iam::${ACCOUNT}:role/Other`, span };
    const [path, f] = only(run({ agentEnv: [env('/ws/values.yaml', text, [workload(role, DELEGATED, 'the chart’s node Agent')])], terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
    assert.equal(path, '/ws/values.yaml');
    assert.deepEqual(f.range, new TextIndex(text).range(span.start, span.end));
  });

  test('the chart’s and the Operator’s shape (the role on the workload and the ServiceAccount it creates, one annotation): one finding', () => {
    const s = spans('agents:\n  rbac:\n    «serviceAccountAnnotations»:\n      «eks.amazonaws.com/role-arn»: «arn:aws:iam::123456789012:role/Other»\n');
    const arn = `arn:aws:iam::${ACCOUNT}:role/Other`;
    const role: RoleRef = { via: 'irsa', arn, span: s.spans[2], serviceAccount: { name: 'datadog-agent' } };
    const decl: ServiceAccountDecl = { name: 'datadog-agent', roleArn: literal(arn, s.spans[2]), span: s.spans[1] };
    const source = env('/ws/values.yaml', s.text, [workload(role, DELEGATED, 'the chart’s node Agent'), workload(role, DELEGATED, 'the chart’s Cluster Agent')], [decl]);
    const [path, f] = only(run({ agentEnv: [source], terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
    assert.equal(path, '/ws/values.yaml');
    assert.deepEqual(f.range, source.index.range(s.spans[2].start, s.spans[2].end));
    // Mapped: quiet, for both components.
    assert.equal(run({ agentEnv: [source], terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF.replace('DatadogAgentRole', 'Other'))] }).size, 0);
  });
});

describe('agent/role-not-mapped: what stays quiet', () => {
  test('no intake mapping declared (only an identity mapping): quiet', () => {
    const identityOnly = MAPPINGS_TF.replace(/resource "datadog_aws_wif_intake_mapping"[\s\S]*?\n}\n/, '');
    assert.ok(!identityOnly.includes('intake_mapping'));
    assert.equal(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Other`), terraform: [tf('/ws/tf/mappings.tf', identityOnly)] }).size, 0);
    // The same workspace with the intake mapping back does warn (the check above is not vacuous).
    assert.equal(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Other`), terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 1);
  });

  test('a workload that does not turn delegated auth on is not judged', () => {
    const sources = irsa(`arn:aws:iam::${ACCOUNT}:role/Other`);
    sources[0].file.workloads[0].settings = [setting('DD_SITE', literal('datadoghq.com'))];
    assert.equal(run({ agentEnv: sources, terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
    sources[0].file.workloads[0].settings = [setting('DD_DELEGATED_AUTH_ORG_UUID', literal(''))];
    assert.equal(run({ agentEnv: sources, terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
  });

  test('an org UUID from a Secret turns delegated auth on all the same', () => {
    const sources = irsa(`arn:aws:iam::${ACCOUNT}:role/Other`);
    sources[0].file.workloads[0].settings = [setting('DD_DELEGATED_AUTH_ORG_UUID', { kind: 'unknown', span: NOWHERE, source: 'from Secret `dd`' })];
    only(run({ agentEnv: sources, terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
  });

  test('an annotation the file does not state (a template, a Secret) is never judged', () => {
    const sources = irsa(`arn:aws:iam::${ACCOUNT}:role/Other`);
    sources[1].file.serviceAccounts[0].roleArn = { kind: 'unknown', span: NOWHERE, source: 'a Helm template' };
    assert.equal(run({ agentEnv: sources, terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
  });

  test('an annotation that is not an IAM role ARN is not judged (nor one with a malformed account)', () => {
    for (const arn of ['DatadogAgent', `arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgent/x`, 'arn:aws:iam::12345:role/DatadogAgent']) {
      assert.equal(run({ agentEnv: irsa(arn), terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0, arn);
    }
  });

  test('a mapping whose pattern is not known (var.p) could match any role: nothing is judged', () => {
    const unknown = MAPPINGS_TF + '\nresource "datadog_aws_wif_intake_mapping" "more" {\n  arn_pattern = var.pattern\n}\n';
    assert.equal(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Other`), terraform: [tf('/ws/tf/mappings.tf', unknown)] }).size, 0);
  });

  test('an interpolated account matches any account; an interpolated role any role', () => {
    const accountOnly = 'resource "datadog_aws_wif_intake_mapping" "a" {\n  arn_pattern = "arn:aws:sts::${data.aws_caller_identity.current.account_id}:assumed-role/Other/*"\n}\n';
    assert.equal(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Other`), terraform: [tf('/ws/main.tf', accountOnly)] }).size, 0);
    // …but the known parts still count: another role is not matched.
    only(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Third`), terraform: [tf('/ws/main.tf', accountOnly)] }));
    const anyRole = `resource "datadog_aws_wif_intake_mapping" "a" {\n  for_each    = toset(var.roles)\n  arn_pattern = "arn:aws:sts::${ACCOUNT}:assumed-role/\${each.value}/*"\n}\n`;
    assert.equal(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Third`), terraform: [tf('/ws/main.tf', anyRole)] }).size, 0);
    // In another account, no value of the interpolation makes it match.
    only(run({ agentEnv: irsa('arn:aws:iam::210987654321:role/Third'), terraform: [tf('/ws/main.tf', anyRole)] }));
  });

  test('a written-out for_each stands for the resource whose pattern is each.value…', () => {
    const text = `resource "datadog_aws_wif_intake_mapping" "agents" {
  for_each = {
    prod = { arn_pattern = "arn:aws:sts::${ACCOUNT}:assumed-role/AgentProd/*" }
    dev  = { arn_pattern = "arn:aws:sts::${ACCOUNT}:assumed-role/AgentDev/*" }
  }
  arn_pattern = each.value.arn_pattern
}
`;
    assert.equal(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/AgentDev`), terraform: [tf('/ws/main.tf', text)] }).size, 0);
    const [, f] = only(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/AgentStaging`), terraform: [tf('/ws/main.tf', text)] }));
    assert.match(f.message, /Closest: `arn:aws:sts::123456789012:assumed-role\/Agent(Prod|Dev)\/\*`/);
  });

  test('a mapping file that could not be read may hold the mapping: nothing is judged', () => {
    assert.equal(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Other`), terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)], mappingsIncomplete: true }).size, 0);
  });
});

describe('agent/role-not-mapped: YAML and JSON lists of intake mappings', () => {
  const LIST = yaml`
    intake_mappings:
      - arn_pattern: arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgentRole/*
    identity_mappings:
      - arn_pattern: arn:aws:sts::${ACCOUNT}:assumed-role/Other/*
  `;

  test('an intake list (by its key) is held against the roles; an identity list is not', () => {
    assert.equal(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/DatadogAgentRole`), patternLists: [patternList('/ws/mappings.yaml', LIST)] }).size, 0);
    const [, f] = only(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Other`), patternLists: [patternList('/ws/mappings.yaml', LIST)] }));
    assert.match(f.message, /Closest: `arn:aws:sts::123456789012:assumed-role\/DatadogAgentRole\/\*`/);
    // No Terraform file holds intake mappings: no quick fix to offer.
    assert.equal(f.data?.fixes, undefined);
  });

  test('the `type` beside the pattern says the kind; JSON reads the same', () => {
    const json = JSON.stringify([{ type: 'identity', arn_pattern: `arn:aws:sts::${ACCOUNT}:assumed-role/Other/*` }, { type: 'intake', arn_pattern: `arn:aws:sts::${ACCOUNT}:assumed-role/Agent/*` }], null, 2);
    assert.equal(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Agent`), patternLists: [patternList('/ws/m.json', json)] }).size, 0);
    only(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Other`), patternLists: [patternList('/ws/m.json', json)] }));
    // Only identity patterns: no intake mapping declared, quiet.
    const identity = JSON.stringify([{ type: 'identity', arn_pattern: `arn:aws:sts::${ACCOUNT}:assumed-role/Other/*` }]);
    assert.equal(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Third`), patternLists: [patternList('/ws/m.json', identity)] }).size, 0);
  });

  test('a near miss is explained: one exact session, no session', () => {
    const exact = yaml`
      intake_mappings:
        - arn_pattern: arn:aws:sts::${ACCOUNT}:assumed-role/Agent/i-0123456789abcdef0
    `;
    const [, f] = only(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Agent`), patternLists: [patternList('/ws/m.yaml', exact)] }));
    assert.match(f.message, /matches only the session `i-0123456789abcdef0`; the role's sessions are named by whatever assumes it/);
    assert.doesNotMatch(f.message, /session-name/);
    const none = yaml`
      intake_mappings:
        - arn_pattern: arn:aws:sts::${ACCOUNT}:assumed-role/Agent
    `;
    const [, g] = only(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/Agent`), patternLists: [patternList('/ws/m.yaml', none)] }));
    assert.match(g.message, /`arn:aws:sts::123456789012:assumed-role\/Agent` has no session part/);
  });
});

describe('agent/role-not-mapped: EKS Pod Identity', () => {
  const IAM = `data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "agent" {
  name               = "DatadogAgentPodIdentity"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_eks_pod_identity_association" "agent" {
  cluster_name    = aws_eks_cluster.main.name
  namespace       = "datadog"
  service_account = "datadog-agent"
  role_arn        = aws_iam_role.agent.arn
}
`;
  const noAnnotation = (): AgentEnvSource[] => [env('/ws/k8s/daemonset.yaml', DAEMONSET.text, [workload(IRSA_ROLE)])];

  test('the association’s role (a reference to an aws_iam_role whose name is literal): warned on role_arn, account not judged', () => {
    const eks = tf('/ws/eks/pod_identity.tf', IAM);
    const [path, f] = only(run({ agentEnv: noAnnotation(), terraform: [eks, tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
    assert.equal(path, '/ws/eks/pod_identity.tf');
    const at = IAM.indexOf('aws_iam_role.agent.arn');
    assert.deepEqual(f.range, eks.index.range(at, at + 'aws_iam_role.agent.arn'.length));
    assert.match(f.message, /EKS Pod Identity, `aws_eks_pod_identity_association.agent`/);
    assert.match(f.message, /the account is not in the files\), and no intake mapping of the workspace names that role in any account/);
    // Read in the closest mapping's account, the explanation must not claim to know the caller's.
    assert.doesNotMatch(f.message, /caller's account/);
    assert.ok(f.related?.some((r) => r.path === '/ws/k8s/daemonset.yaml' && /runs as ServiceAccount `datadog\/datadog-agent`/.test(r.message)));
    assert.ok(f.related?.some((r) => r.path === undefined && /the name of `aws_iam_role.agent`/.test(r.message)), 'the role’s name, in the same file');
  });

  test('the named role mapped in some account is quiet', () => {
    const mapped = MAPPINGS_TF.replace('DatadogAgentRole', 'DatadogAgentPodIdentity');
    assert.equal(run({ agentEnv: noAnnotation(), terraform: [tf('/ws/eks/pod_identity.tf', IAM), tf('/ws/tf/mappings.tf', mapped)] }).size, 0);
  });

  test('target_role_arn is the role the pod gets', () => {
    const chained = IAM.replace('  role_arn        = aws_iam_role.agent.arn\n', `  role_arn        = aws_iam_role.agent.arn\n  target_role_arn = "arn:aws:iam::${ACCOUNT}:role/DatadogAgentRole"\n`);
    assert.equal(run({ agentEnv: noAnnotation(), terraform: [tf('/ws/eks/pod_identity.tf', chained), tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
  });

  test('an association of another namespace or ServiceAccount is not the pod’s; one with a role not known leaves it unjudged', () => {
    const other = IAM.replace('namespace       = "datadog"', 'namespace       = "monitoring"');
    assert.equal(run({ agentEnv: noAnnotation(), terraform: [tf('/ws/eks/pod_identity.tf', other), tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
    const unknown = IAM.replace('role_arn        = aws_iam_role.agent.arn', 'role_arn        = var.agent_role_arn');
    assert.equal(run({ agentEnv: noAnnotation(), terraform: [tf('/ws/eks/pod_identity.tf', unknown), tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
    const noName = IAM.replace('name               = "DatadogAgentPodIdentity"', 'name_prefix        = "datadog-agent-"');
    assert.equal(run({ agentEnv: noAnnotation(), terraform: [tf('/ws/eks/pod_identity.tf', noName), tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
  });

  test('an ARN with an interpolated account names the role: judged by its name', () => {
    const templated = IAM.replace('role_arn        = aws_iam_role.agent.arn', 'role_arn        = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/DatadogAgentRole"');
    assert.equal(run({ agentEnv: noAnnotation(), terraform: [tf('/ws/eks/pod_identity.tf', templated), tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
    only(run({ agentEnv: noAnnotation(), terraform: [tf('/ws/eks/pod_identity.tf', templated.replace('role/DatadogAgentRole', 'role/Other')), tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
  });

  test('IRSA and Pod Identity both set up: one of them mapped is enough; none mapped warns on both', () => {
    const both = [...irsa(`arn:aws:iam::${ACCOUNT}:role/DatadogAgentRole`)];
    assert.equal(run({ agentEnv: both, terraform: [tf('/ws/eks/pod_identity.tf', IAM), tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
    const neither = [...irsa(`arn:aws:iam::${ACCOUNT}:role/Other`)];
    const result = run({ agentEnv: neither, terraform: [tf('/ws/eks/pod_identity.tf', IAM), tf('/ws/tf/mappings.tf', MAPPINGS_TF)] });
    assert.deepEqual([...result.keys()].sort(), ['/ws/eks/pod_identity.tf', '/ws/k8s/serviceaccount.yaml']);
  });
});

describe('agent/role-not-mapped: ECS task roles', () => {
  const TASK = '{\n  "family": "datadog-agent",\n  "taskRoleArn": "arn:aws:iam::123456789012:role/ecsDatadogAgent"\n}\n';
  const at = TASK.indexOf('"arn:aws:iam');
  const taskSpan = { start: at, end: TASK.indexOf('\n', at) };

  test('a literal task role ARN', () => {
    const role: RoleRef = { via: 'ecs-task-role', arn: `arn:aws:iam::${ACCOUNT}:role/ecsDatadogAgent`, span: taskSpan };
    const source = env('/ws/ecs/task.json', TASK, [workload(role, DELEGATED, 'container `datadog-agent` of task definition `datadog-agent`')]);
    const [path, f] = only(run({ agentEnv: [source], terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
    assert.equal(path, '/ws/ecs/task.json');
    assert.deepEqual(f.range, source.index.range(taskSpan.start, taskSpan.end));
    assert.match(f.message, /\(ECS task role\)/);
    const mapped = MAPPINGS_TF.replace('DatadogAgentRole', 'ecsDatadogAgent');
    assert.equal(run({ agentEnv: [source], terraform: [tf('/ws/tf/mappings.tf', mapped)] }).size, 0);
  });

  const ECS_TF = `resource "aws_iam_role" "task" {
  name = "ecsDatadogAgent"
}

resource "aws_ecs_task_definition" "agent" {
  family        = "datadog-agent"
  task_role_arn = aws_iam_role.task.arn
}
`;
  const refAt = ECS_TF.indexOf('aws_iam_role.task.arn');
  const refSpan = { start: refAt, end: refAt + 'aws_iam_role.task.arn'.length };

  test('a reference to an aws_iam_role of the same folder whose name is literal', () => {
    const ecs = tf('/ws/ecs/main.tf', ECS_TF);
    const role: RoleRef = { via: 'ecs-task-role', reference: 'aws_iam_role.task.arn', span: refSpan };
    const source: AgentEnvSource = { path: '/ws/ecs/main.tf', index: ecs.index, file: { workloads: [workload(role, DELEGATED, 'container `datadog-agent` of `aws_ecs_task_definition.agent`')], serviceAccounts: [] } };
    const [path, f] = only(run({ agentEnv: [source], terraform: [ecs, tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
    assert.equal(path, '/ws/ecs/main.tf');
    assert.deepEqual(f.range, ecs.index.range(refSpan.start, refSpan.end));
    assert.match(f.message, /ECS task role `aws_iam_role.task`/);
    // The same reference from another folder (another module) names another resource: not known, quiet.
    const elsewhere: AgentEnvSource = { ...source, path: '/ws/other/main.tf' };
    assert.equal(run({ agentEnv: [elsewhere], terraform: [ecs, tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
  });

  test('a short name for taskRoleArn (ECS takes one): judged by name; an IRSA annotation must be an ARN', () => {
    const role: RoleRef = { via: 'ecs-task-role', arn: 'DatadogAgentRole', span: taskSpan };
    assert.equal(run({ agentEnv: [env('/ws/ecs/task.json', TASK, [workload(role)])], terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
    const [, f] = only(run({ agentEnv: [env('/ws/ecs/task.json', TASK, [workload({ ...role, arn: 'ecsTaskRole' })])], terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
    assert.match(f.message, /role `ecsTaskRole` \(ECS task role\).*names that role in any account/);
    assert.equal(run({ agentEnv: [env('/ws/ecs/task.json', TASK, [workload({ ...role, via: 'irsa', arn: 'ecsTaskRole' })])], terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
  });

  test('a name given by the reader (account not known) and a role name of its own', () => {
    const role: RoleRef = { via: 'ecs-task-role', roleName: 'DatadogAgentRole', span: taskSpan };
    assert.equal(run({ agentEnv: [env('/ws/ecs/task.json', TASK, [workload(role)])], terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }).size, 0);
    only(run({ agentEnv: [env('/ws/ecs/task.json', TASK, [workload({ ...role, roleName: 'Nope' })])], terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
  });
});

describe('agent/role-not-mapped: the quick fix', () => {
  let service: LanguageService;
  before(() => {
    service = new LanguageService();
    service.setHclRuntime(hcl);
  });

  /** The lint of a .tf text with the folder's other files; the trees are freed. */
  function lintTf(path: string, text: string): Finding[] {
    try {
      return service.lint({ path, text });
    } finally {
      service.forget(path);
    }
  }

  function fixOf(f: Finding): QuickFix {
    const fixes = f.data?.fixes ?? [];
    assert.equal(fixes.length, 1);
    return fixes[0];
  }

  test('adds a mapping resource to the Terraform file of the closest mapping; it lints clean and silences the warning', () => {
    const [, f] = only(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/DatadogAgent`), terraform: [tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
    const fix = fixOf(f);
    assert.equal(fix.title, 'Add an intake mapping for the role `DatadogAgent` to mappings.tf');
    assert.deepEqual(fix.edits, []);
    assert.equal(fix.changes?.length, 1);
    assert.equal(fix.changes![0].path, '/ws/tf/mappings.tf');
    const after = applyEdits(MAPPINGS_TF, fix.changes![0].edits);
    assert.ok(
      after.includes(`resource "datadog_aws_wif_intake_mapping" "agent" {\n  arn_pattern = "arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgentRole/*"\n}\n\nresource "datadog_aws_wif_intake_mapping" "datadog_agent" {\n  arn_pattern = "arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgent/*"\n}\n\nresource "datadog_aws_wif_identity_mapping"`),
      after,
    );
    assert.deepEqual(lintTf('/ws/tf/mappings.tf', after), lintTf('/ws/tf/mappings.tf', MAPPINGS_TF));
    assert.deepEqual(lintTf('/ws/tf/mappings.tf', after), []);
    assert.equal(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/DatadogAgent`), terraform: [tf('/ws/tf/mappings.tf', after)] }).size, 0);
  });

  test('an account the files do not state: the pattern names data.aws_caller_identity, added when the folder has none', () => {
    const eksText = 'resource "aws_iam_role" "agent" {\n  name = "PodAgent"\n}\n\nresource "aws_eks_pod_identity_association" "agent" {\n  cluster_name    = "main"\n  namespace       = "datadog"\n  service_account = "datadog-agent"\n  role_arn        = aws_iam_role.agent.arn\n}\n';
    const agentEnv = [env('/ws/k8s/daemonset.yaml', DAEMONSET.text, [workload(IRSA_ROLE)])];
    const [, f] = only(run({ agentEnv, terraform: [tf('/ws/eks/main.tf', eksText), tf('/ws/tf/mappings.tf', MAPPINGS_TF)] }));
    const fix = fixOf(f);
    const after = applyEdits(MAPPINGS_TF, fix.changes![0].edits);
    assert.ok(after.includes('data "aws_caller_identity" "current" {}\n\nresource "datadog_aws_wif_intake_mapping" "pod_agent" {\n  arn_pattern = "arn:aws:sts::${data.aws_caller_identity.current.account_id}:assumed-role/PodAgent/*"\n}'), after);
    assert.deepEqual(lintTf('/ws/tf/mappings.tf', after), []);
    assert.equal(run({ agentEnv, terraform: [tf('/ws/eks/main.tf', eksText), tf('/ws/tf/mappings.tf', after)] }).size, 0);
    // A folder that already reads the caller identity (under any name) gets no second data block.
    const withData = MAPPINGS_TF + '\ndata "aws_caller_identity" "me" {}\n';
    const [, g] = only(run({ agentEnv, terraform: [tf('/ws/eks/main.tf', eksText), tf('/ws/tf/mappings.tf', withData)] }));
    const after2 = applyEdits(withData, fixOf(g).changes![0].edits);
    assert.ok(!after2.includes('"current"'), after2);
    assert.ok(after2.includes('arn_pattern = "arn:aws:sts::${data.aws_caller_identity.me.account_id}:assumed-role/PodAgent/*"'), after2);
    assert.deepEqual(lintTf('/ws/tf/mappings.tf', after2), []);
  });

  test('a finding in the Terraform file that holds the mappings is fixed in its own document', () => {
    const text = `${MAPPINGS_TF}\nresource "aws_eks_pod_identity_association" "agent" {\n  cluster_name    = "main"\n  namespace       = "datadog"\n  service_account = "datadog-agent"\n  role_arn        = "arn:aws:iam::${ACCOUNT}:role/Other"\n}\n`;
    const agentEnv = [env('/ws/k8s/daemonset.yaml', DAEMONSET.text, [workload(IRSA_ROLE)])];
    const [path, f] = only(run({ agentEnv, terraform: [tf('/ws/tf/main.tf', text)] }));
    assert.equal(path, '/ws/tf/main.tf');
    const fix = fixOf(f);
    assert.equal(fix.changes, undefined);
    const after = applyEdits(text, fix.edits);
    assert.deepEqual(lintTf('/ws/tf/main.tf', after), []);
    assert.equal(run({ agentEnv, terraform: [tf('/ws/tf/main.tf', after)] }).size, 0);
  });

  test('the resource name is free among the folder’s intake mappings, and a valid Terraform name', () => {
    assert.equal(resourceName('DatadogAgent', new Set()), 'datadog_agent');
    assert.equal(resourceName('DatadogAgent', new Set(['datadog_agent', 'datadog_agent_2'])), 'datadog_agent_3');
    assert.equal(resourceName('eks.agent@prod+1', new Set()), 'eks_agent_prod_1');
    assert.equal(resourceName('1agent', new Set()), 'role_1agent');
    const taken = `${MAPPINGS_TF}\nresource "datadog_aws_wif_intake_mapping" "datadog_agent" {\n  arn_pattern = "arn:aws:sts::${ACCOUNT}:assumed-role/Else/*"\n}\n`;
    const [, f] = only(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/DatadogAgent`), terraform: [tf('/ws/tf/mappings.tf', taken)] }));
    const after = applyEdits(taken, fixOf(f).changes![0].edits);
    assert.ok(after.includes('resource "datadog_aws_wif_intake_mapping" "datadog_agent_2" {'), after);
    assert.deepEqual(lintTf('/ws/tf/mappings.tf', after), []);
  });

  test('CRLF files get CRLF', () => {
    const crlf = MAPPINGS_TF.replace(/\n/g, '\r\n');
    const [, f] = only(run({ agentEnv: irsa(`arn:aws:iam::${ACCOUNT}:role/DatadogAgent`), terraform: [tf('/ws/tf/mappings.tf', crlf)] }));
    const after = applyEdits(crlf, fixOf(f).changes![0].edits);
    assert.ok(!/[^\r]\n/.test(after), JSON.stringify(after));
    assert.deepEqual(lintTf('/ws/tf/mappings.tf', after), []);
  });
});

describe('agent/role-not-mapped: linear in the workspace', () => {
  /** N workloads with their own unmapped roles, N mappings of other roles in the account. */
  function workspace(n: number): Partial<RoleMappingInput> {
    const lines: string[] = ['intake_mappings:'];
    for (let i = 0; i < n; i++) lines.push(`  - arn_pattern: arn:aws:sts::${ACCOUNT}:assumed-role/Mapped${i}/*`);
    const workloads = Array.from({ length: n }, (_, i) => workload({ via: 'ecs-task-role', arn: `arn:aws:iam::${ACCOUNT}:role/Unmapped${i}`, span: { start: i, end: i + 1 } }));
    return { agentEnv: [env('/ws/tasks.json', 'x'.repeat(n + 1), workloads)], patternLists: [patternList('/ws/m.yaml', lines.join('\n'))] };
  }

  function work(n: number): number {
    roleMappingWork.matchTries = 0;
    roleMappingWork.explainReads = 0;
    const result = run(workspace(n));
    assert.equal([...result.values()].flat().length, n);
    return roleMappingWork.matchTries + roleMappingWork.explainReads;
  }

  test('roles whose account is not known (read in the account of the closest-named mapping): twice the workspace, about twice the work', () => {
    const count = (n: number) => {
      const lines: string[] = ['intake_mappings:'];
      for (let i = 0; i < n; i++) lines.push(`  - arn_pattern: arn:aws:sts::${ACCOUNT}:assumed-role/Mapped${i}/*`);
      const workloads = Array.from({ length: n }, (_, i) => workload({ via: 'ecs-task-role', roleName: `Unmapped${i}`, span: { start: i, end: i + 1 } }));
      roleMappingWork.matchTries = 0;
      roleMappingWork.explainReads = 0;
      const result = run({ agentEnv: [env('/ws/tasks.json', 'x'.repeat(n + 1), workloads)], patternLists: [patternList('/ws/m.yaml', lines.join('\n'))] });
      assert.equal([...result.values()].flat().length, n);
      return roleMappingWork.matchTries + roleMappingWork.explainReads;
    };
    const small = count(150);
    const large = count(300);
    assert.ok(small > 0);
    assert.ok(large <= 2.2 * small, `${small} -> ${large}`);
  });

  test('every role explained against a bounded number of mappings: twice the workspace, about twice the work', () => {
    const small = work(150);
    const large = work(300);
    assert.ok(small > 0);
    assert.ok(large <= 2.2 * small, `${small} -> ${large}`);
    assert.ok(large <= 300 * (MAX_EXPLAINED_MAPPINGS + 2), `${large}`);
  });
});
