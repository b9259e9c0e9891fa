// The live checks (orgSync/live.ts): the mapping patterns a file declares,
// held against the org's mappings a host handed to LanguageService.setOrgMappings.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, type Finding } from '../../server/src/service';
import { MAPPING_CONFLICT, MAPPING_EXISTS, OrgMappings, importedAddresses, liveFindings, type LivePattern } from '../../server/src/service/orgSync/live';
import { TextIndex } from '../../server/src/service/common/textIndex';
import type { OrgMapping, OrgMappingsSnapshot } from '../../server/src/service/orgSync/types';
import { RULE_EXAMPLES, exampleText } from '../../server/src/service/ruleExamples';
import { applyEdits, marked, yaml } from '../helpers/markers';
import { runtime } from '../helpers/terraform';
import { toServiceSettings } from '../../server/src/lsp/settings';

const ROLE = 'arn:aws:sts::123456789012:assumed-role/datadog-agent/*';
const ID = '3b7c2a10-5d4e-4f6a-8b9c-0d1e2f3a4b5c';
const intake = (arnPattern: string, id = ID): OrgMapping => ({ kind: 'intake', id, arnPattern });
const identity = (arnPattern: string, id = ID, accountIdentifier = 'ci@example.com'): OrgMapping => ({ kind: 'identity', id, arnPattern, accountIdentifier });
const site = (mappings: OrgMapping[], name = 'datadoghq.com'): OrgMappingsSnapshot => ({ site: name, mappings });

async function service(snapshots: OrgMappingsSnapshot[] = []): Promise<LanguageService> {
  const s = new LanguageService();
  s.setHclRuntime(await runtime());
  s.setOrgMappings(snapshots);
  return s;
}

const org = (findings: Finding[]) => findings.filter((f) => f.code.startsWith('org/'));
const places = (findings: Finding[]) => org(findings).map((f) => ({ code: f.code, range: f.range }));

describe('org/mapping-exists and org/mapping-conflict in Terraform', () => {
  test('the same pattern and kind: information naming its id, on the pattern; an overlapping one: a warning naming the org mapping', async () => {
    const s = await service([site([intake(ROLE), intake('arn:aws:sts::123456789012:assumed-role/ci/run-7', 'a1b2c3d4-0000-4000-8000-000000000001')])]);
    const m = marked(`resource "datadog_aws_wif_intake_mapping" "agents" {
  arn_pattern = «"${ROLE}"»
}

resource "datadog_aws_wif_intake_mapping" "ci" {
  arn_pattern = «"arn:aws:sts::123456789012:assumed-role/ci/*"»
}

resource "datadog_aws_wif_intake_mapping" "other" {
  arn_pattern = "arn:aws:sts::123456789012:assumed-role/other/*"
}
`);
    const findings = s.lint({ path: '/w/wif.tf', text: m.text });
    assert.deepEqual(places(findings), [
      { code: MAPPING_EXISTS, range: m.ranges[0] },
      { code: MAPPING_CONFLICT, range: m.ranges[1] },
    ]);
    const [exists, conflict] = org(findings);
    assert.equal(exists.severity, 'info');
    assert.match(exists.message, new RegExp(`id \`${ID}\``));
    assert.match(exists.message, /datadoghq\.com/);
    assert.equal(conflict.severity, 'warning');
    assert.match(conflict.message, /409/);
    assert.match(conflict.message, /`a1b2c3d4-0000-4000-8000-000000000001`/);
    assert.match(conflict.message, /`arn:aws:sts::123456789012:assumed-role\/ci\/run-7`/);
  });

  test('an exact pattern under an org wildcard conflicts; several org mappings are counted, the first named', async () => {
    const s = await service([site([intake(ROLE, 'id-1'), intake('arn:aws:sts::123456789012:assumed-role/web/a1', 'id-2'), intake('arn:aws:sts::123456789012:assumed-role/web/a2', 'id-3')])]);
    const m = marked(`resource "datadog_aws_wif_intake_mapping" "one" {
  arn_pattern = «"arn:aws:sts::123456789012:assumed-role/datadog-agent/i-0abc"»
}

resource "datadog_aws_wif_intake_mapping" "web" {
  arn_pattern = «"arn:aws:sts::123456789012:assumed-role/web/*"»
}
`);
    const findings = org(s.lint({ path: '/w/wif.tf', text: m.text }));
    assert.deepEqual(places(findings), [
      { code: MAPPING_CONFLICT, range: m.ranges[0] },
      { code: MAPPING_CONFLICT, range: m.ranges[1] },
    ]);
    assert.match(findings[0].message, /`id-1`/);
    assert.match(findings[1].message, /`id-2`.*\(and 1 more: `id-3`\)/);
  });

  test('the same pattern of the other kind says nothing (the API compares mappings of one kind)', async () => {
    const s = await service([site([identity(ROLE)])]);
    const text = `resource "datadog_aws_wif_intake_mapping" "agents" {\n  arn_pattern = "${ROLE}"\n}\n`;
    assert.deepEqual(org(s.lint({ path: '/w/wif.tf', text })), []);
    // …and of the same kind it does (the case above is not quiet for another reason).
    const t = text.replace('intake_mapping', 'identity_mapping').replace('}\n', '  account_identifier = "ci@example.com"\n}\n');
    assert.deepEqual(org(s.lint({ path: '/w/id.tf', text: t })).map((f) => f.code), [MAPPING_EXISTS]);
  });

  test('an identity mapping whose org twin acts as another account says so', async () => {
    const s = await service([site([identity(ROLE, ID, 'ops@example.com')])]);
    const text = `resource "datadog_aws_wif_identity_mapping" "ci" {\n  arn_pattern        = "${ROLE}"\n  account_identifier = "ci@example.com"\n}\n`;
    const [f] = org(s.lint({ path: '/w/id.tf', text }));
    assert.equal(f.code, MAPPING_EXISTS);
    assert.match(f.message, /There it acts as `ops@example\.com`, not `ci@example\.com`\./);
    const same = text.replace('ci@example.com', 'ops@example.com');
    assert.doesNotMatch(org(s.lint({ path: '/w/id.tf', text: same }))[0].message, /acts as/);
  });

  test('patterns that are not known say nothing: var.p, each.value without a written-out for_each, an interpolation', async () => {
    const s = await service([site([intake(ROLE)])]);
    const text = `resource "datadog_aws_wif_intake_mapping" "a" {
  arn_pattern = var.p
}

resource "datadog_aws_wif_intake_mapping" "b" {
  for_each    = var.roles
  arn_pattern = each.value.arn_pattern
}

resource "datadog_aws_wif_intake_mapping" "c" {
  arn_pattern = "arn:aws:sts::\${data.aws_caller_identity.current.account_id}:assumed-role/datadog-agent/*"
}
`;
    assert.deepEqual(org(s.lint({ path: '/w/wif.tf', text })), []);
  });

  test('written-out for_each entries are checked, and their instance is what the import block adopts', async () => {
    const s = await service([site([intake(ROLE)])]);
    const m = marked(`resource "datadog_aws_wif_intake_mapping" "agents" {
  for_each = {
    prod = { arn_pattern = «"${ROLE}"» }
    dev  = { arn_pattern = "arn:aws:sts::123456789012:assumed-role/dev-agent/*" }
  }
  arn_pattern = each.value.arn_pattern
}
`);
    const findings = s.lint({ path: '/w/wif.tf', text: m.text });
    assert.deepEqual(places(findings), [{ code: MAPPING_EXISTS, range: m.ranges[0] }]);
    const fix = org(findings)[0].data?.fixes?.[0];
    assert.ok(fix);
    const fixed = applyEdits(m.text, fix.edits);
    assert.match(fixed, /import \{\n  to = datadog_aws_wif_intake_mapping\.agents\["prod"\]\n  id = "3b7c2a10-5d4e-4f6a-8b9c-0d1e2f3a4b5c"\n\}/);
    // Imported: nothing more to say, nothing else goes wrong.
    assert.deepEqual(s.lint({ path: '/w/wif.tf', text: fixed }), []);
  });

  test('the import fix: an `import` block after the resource that parses, lints clean and silences the finding', async () => {
    const s = await service([site([intake(ROLE)])]);
    const text = `provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid            = var.datadog_org_uuid\n}\n\nresource "datadog_aws_wif_intake_mapping" "agents" {\n  arn_pattern = "${ROLE}"\n}\n\nresource "datadog_aws_wif_intake_mapping" "later" {\n  arn_pattern = "arn:aws:sts::123456789012:assumed-role/later/*"\n}\n`;
    const before = s.lint({ path: '/w/wif.tf', text });
    assert.deepEqual(before.map((f) => f.code), [MAPPING_EXISTS]);
    const fixes = s.quickFixes({ path: '/w/wif.tf', text }, before[0].range, [MAPPING_EXISTS]);
    assert.equal(fixes.length, 1);
    assert.equal(fixes[0].fix.title, `Import the existing mapping ${ID} into datadog_aws_wif_intake_mapping.agents`);
    const fixed = applyEdits(text, fixes[0].fix.edits);
    assert.ok(fixed.includes(`  arn_pattern = "${ROLE}"\n}\n\nimport {\n  to = datadog_aws_wif_intake_mapping.agents\n  id = "${ID}"\n}\n\nresource "datadog_aws_wif_intake_mapping" "later"`), fixed);
    // No tf/hcl-syntax (it parses), no other finding, and the mapping is being adopted.
    assert.deepEqual(s.lint({ path: '/w/wif.tf', text: fixed }), []);
    // An import block in another file of the folder counts too.
    const imports = { path: '/w/imports.tf', text: `import {\n  to = datadog_aws_wif_intake_mapping.agents\n  id = "${ID}"\n}\n` };
    assert.deepEqual(s.lint({ path: '/w/wif.tf', text }, [imports]), []);
  });

  test('the site: the provider the resource uses (its api_url, here or in another file of the folder), else the only snapshot, else datadoghq.com', async () => {
    const eu = site([intake(ROLE, 'eu-id')], 'datadoghq.eu');
    const us = site([intake(ROLE, 'us-id')], 'datadoghq.com');
    const resource = `resource "datadog_aws_wif_intake_mapping" "agents" {\n  arn_pattern = "${ROLE}"\n}\n`;
    const ids = (s: LanguageService, text: string, folder: { path: string; text: string }[] = []) => org(s.lint({ path: '/w/wif.tf', text }, folder)).map((f) => f.data?.orgMappingId);
    const both = await service([eu, us]);
    assert.deepEqual(ids(both, resource), ['us-id']);
    const providerEu = { path: '/w/providers.tf', text: `provider "datadog" {\n  api_url = "https://api.datadoghq.eu/"\n}\n` };
    assert.deepEqual(ids(both, resource, [providerEu]), ['eu-id']);
    assert.deepEqual(ids(both, providerEu.text + resource), ['eu-id']);
    // An aliased provider named by the resource.
    const aliased = `provider "datadog" {\n}\n\nprovider "datadog" {\n  alias   = "eu"\n  api_url = "https://api.datadoghq.eu/"\n}\n\n${resource.replace('{\n', '{\n  provider    = datadog.eu\n')}`;
    assert.deepEqual(ids(both, aliased), ['eu-id']);
    assert.deepEqual(ids(await service([eu]), resource), ['eu-id']);
    // A site the host sent nothing for: not checked.
    assert.deepEqual(ids(await service([us]), providerEu.text + resource), []);
  });

  test('suppression comments and severity overrides apply as to any finding', async () => {
    const s = await service([site([intake(ROLE)])]);
    const text = `resource "datadog_aws_wif_intake_mapping" "agents" {\n  arn_pattern = "${ROLE}" # datadog-wif-ignore org/mapping-exists\n}\n`;
    assert.deepEqual(s.lint({ path: '/w/wif.tf', text }), []);
    const plain = text.replace(' # datadog-wif-ignore org/mapping-exists', '');
    assert.deepEqual(s.lint({ path: '/w/wif.tf', text: plain, severity: { 'org/mapping-exists': 'off' } }), []);
    assert.deepEqual(s.lint({ path: '/w/wif.tf', text: plain, severity: { 'org/*': 'warning' } }).map((f) => f.severity), ['warning']);
  });

  test('an empty list turns them off again', async () => {
    const s = await service([site([intake(ROLE)])]);
    const text = `resource "datadog_aws_wif_intake_mapping" "agents" {\n  arn_pattern = "${ROLE}"\n}\n`;
    assert.equal(org(s.lint({ path: '/w/wif.tf', text })).length, 1);
    s.setOrgMappings([]);
    assert.deepEqual(s.lint({ path: '/w/wif.tf', text }), []);
  });
});

describe('org/* on arn_pattern values of YAML/JSON lists of a known kind', () => {
  test('intake and identity groups are checked; a list of no known kind is not', async () => {
    const s = await service([site([intake(ROLE), identity('arn:aws:sts::123456789012:assumed-role/ci/*')])]);
    const m = marked(yaml`
      intake_mappings:
        - arn_pattern: «"${ROLE}"»
      identity_mappings:
        - arn_pattern: «arn:aws:sts::123456789012:assumed-role/ci/run-1»
      roles:
        - arn_pattern: "${ROLE}"
    `);
    const findings = s.lint({ path: '/w/datadog.yaml', text: m.text });
    assert.deepEqual(places(findings), [
      { code: MAPPING_EXISTS, range: m.ranges[0] },
      { code: MAPPING_CONFLICT, range: m.ranges[1] },
    ]);
    assert.doesNotMatch(org(findings)[0].message, /terraform/i);
    assert.match(org(findings)[1].message, /^Creating it would be refused \(409\)/);
  });

  test('the file\'s `site` picks the org; a suppression comment silences; the cached findings follow a new snapshot', async () => {
    const s = await service([site([intake(ROLE, 'us-id')]), site([intake(ROLE, 'eu-id')], 'datadoghq.eu')]);
    const text = yaml`
      site: datadoghq.eu
      intake_mappings:
        - arn_pattern: "${ROLE}"
    `;
    const ids = () => org(s.lint({ path: '/w/datadog.yaml', text })).map((f) => f.data?.orgMappingId);
    assert.deepEqual(ids(), ['eu-id']);
    s.setOrgMappings([site([intake(ROLE, 'us-id')]), site([intake('arn:aws:sts::123456789012:assumed-role/datadog-agent/i-1', 'eu-2')], 'datadoghq.eu')]);
    assert.deepEqual(org(s.lint({ path: '/w/datadog.yaml', text })).map((f) => [f.code, f.data?.orgMappingIds]), [[MAPPING_CONFLICT, ['eu-2']]]);
    const silenced = text.replace(`"${ROLE}"`, `"${ROLE}" # datadog-wif-ignore org/*`);
    assert.deepEqual(org(s.lint({ path: '/w/datadog.yaml', text: silenced })), []);
  });

  test('a new snapshot recomputes the live layer only: the file\'s own findings come from its lint cache', async () => {
    const s = await service([site([intake(ROLE)])]);
    const doc = { path: '/w/datadog.yaml', text: yaml`
      intake_mappings:
        - arn_pattern: "${ROLE}"
        - arn_pattern: "arn:aws:sts::123456789012:assumed-role/datadog-agent"
    ` };
    const first = s.lint(doc);
    assert.deepEqual(first.map((f) => f.code), ['arn/missing-session', MAPPING_EXISTS]);
    s.setOrgMappings([site([intake(ROLE, 'other-id')])]);
    const second = s.lint(doc);
    assert.equal(second[0], first[0], 'the own finding is the cached object, not linted again');
    assert.equal(second[1].data?.orgMappingId, 'other-id');
    s.setOrgMappings([]);
    assert.deepEqual(s.lint(doc), [first[0]]);
  });

  test('what the server sent is escaped in messages (control characters, bidi overrides) and never becomes code', async () => {
    const evilId = 'x\u001b]8;;http://evil\u0007id\u202e';
    const s = await service([site([intake(ROLE, evilId), intake('arn:aws:sts::123456789012:assumed-role/datadog-agent/i-\u001b[2J', 'y\u0000')])]);
    const text = `resource "datadog_aws_wif_intake_mapping" "agents" {\n  arn_pattern = "${ROLE}"\n}\n`;
    const findings = org(s.lint({ path: '/w/wif.tf', text }));
    assert.equal(findings.length, 2);
    for (const f of findings) assert.doesNotMatch(f.message, /[\u0000-\u001f\u202e]/, f.message);
    assert.match(findings[0].message, /\\x1b\]8;;http:\/\/evil\\x07id\\u202e/);
    // An id that is not plain (a UUID's characters) gets no import block.
    assert.equal(findings[0].data?.fixes, undefined);
  });
});

describe('linear in the file and in the org', () => {
  test('one lint of N patterns against an org of N mappings makes a constant number of lookups per pattern', async () => {
    for (const n of [100, 900]) {
      const mappings = Array.from({ length: n }, (_, i) => intake(`arn:aws:sts::123456789012:assumed-role/role-${i}/*`, `id-${i}`));
      // Every org mapping also shares a role prefix with every declared pattern: a per-pair matcher would do n² work.
      const snapshots = [site(mappings)];
      const s = await service(snapshots);
      const list = Array.from({ length: n }, (_, i) => `  - arn_pattern: "arn:aws:sts::123456789012:assumed-role/role-${i}/s-${i}"`).join('\n');
      const findings = org(s.lint({ path: '/w/datadog.yaml', text: `intake_mappings:\n${list}\n` }));
      assert.equal(findings.length, n);
      const index = new OrgMappings(snapshots).indexes()[0];
      for (let i = 0; i < n; i++) index.lookup('intake', `arn:aws:sts::123456789012:assumed-role/role-${i}/s-${i}`);
      assert.equal(index.lookups, 3 * n);
    }
  });

  test('many copies of one org pattern and as many declared copies do not multiply (the first is named, the rest counted)', () => {
    const n = 50_000;
    // Compared pair by pair this would be 2.5·10⁹ overlap tests: it would not finish.
    const orgs = new OrgMappings([site(Array.from({ length: n }, (_, i) => intake('arn:aws:sts::123456789012:assumed-role/r/exact', `id-${i}`)))]);
    const patterns: LivePattern[] = Array.from({ length: n }, () => ({ kind: 'intake', pattern: 'arn:aws:sts::123456789012:assumed-role/r/*', span: { start: 0, end: 1 } }));
    const findings = liveFindings(patterns, orgs, new TextIndex('x'), 'yaml');
    assert.equal(findings.length, n);
    assert.ok(findings.every((f) => f.code === MAPPING_CONFLICT));
    assert.match(findings[0].message, /`id-0`.*and 49,999 more: `id-1`, `id-2`, …\)/);
  });

  test('import blocks are found in one pass, even unclosed ones', () => {
    assert.deepEqual([...importedAddresses([`import {\n  to = datadog_aws_wif_intake_mapping.a["x"]\n  id = "1"\n}\n`])], ['datadog_aws_wif_intake_mapping.a["x"]']);
    const unclosed = 'import {\n  to = a.b\n'.repeat(20_000);
    assert.equal(importedAddresses([unclosed]).size, 0);
  });
});

test('the rule pages\' examples (shown with an org, not linted alone): the wrong one fires with the org mapping of its comment, the right one does not', async () => {
  const s = await service([site([intake(ROLE), intake('arn:aws:sts::123456789012:assumed-role/ci-deployer/run-1', 'b2c3d4e5-0000-4000-8000-000000000002')])]);
  for (const code of [MAPPING_EXISTS, MAPPING_CONFLICT]) {
    const ex = RULE_EXAMPLES[code];
    assert.equal(ex.alone, false, code);
    const codes = (text: string) => s.lint({ path: `/examples/${ex.file}`, text }).map((f) => f.code);
    assert.ok(codes(exampleText(ex, 'wrong')).includes(code), code);
    assert.ok(!codes(exampleText(ex, 'right')).includes(code), code);
  }
});

test('`org/*` is a family the settings accept, like agent/*, arn/* and tf/*', () => {
  const warnings: string[] = [];
  const log = { warn: (m: string) => warnings.push(m), info: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Parameters<typeof toServiceSettings>[1];
  assert.deepEqual(toServiceSettings({ severity: { 'org/*': 'off', 'org/mapping-conflict': 'error' } }, log).severity, { 'org/*': 'off', 'org/mapping-conflict': 'error' });
  assert.deepEqual(warnings, []);
});
