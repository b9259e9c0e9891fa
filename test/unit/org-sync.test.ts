// The pure functions that keep the org and the repository in step (issue #14):
// declaredMappings (through LanguageService.declaredMappings, from the texts
// a host hands over), diffMappings and exportTerraform. The export is parsed
// with the tree-sitter HCL runtime and linted with our own LanguageService.

import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, type SourceDocument } from '../../server/src/service';
import { loadHclLanguage, type LoadedHclRuntime } from '../../server/src/shared/treeSitter';
import { parseHcl } from '../../server/src/service/terraform/hcl';
import { diffMappings, diffWork, MAX_LOOSE_TRIES } from '../../server/src/service/orgSync/diff';
import { exportTerraform, nameMappings } from '../../server/src/service/orgSync/exportTerraform';
import { hclQuoted } from '../../server/src/service/terraform/hclWrite';
import type { DeclaredMapping, OrgMapping } from '../../server/src/service/orgSync/types';

const ACCOUNT = '123456789012';
const UUID = '11111111-2222-3333-4444-555555555555';
const p = (role: string, account = ACCOUNT) => `arn:aws:sts::${account}:assumed-role/${role}/*`;

let hcl: LoadedHclRuntime;
before(async () => {
  hcl = await loadHclLanguage();
});

function service(globs: string[] = ['mappings.yaml', 'mappings.json']): LanguageService {
  const s = new LanguageService({ agentConfigFiles: globs });
  s.setHclRuntime(hcl);
  return s;
}

/** Tree-sitter's syntax errors in a text: ERROR and MISSING nodes. */
function syntaxErrors(text: string): string[] {
  const tree = parseHcl(hcl, text);
  try {
    const out: string[] = [];
    const stack = [tree.root];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'ERROR' || n.isMissing) out.push(`${n.type} at ${n.startPosition.row}:${n.startPosition.column}`);
      else if (n.hasError) for (const c of n.children) if (c) stack.push(c);
    }
    return out;
  } finally {
    tree.delete();
  }
}

describe('declaredMappings', () => {
  const TF: SourceDocument = {
    path: 'file:///ws/infra/wif.tf',
    text: `resource "datadog_aws_wif_intake_mapping" "agent" {
  arn_pattern = "${p('DatadogAgent')}"
}

resource "datadog_aws_wif_identity_mapping" "ci" {
  arn_pattern        = "${p('ci')}"
  account_identifier = "CI@Example.com"
}

resource "datadog_aws_wif_identity_mapping" "team" {
  for_each           = { a = { arn_pattern = "${p('a')}", account_identifier = "a@example.com" }, b = { arn_pattern = "${p('b')}" } }
  arn_pattern        = each.value.arn_pattern
  account_identifier = each.value.account_identifier
}

resource "datadog_aws_wif_intake_mapping" "templated" {
  arn_pattern = "arn:aws:sts::\${var.account}:assumed-role/eks/*"
}

resource "datadog_aws_wif_intake_mapping" "unknown" {
  arn_pattern = var.pattern
}
`,
  };
  const YAML: SourceDocument = {
    path: 'file:///ws/mappings.yaml',
    text: `intake_mappings:
  - arn_pattern: ${p('yaml-agent')}
identity_mappings:
  - arn_pattern: ${p('yaml-ci')}
    account_identifier: yaml@example.com
other:
  - arn_pattern: ${p('not-a-mapping')}
chart:
  - type: intake
    arn_pattern: "{{ .Values.pattern }}"
`,
  };

  test('Terraform resources, written-out for_each entries, YAML lists of a known kind; lines and owners', () => {
    const { mappings, incomplete } = service().declaredMappings([TF, YAML]);
    assert.equal(incomplete, false);
    const brief = mappings.map((m) => [m.kind, m.pattern ?? null, m.interpolated, m.accountIdentifier ?? null, m.line + 1, m.owner]);
    assert.deepEqual(brief, [
      ['intake', p('DatadogAgent'), false, null, 2, 'datadog_aws_wif_intake_mapping.agent'],
      ['identity', p('ci'), false, 'CI@Example.com', 6, 'datadog_aws_wif_identity_mapping.ci'],
      ['identity', p('a'), false, 'a@example.com', 11, "datadog_aws_wif_identity_mapping.team's for_each"],
      // The entry states no account, and the resource's is `each.value…`: not known.
      ['identity', p('b'), false, null, 11, "datadog_aws_wif_identity_mapping.team's for_each"],
      ['intake', 'arn:aws:sts::${var.account}:assumed-role/eks/*', true, null, 17, 'datadog_aws_wif_intake_mapping.templated'],
      ['intake', null, false, null, 21, 'datadog_aws_wif_intake_mapping.unknown'],
      ['intake', p('yaml-agent'), false, null, 2, 'intake_mappings'],
      ['identity', p('yaml-ci'), false, 'yaml@example.com', 4, 'identity_mappings'],
      ['intake', null, false, null, 10, 'intake'],
    ]);
    assert.ok(mappings.every((m) => m.path === TF.path || m.path === YAML.path));
  });

  test('incomplete when a file that may declare mappings is not parsed (no HCL runtime), with its path', () => {
    const s = new LanguageService({ agentConfigFiles: ['mappings.yaml'] });
    const r = s.declaredMappings([TF, YAML, { path: 'file:///ws/other.tf', text: 'locals {}\n' }]);
    assert.equal(r.incomplete, true);
    assert.deepEqual(r.unread, [TF.path]);
    assert.equal(r.mappings.length, 3);
  });

  test('workspaceFindings and declaredMappings read the same inputs (agent/role-not-mapped still sees the mappings)', () => {
    const s = service();
    const ds: SourceDocument = {
      path: 'file:///ws/k8s/ds.yaml',
      text: `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: dd, namespace: dd}\nspec:\n  template:\n    spec:\n      serviceAccountName: dd\n      containers:\n        - name: agent\n          image: gcr.io/datadoghq/agent:7.78.0\n          env:\n            - {name: DD_DELEGATED_AUTH_ORG_UUID, value: "${UUID}"}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: dd\n  namespace: dd\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::${ACCOUNT}:role/Unmapped\n`,
    };
    const tf: SourceDocument = { path: 'file:///ws/a.tf', text: `resource "datadog_aws_wif_intake_mapping" "a" {\n  arn_pattern = "${p('DatadogAgent')}"\n}\n` };
    const findings = s.workspaceFindings([ds, tf]);
    assert.deepEqual([...findings.values()].flat().map((f) => f.code), ['agent/role-not-mapped']);
    assert.equal(s.declaredMappings([ds, tf]).mappings.length, 1);
  });
});

function decl(kind: 'intake' | 'identity', pattern: string | undefined, extra: Partial<DeclaredMapping> = {}): DeclaredMapping {
  return { kind, pattern, interpolated: pattern?.includes('${') ?? false, path: 'infra/wif.tf', span: { start: 0, end: 1 }, line: 0, owner: 'x', ...extra };
}

describe('diffMappings', () => {
  const org: OrgMapping[] = [
    { kind: 'intake', id: 'i1', arnPattern: p('agent') },
    { kind: 'intake', id: 'i2', arnPattern: p('org-only') },
    { kind: 'identity', id: 'p1', arnPattern: p('ci'), accountIdentifier: 'ci@example.com', accountUuid: UUID },
    { kind: 'identity', id: 'p2', arnPattern: p('deploy'), accountIdentifier: 'deploy@example.com' },
  ];

  test('in step, only in the org, only in code, account mismatch', () => {
    const d = [decl('intake', p('agent')), decl('intake', p('code-only')), decl('identity', p('ci'), { accountIdentifier: 'CI@Example.COM' }), decl('identity', p('deploy'), { accountIdentifier: 'someone@example.com' })];
    const drift = diffMappings(org, d);
    assert.deepEqual(drift.inStep.map((x) => [x.org.id, x.declared.length]), [['i1', 1], ['p1', 1]]);
    assert.deepEqual(drift.onlyInOrg.map((o) => o.id), ['i2']);
    assert.deepEqual(drift.onlyInCode.map((x) => x.pattern), [p('code-only')]);
    assert.deepEqual(drift.accountMismatch.map((x) => [x.org.id, x.declared.accountIdentifier]), [['p2', 'someone@example.com']]);
    assert.deepEqual(drift.unknown, []);
  });

  test('the kind counts: the same pattern as an identity mapping is not the intake one', () => {
    const drift = diffMappings([org[0]], [decl('identity', p('agent'))]);
    assert.deepEqual(drift.onlyInOrg.map((o) => o.id), ['i1']);
    assert.equal(drift.onlyInCode.length, 1);
  });

  test('a declared UUID compares with the account UUID; an unstated account agrees', () => {
    const drift = diffMappings([org[2]], [decl('identity', p('ci'), { accountIdentifier: UUID.toUpperCase() }), decl('identity', p('ci'))]);
    assert.equal(drift.inStep[0].declared.length, 2);
    assert.deepEqual(drift.accountMismatch, []);
  });

  test('an interpolated pattern declares the org mappings it can be; one that can be none is only in code', () => {
    const d = [decl('intake', 'arn:aws:sts::${var.a}:assumed-role/agent/*'), decl('intake', 'arn:aws:sts::${var.a}:assumed-role/nothing/*')];
    const drift = diffMappings([org[0]], d);
    assert.deepEqual(drift.inStep.map((x) => x.declared[0].pattern), ['arn:aws:sts::${var.a}:assumed-role/agent/*']);
    assert.deepEqual(drift.onlyInCode.map((x) => x.pattern), ['arn:aws:sts::${var.a}:assumed-role/nothing/*']);
    assert.deepEqual(drift.onlyInOrg, []);
  });

  test('a pattern not known is unknown, never only in code; the org mapping stays only in the org', () => {
    const drift = diffMappings([org[1]], [decl('intake', undefined)]);
    assert.equal(drift.unknown.length, 1);
    assert.deepEqual(drift.onlyInCode, []);
    assert.deepEqual(drift.onlyInOrg.map((o) => o.id), ['i2']);
  });

  test('linear: exact patterns are looked up once per org mapping; interpolated ones stop at the budget and are then unknown', () => {
    const n = 20_000;
    const many: OrgMapping[] = Array.from({ length: n }, (_, i) => ({ kind: 'intake', id: `m${i}`, arnPattern: p(`r${i}`) }));
    const code = many.map((m) => decl('intake', m.arnPattern));
    diffWork.lookups = 0;
    diffWork.looseTries = 0;
    const drift = diffMappings(many, code);
    assert.equal(drift.inStep.length, n);
    assert.equal(diffWork.lookups, n);
    assert.equal(diffWork.looseTries, 0);
    // n × n interpolated patterns would be 4·10^8 tries: the budget stops it, and what was not tried is unknown.
    const loose = many.map((_, i) => decl('intake', `arn:aws:sts::\${a}:assumed-role/q${i}/*`));
    const d2 = diffMappings(many, loose);
    assert.equal(diffWork.looseTries, MAX_LOOSE_TRIES);
    assert.equal(d2.unknown.length, n);
    assert.equal(d2.onlyInCode.length, 0);
  });
});

describe('exportTerraform', () => {
  const org: OrgMapping[] = [
    { kind: 'intake', id: 'b1e7c7f0-0000-4000-8000-000000000001', arnPattern: p('datadog-agent') },
    { kind: 'intake', id: 'b1e7c7f0-0000-4000-8000-000000000002', arnPattern: p('datadog-agent', '210987654321') },
    { kind: 'identity', id: 'b1e7c7f0-0000-4000-8000-000000000003', arnPattern: p('TerraformRunner'), accountIdentifier: 'terraform@example.com', accountUuid: UUID },
    { kind: 'identity', id: 'b1e7c7f0-0000-4000-8000-000000000004', arnPattern: `arn:aws:iam::${ACCOUNT}:user/ci-bot`, accountUuid: UUID },
  ];

  test('resources with import blocks; names from the role, unique, the account on a shared name', () => {
    const text = exportTerraform(org);
    assert.match(text, /^# Datadog Workload Identity Federation mappings/);
    assert.match(text, /Terraform 1\.5/);
    assert.ok(text.includes(`import {\n  to = datadog_aws_wif_intake_mapping.datadog_agent_${ACCOUNT}\n  id = "${org[0].id}"\n}\n\nresource "datadog_aws_wif_intake_mapping" "datadog_agent_${ACCOUNT}" {\n  arn_pattern = "${org[0].arnPattern}"\n}`), text);
    assert.ok(text.includes('resource "datadog_aws_wif_intake_mapping" "datadog_agent_210987654321"'));
    assert.ok(text.includes(`resource "datadog_aws_wif_identity_mapping" "terraform_runner" {\n  arn_pattern        = "${org[2].arnPattern}"\n  account_identifier = "terraform@example.com"\n}`));
    // No identifier from the API: the UUID, which the provider accepts for a service account.
    assert.ok(text.includes(`resource "datadog_aws_wif_identity_mapping" "ci_bot" {\n  arn_pattern        = "arn:aws:iam::${ACCOUNT}:user/ci-bot"\n  account_identifier = "${UUID}"\n}`));
  });

  test('parses without syntax errors and lints clean with our own rules', () => {
    // (The IAM user's pattern would be warned about, as any: arn/iam-user.)
    const text = exportTerraform(org.slice(0, 3));
    assert.deepEqual(syntaxErrors(text), []);
    assert.deepEqual(service().lint({ path: 'file:///ws/export.tf', text }), []);
  });

  test('stable: the same mappings in any order give the same text; a number when the account does not tell them apart', () => {
    const a = exportTerraform(org);
    assert.equal(exportTerraform([...org].reverse()), a);
    const same = [1, 2, 3].map((i) => ({ kind: 'intake' as const, id: `id${i}`, arnPattern: `arn:aws:sts::${ACCOUNT}:assumed-role/x/s${i}` }));
    assert.deepEqual(nameMappings(same).map((n) => n.name), ['x', 'x_2', 'x_3']);
    // Names are per resource type: an identity and an intake mapping may share one.
    assert.deepEqual(nameMappings([{ kind: 'intake', id: '1', arnPattern: p('x') }, { kind: 'identity', id: '2', arnPattern: p('x'), accountIdentifier: 'a@b.c' }]).map((n) => `${n.type}.${n.name}`), ['datadog_aws_wif_identity_mapping.x', 'datadog_aws_wif_intake_mapping.x']);
  });

  test('names the workspace already uses are skipped (a mapping pasted next to them must not redeclare an address)', () => {
    const one: OrgMapping[] = [{ kind: 'intake', id: 'id1', arnPattern: p('datadog-agent') }];
    assert.deepEqual(nameMappings(one).map((n) => n.name), ['datadog_agent']);
    const taken = ['datadog_aws_wif_intake_mapping.datadog_agent', 'datadog_aws_wif_intake_mapping.datadog_agent_2', 'datadog_aws_wif_identity_mapping.x'];
    assert.deepEqual(nameMappings(one, { taken }).map((n) => n.name), ['datadog_agent_3']);
    // Per resource type: an identity mapping's address does not take an intake mapping's name.
    assert.deepEqual(nameMappings([{ kind: 'intake', id: 'id2', arnPattern: p('x') }], { taken }).map((n) => n.name), ['x']);
    assert.ok(exportTerraform(one, { taken }).includes('to = datadog_aws_wif_intake_mapping.datadog_agent_3\n'));
  });

  test('hostile values from the server: no injected HCL, each value reads back exactly, names stay identifiers', () => {
    const hostile: OrgMapping[] = [
      { kind: 'intake', id: 'x"\n}\nresource "null_resource" "pwn" {\n  #', arnPattern: 'arn:aws:sts::123456789012:assumed-role/${file("/etc/passwd")}/%{ if true }x%{ endif }\\"\u001b[2J\u202e' },
      { kind: 'identity', id: 'y\\', arnPattern: 'arn:aws:sts::123456789012:assumed-role/"; evil = "1/*', accountIdentifier: 'a\r\nb = "c"' },
    ];
    const text = exportTerraform(hostile);
    assert.deepEqual(syntaxErrors(text), []);
    assert.ok(!/null_resource/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""')), 'a block outside a string');
    assert.ok(!text.includes('\u001b') && !text.includes('\u202e') && !text.includes('\r'));
    assert.ok(!/[^$]\$\{/.test(text) && !/[^%]%\{/.test(text));
    // Every name a valid identifier; every block one of ours.
    const blocks = [...text.matchAll(/^(\w+)/gm)].map((m) => m[1]);
    assert.deepEqual([...new Set(blocks)].sort(), ['account_identifier', 'arn_pattern', 'id', 'import', 'resource', 'to'].filter((b) => blocks.includes(b)).sort());
    for (const m of text.matchAll(/^resource "(\w+)" "([^"]*)"/gm)) assert.match(m[2], /^[A-Za-z_][A-Za-z0-9_-]*$/);
    // The model reads each pattern back as the server sent it.
    const s = service();
    s.lint({ path: 'file:///ws/h.tf', text });
    const { mappings } = s.declaredMappings([{ path: 'file:///ws/h.tf', text }]);
    assert.deepEqual(mappings.map((m) => m.pattern).sort(), hostile.map((h) => h.arnPattern).sort());
    assert.deepEqual(mappings.map((m) => m.interpolated), [false, false]);
  });

  test('hclQuoted: quotes, backslashes, templates, controls, lone surrogates', () => {
    assert.equal(hclQuoted('a"b\\c'), 'a\\"b\\\\c');
    assert.equal(hclQuoted('${x}%{y}$${z}'), '$${x}%%{y}$$${z}');
    assert.equal(hclQuoted('\n\t\u0000\u009b\u2028'), '\\n\\t\\u0000\\u009b\\u2028');
    assert.equal(hclQuoted('\ud800x\ud83d\ude00'), '\\uFFFDx\ud83d\ude00');
  });

  test('linear on many mappings: 100,000 of one name are numbered at once (n² would not finish)', () => {
    const n = 100_000;
    const many: OrgMapping[] = Array.from({ length: n }, (_, i) => ({ kind: 'intake', id: `id${i}`, arnPattern: `arn:aws:sts::${ACCOUNT}:assumed-role/same/s${i}` }));
    const names = nameMappings(many).map((x) => x.name);
    assert.equal(new Set(names).size, n);
    assert.equal(names[n - 1], `same_${n}`);
    const text = exportTerraform(many.slice(0, 2000));
    assert.equal(text.split('\nimport {').length - 1, 2000);
  });
});
