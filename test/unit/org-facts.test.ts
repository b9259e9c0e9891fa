// The org UUID from the org (issue #14, item 3), in the language service:
// with the facts a host learnt from /api/v2/current_user, a quick fix on
// agent/org-uuid-missing|invalid and tf/org-uuid-missing|invalid writes the
// org's UUID in every form those codes fire in (caret markers: the finding's
// range), the file stays valid and the finding is gone; only the org of the
// file's own site is offered, nothing without facts; a hover on a valid
// org_uuid says whether it is that org, the name escaped for Markdown.

import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { LanguageService, type Finding } from '../../server/src/service';
import type { OrgFacts } from '../../server/src/service/orgSync/types';
import { cleanOrgFacts, escapeMarkdown, orgHoverLine } from '../../server/src/service/orgSync/orgFacts';
import { loadHclLanguage } from '../../server/src/shared/treeSitter';
import { applyEdits, marked, yaml } from '../helpers/markers';
import { Rng, randomCharFrom, textMutations } from '../helpers/corpus';
import { TextIndex } from '../../server/src/service/common/textIndex';

const ORG = '0b0e6f8e-7d1c-4a2b-9c3d-5e6f7a8b9c0d';
const OTHER = '11111111-2222-3333-4444-555555555555';
const COM: OrgFacts = { site: 'datadoghq.com', orgUuid: ORG, orgName: 'acme-prod', source: 'keys' };
const EU: OrgFacts = { site: 'datadoghq.eu', orgUuid: OTHER, orgName: 'acme-eu', source: 'keys' };
const CODES = ['agent/org-uuid-missing', 'agent/org-uuid-invalid', 'tf/org-uuid-missing', 'tf/org-uuid-invalid'];

let hcl: Awaited<ReturnType<typeof loadHclLanguage>>;
before(async () => {
  hcl = await loadHclLanguage();
});
function service(orgs: OrgFacts[] = [COM]): LanguageService {
  const s = new LanguageService();
  s.setHclRuntime(hcl);
  s.setOrgFacts(orgs);
  return s;
}

const K8S = (env: string) => yaml`
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
${env}`;

interface Case {
  form: string;
  path: string;
  /** «» marks the finding's range. */
  source: string;
  code: string;
}

const CASES: Case[] = [
  { form: 'datadog.yaml, no org_uuid', path: '/etc/datadog-agent/datadog.yaml', code: 'agent/org-uuid-missing', source: 'api_key: x\n«delegated_auth»:\n  provider: aws\n' },
  { form: 'datadog.yaml, empty org_uuid', path: '/etc/datadog-agent/datadog.yaml', code: 'agent/org-uuid-missing', source: 'api_key: x\ndelegated_auth:\n  «org_uuid»:\n  provider: aws\n' },
  { form: 'datadog.yaml, quoted empty org_uuid with a comment', path: '/etc/datadog-agent/datadog.yaml', code: 'agent/org-uuid-missing', source: 'api_key: x\ndelegated_auth:\n  «org_uuid»: "" # fill me\n' },
  { form: 'datadog.yaml, invalid org_uuid', path: '/etc/datadog-agent/datadog.yaml', code: 'agent/org-uuid-invalid', source: 'api_key: x\ndelegated_auth:\n  org_uuid: «my-org»\n' },
  { form: 'datadog.yaml, invalid quoted org_uuid in logs_config', path: '/etc/datadog-agent/datadog.yaml', code: 'agent/org-uuid-invalid', source: "api_key: x\nlogs_config:\n  delegated_auth:\n    org_uuid: «'my-org'»\n" },
  {
    form: 'Kubernetes, provider set without the org UUID',
    path: '/k8s/agent.yaml',
    code: 'agent/org-uuid-missing',
    source: K8S('              - name: «DD_DELEGATED_AUTH_PROVIDER»\n                value: aws\n'),
  },
  { form: 'Kubernetes, invalid org UUID', path: '/k8s/agent.yaml', code: 'agent/org-uuid-invalid', source: K8S('              - name: DD_DELEGATED_AUTH_ORG_UUID\n                value: «"my-org"»\n') },
  { form: 'Kubernetes, empty org UUID', path: '/k8s/agent.yaml', code: 'agent/org-uuid-missing', source: K8S('              - name: DD_DELEGATED_AUTH_ORG_UUID\n                value: «""»\n') },
  { form: 'Kubernetes, org UUID with no value', path: '/k8s/agent.yaml', code: 'agent/org-uuid-missing', source: K8S('              - name: «DD_DELEGATED_AUTH_ORG_UUID»\n                value:\n') },
  {
    form: 'compose map, empty org UUID',
    path: '/docker-compose.yml',
    code: 'agent/org-uuid-missing',
    source: 'services:\n  datadog-agent:\n    image: public.ecr.aws/datadog/agent:7.78.0\n    environment:\n      DD_API_KEY: ${DD_API_KEY}\n      DD_DELEGATED_AUTH_ORG_UUID: «""»\n',
  },
  {
    form: 'Helm values, datadog.env without the org UUID',
    path: '/charts/values.yaml',
    code: 'agent/org-uuid-missing',
    source: 'datadog:\n  apiKeyExistingSecret: datadog-secret\n  env:\n    - name: «DD_DELEGATED_AUTH_AWS_REGION»\n      value: us-east-1\n',
  },
  {
    form: 'Operator, provider without the org UUID',
    path: '/k8s/datadog-agent.yaml',
    code: 'agent/org-uuid-missing',
    source: 'apiVersion: datadoghq.com/v2alpha1\nkind: DatadogAgent\nmetadata:\n  name: datadog\nspec:\n  global:\n    credentials:\n      apiSecret: {secretName: s, keyName: k}\n  override:\n    nodeAgent:\n      env:\n        - {name: «DD_DELEGATED_AUTH_PROVIDER», value: aws}\n',
  },
  {
    form: 'Helm values, envDict without the org UUID',
    path: '/charts/values.yaml',
    code: 'agent/org-uuid-missing',
    source: 'datadog:\n  apiKeyExistingSecret: datadog-secret\n  envDict:\n    «DD_DELEGATED_AUTH_PROVIDER»: aws\n',
  },
  {
    form: 'Operator, invalid org UUID',
    path: '/k8s/datadog-agent.yaml',
    code: 'agent/org-uuid-invalid',
    source: 'apiVersion: datadoghq.com/v2alpha1\nkind: DatadogAgent\nmetadata:\n  name: datadog\nspec:\n  global:\n    credentials:\n      apiSecret: {secretName: s, keyName: k}\n  override:\n    nodeAgent:\n      env:\n        - name: DD_DELEGATED_AUTH_ORG_UUID\n          value: «not-a-uuid»\n',
  },
  {
    form: 'compose map, provider without the org UUID',
    path: '/docker-compose.yml',
    code: 'agent/org-uuid-missing',
    source: 'services:\n  datadog-agent:\n    image: public.ecr.aws/datadog/agent:7.78.0\n    environment:\n      DD_API_KEY: ${DD_API_KEY}\n      «DD_DELEGATED_AUTH_PROVIDER»: aws\n',
  },
  {
    form: 'compose list, provider without the org UUID',
    path: '/docker-compose.yml',
    code: 'agent/org-uuid-missing',
    source: 'services:\n  datadog-agent:\n    image: public.ecr.aws/datadog/agent:7.78.0\n    environment:\n      - DD_API_KEY\n      - «DD_DELEGATED_AUTH_PROVIDER»=aws\n',
  },
  {
    form: 'compose list, invalid org UUID',
    path: '/docker-compose.yml',
    code: 'agent/org-uuid-invalid',
    source: 'services:\n  datadog-agent:\n    image: public.ecr.aws/datadog/agent:7.78.0\n    environment:\n      - DD_API_KEY\n      - DD_DELEGATED_AUTH_ORG_UUID=«my-org»\n',
  },
  {
    form: 'ECS task definition JSON, provider without the org UUID',
    path: '/ecs/task.json',
    code: 'agent/org-uuid-missing',
    source:
      '{\n  "family": "dd",\n  "containerDefinitions": [{\n    "name": "datadog-agent",\n    "image": "public.ecr.aws/datadog/agent:7.78.0",\n    "environment": [\n      {"name": "«DD_DELEGATED_AUTH_PROVIDER»", "value": "aws"}\n    ],\n    "secrets": [{"name": "DD_API_KEY", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:dd"}]\n  }]\n}\n',
  },
  {
    form: 'ECS task definition JSON, invalid org UUID',
    path: '/ecs/task.json',
    code: 'agent/org-uuid-invalid',
    source:
      '{\n  "family": "dd",\n  "containerDefinitions": [{\n    "name": "datadog-agent",\n    "image": "public.ecr.aws/datadog/agent:7.78.0",\n    "environment": [{"name": "DD_DELEGATED_AUTH_ORG_UUID", "value": «"my-org"»}],\n    "secrets": [{"name": "DD_API_KEY", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:dd"}]\n  }]\n}\n',
  },
  {
    form: 'Terraform aws_ecs_task_definition, provider without the org UUID',
    path: '/infra/ecs.tf',
    code: 'agent/org-uuid-missing',
    source:
      'resource "aws_ecs_task_definition" "agent" {\n  family = "datadog-agent"\n  container_definitions = jsonencode([{\n    name  = "datadog-agent"\n    image = "public.ecr.aws/datadog/agent:7.78.0"\n    environment = [\n      { name = "«DD_DELEGATED_AUTH_PROVIDER»", value = "aws" },\n    ]\n    secrets = [{ name = "DD_API_KEY", valueFrom = aws_secretsmanager_secret.dd.arn }]\n  }])\n}\n',
  },
  {
    form: 'Terraform aws_ecs_task_definition, invalid org UUID',
    path: '/infra/ecs.tf',
    code: 'agent/org-uuid-invalid',
    source:
      'resource "aws_ecs_task_definition" "agent" {\n  family = "datadog-agent"\n  container_definitions = jsonencode([{\n    name  = "datadog-agent"\n    image = "public.ecr.aws/datadog/agent:7.78.0"\n    environment = [\n      { name = "DD_DELEGATED_AUTH_ORG_UUID", value = «"my-org"» },\n    ]\n    secrets = [{ name = "DD_API_KEY", valueFrom = aws_secretsmanager_secret.dd.arn }]\n  }])\n}\n',
  },
  { form: 'Terraform provider, no org_uuid', path: '/infra/main.tf', code: 'tf/org-uuid-missing', source: 'provider "datadog" {\n  «cloud_provider_type» = "aws"\n}\n' },
  { form: 'Terraform provider on one line, no org_uuid', path: '/infra/main.tf', code: 'tf/org-uuid-missing', source: 'provider "datadog" { «cloud_provider_type» = "aws" }\n' },
  { form: 'Terraform provider, invalid org_uuid', path: '/infra/main.tf', code: 'tf/org-uuid-invalid', source: 'provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid            = «"my-org"»\n}\n' },
];

/** The org UUID findings of a text. */
function orgFindings(s: LanguageService, path: string, text: string): Finding[] {
  return s.lint({ path, text }).filter((f) => CODES.includes(f.code));
}

/** The text parses in its own language (no syntax finding, YAML/JSON without errors). */
function assertWellFormed(s: LanguageService, path: string, text: string): void {
  if (path.endsWith('.json')) JSON.parse(text);
  else if (/\.ya?ml$/.test(path)) assert.deepEqual(parseAllDocuments(text).flatMap((d) => (Array.isArray(d) ? [] : d.errors.map((e) => e.message))), [], text);
  assert.deepEqual(s.lint({ path, text }).filter((f) => /syntax|not-checked/.test(f.code)), [], text);
}

describe('the org UUID quick fix, in every form', () => {
  for (const c of CASES) {
    test(`${c.form}: ${c.code}`, () => {
      const s = service();
      const m = marked(c.source);
      const findings = orgFindings(s, c.path, m.text);
      assert.deepEqual(findings.map((f) => [f.code, f.range]), [[c.code, m.ranges[0]]], 'the finding, where the marker says');
      const fixes = s.quickFixes({ path: c.path, text: m.text }, m.ranges[0], [c.code]);
      const org = fixes.filter((x) => /to the org of your datadoghq\.com keys, 'acme-prod'$/.test(x.fix.title));
      assert.equal(org.length, 1, `one org fix among ${fixes.map((x) => x.fix.title).join(' | ')}`);
      assert.equal(org[0].fix.isPreferred, true);
      assert.ok(fixes.filter((x) => x !== org[0]).every((x) => !x.fix.isPreferred), 'the rule\'s placeholder fix is no longer preferred');
      const after = applyEdits(m.text, org[0].fix.edits);
      assertWellFormed(s, c.path, after);
      assert.deepEqual(orgFindings(s, c.path, after), [], `the finding is gone:\n${after}`);
      const targets = s.loginTargets({ path: c.path, text: after });
      assert.ok(targets.some((t) => t.orgUuid === ORG), `the org's UUID is the file's org_uuid:\n${after}`);
    });
  }

  test('the titles name the setting, the site and the org (a Test Login token says so; without a name, the UUID)', () => {
    const s = service([{ site: 'datadoghq.com', orgUuid: ORG, source: 'token' }]);
    const m = marked(CASES[5].source);
    const titles = s.quickFixes({ path: CASES[5].path, text: m.text }, m.ranges[0]).map((x) => x.fix.title);
    assert.ok(titles.includes(`Set DD_DELEGATED_AUTH_ORG_UUID to the org of your datadoghq.com Test Login, ${ORG}`), titles.join(' | '));
  });

  test('only the org of the file\'s site: another site\'s facts offer nothing; the file\'s own site is used', () => {
    const yamlText = (site: string) => marked(`api_key: x\n${site ? `site: ${site}\n` : ''}delegated_auth:\n  org_uuid: «my-org»\n`);
    const orgFixes = (s: LanguageService, site: string) => {
      const m = yamlText(site);
      return s.quickFixes({ path: '/d/datadog.yaml', text: m.text }, m.ranges[0]).filter((x) => /to the org of/.test(x.fix.title));
    };
    assert.deepEqual(orgFixes(service([EU]), ''), [], 'no .eu org in a datadoghq.com file');
    assert.deepEqual(orgFixes(service([COM]), 'datadoghq.eu'), [], 'no .com org in a datadoghq.eu file');
    const eu = orgFixes(service([COM, EU]), 'datadoghq.eu');
    assert.equal(eu.length, 1);
    assert.equal(eu[0].fix.edits[0].newText, OTHER);
    // An env workload's DD_SITE decides for it; a provider's api_url for its block.
    const k8s = marked(K8S('              - name: DD_SITE\n                value: datadoghq.eu\n              - name: DD_DELEGATED_AUTH_ORG_UUID\n                value: «bad»\n'));
    assert.deepEqual(service([COM]).quickFixes({ path: '/k8s/a.yaml', text: k8s.text }, k8s.ranges[0]).filter((x) => /org of/.test(x.fix.title)), []);
    assert.match(service([COM, EU]).quickFixes({ path: '/k8s/a.yaml', text: k8s.text }, k8s.ranges[0]).find((x) => /org of/.test(x.fix.title))!.fix.edits[0].newText, new RegExp(`^"?${OTHER}"?$`));
    const tf = marked('provider "datadog" {\n  api_url             = "https://api.datadoghq.eu/"\n  «cloud_provider_type» = "aws"\n}\n');
    assert.deepEqual(service([COM]).quickFixes({ path: '/i/main.tf', text: tf.text }, tf.ranges[0]).filter((x) => /org of/.test(x.fix.title)), []);
    assert.match(service([EU]).quickFixes({ path: '/i/main.tf', text: tf.text }, tf.ranges[0]).find((x) => /org of/.test(x.fix.title))!.fix.edits.map((e) => e.newText).join(''), new RegExp(`org_uuid = "${OTHER}"`));
  });

  test('without facts, only the rule\'s own fixes (and they stay preferred)', () => {
    for (const c of CASES) {
      const m = marked(c.source);
      const fixes = service([]).quickFixes({ path: c.path, text: m.text }, m.ranges[0]);
      assert.ok(fixes.every((x) => !/org of/.test(x.fix.title)), c.form);
    }
    const m = marked(CASES[0].source);
    assert.deepEqual(service([]).quickFixes({ path: CASES[0].path, text: m.text }, m.ranges[0]).map((x) => [x.fix.title, x.fix.isPreferred]), [['Insert `org_uuid: `', true]]);
  });

  test('facts from a host are cleaned: bad sites and UUIDs dropped, names one line, keys before a token', () => {
    const cleaned = cleanOrgFacts([
      { site: ' DataDogHQ.com ', orgUuid: ORG.toUpperCase(), orgName: 'a\nb\u0007', source: 'token' },
      { site: 'datadoghq.com', orgUuid: 'nope', source: 'keys' },
      { site: 'a b', orgUuid: ORG, source: 'keys' },
      null,
      'x',
    ]);
    // Controls that act on a reader (BEL, a right-to-left override) are shown, not obeyed.
    assert.deepEqual(cleaned, [{ site: 'datadoghq.com', orgUuid: ORG, orgName: 'a b\\x07', source: 'token' }]);
    assert.equal(cleanOrgFacts([{ ...COM, orgName: 'acme\u202eprod' }])[0].orgName, 'acme\\u202eprod');
    assert.deepEqual(cleanOrgFacts('nope'), []);
    assert.equal(cleanOrgFacts(Array.from({ length: 10_000 }, () => COM)).length, 64);
  });
});

describe('work', () => {
  test('one quick-fix request over a whole file reads its login targets and its env settings once, however many findings', () => {
    const n = 300;
    const count = (s: LanguageService, method: string) => {
      let calls = 0;
      const target = s as unknown as Record<string, (...args: unknown[]) => unknown>;
      const original = target[method].bind(s);
      target[method] = (...args: unknown[]) => {
        calls++;
        return original(...args);
      };
      return () => calls;
    };
    const whole = (text: string) => ({ start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } });

    const yamlText = Array.from({ length: n }, (_, i) => `${i ? '---\n' : ''}api_key: x\ndelegated_auth:\n  provider: aws\n`).join('');
    const s1 = service();
    const targets = count(s1, 'loginTargets');
    const fixes1 = s1.quickFixes({ path: '/d/datadog.yaml', text: yamlText }, whole(yamlText)).filter((x) => /org of/.test(x.fix.title));
    assert.equal(fixes1.length, n);
    assert.equal(targets(), 1);

    const compose = `services:\n${Array.from({ length: n }, (_, i) => `  agent${i}:\n    image: datadog/agent:7.78.0\n    environment:\n      DD_API_KEY: \${K}\n      DD_DELEGATED_AUTH_PROVIDER: aws\n`).join('')}`;
    const s2 = service();
    const finders = count(s2, 'settingFinderOf');
    const fixes2 = s2.quickFixes({ path: '/docker-compose.yml', text: compose }, whole(compose)).filter((x) => /org of/.test(x.fix.title));
    assert.equal(fixes2.length, n);
    assert.equal(finders(), 1);
  });
});

describe('mutated files', () => {
  /** Whether a text parses in its own language: what an org fix must keep true. */
  const parses = (s: LanguageService, path: string, text: string): boolean => {
    if (path.endsWith('.json')) {
      try {
        JSON.parse(text);
      } catch {
        return false;
      }
    }
    if (/\.ya?ml$/.test(path) && parseAllDocuments(text).some((d) => !Array.isArray(d) && d.errors.length > 0)) return false;
    return !s.lint({ path, text }).some((f) => /syntax|not-checked/.test(f.code));
  };
  const SPECIALS = ['-', ':', ' ', '\n', '=', '"', "'", '{', '}', '[', ']', ',', '#', '${', 'DD_DELEGATED_AUTH_', 'org_uuid', 'site: datadoghq.eu\n', '|', '&a', '*a'];
  for (const c of CASES) {
    test(`${c.form}: quick fixes and hovers never throw; an org fix keeps a file that parsed parsing`, () => {
      const s = service([COM, EU]);
      const base = marked(c.source).text;
      const rng = new Rng(c.form.length * 31 + c.code.length);
      const ops = Object.values(textMutations(randomCharFrom(SPECIALS)));
      for (let i = 0; i < 40; i++) {
        let text = base;
        for (let n = rng.between(1, 3); n > 0; n--) text = rng.pick(ops)(text, rng);
        const index = new TextIndex(text);
        const whole = index.range(0, text.length);
        const fixes = s.quickFixes({ path: c.path, text }, whole).filter((x) => /to the org of/.test(x.fix.title));
        s.hover({ path: c.path, text }, index.positionAt(rng.int(text.length + 1)));
        if (!fixes.length || !parses(s, c.path, text)) continue;
        for (const { fix } of fixes) {
          for (const e of fix.edits) assert.ok(index.offsetAt(e.range.start) <= index.offsetAt(e.range.end), `${c.form} #${i}`);
          const after = applyEdits(text, fix.edits);
          assert.ok(parses(s, c.path, after), `${c.form} #${i}: ${fix.title}\n--- before\n${text}\n--- after\n${after}`);
        }
      }
    });
  }
});

describe('the org_uuid hover', () => {
  const HOVERS: { form: string; path: string; source: string }[] = [
    { form: 'datadog.yaml', path: '/etc/datadog-agent/datadog.yaml', source: `api_key: x\ndelegated_auth:\n  org_uuid: ${ORG.slice(0, 4)}‸${ORG.slice(4)}\n` },
    { form: 'Kubernetes', path: '/k8s/a.yaml', source: K8S(`              - name: DD_DELEGATED_AUTH_ORG_UUID\n                value: "‸${ORG}"\n`) },
    { form: 'compose list', path: '/docker-compose.yml', source: `services:\n  agent:\n    image: datadog/agent:7.78.0\n    environment:\n      - DD_API_KEY\n      - DD_DELEGATED_AUTH_ORG_UUID=${ORG}‸\n` },
    { form: 'ECS JSON', path: '/ecs/task.json', source: `{"containerDefinitions": [{"name": "a", "image": "datadog/agent:7.78.0", "environment": [{"name": "DD_DELEGATED_AUTH_ORG_UUID", "value": "${ORG.slice(0, 9)}‸${ORG.slice(9)}"}], "secrets": [{"name": "DD_API_KEY", "valueFrom": "x"}]}]}\n` },
    { form: 'Terraform provider', path: '/infra/main.tf', source: `provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid            = "‸${ORG}"\n}\n` },
    { form: 'Terraform ECS', path: '/infra/ecs.tf', source: `resource "aws_ecs_task_definition" "a" {\n  container_definitions = jsonencode([{ name = "a", image = "datadog/agent:7.78.0", environment = [\n    { name = "DD_DELEGATED_AUTH_ORG_UUID", value = "${ORG}‸" },\n  ] }])\n}\n` },
  ];
  for (const h of HOVERS) {
    test(`${h.form}: this is the org; another org; nothing without facts`, () => {
      const m = marked(h.source);
      const doc = { path: h.path, text: m.text };
      const mine = service().hover(doc, m.cursor!);
      assert.ok(mine, 'a hover');
      assert.ok(mine.contents.endsWith("This is the org 'acme-prod' (your keys for datadoghq.com)"), mine.contents);
      const other = service([{ ...COM, orgUuid: OTHER, orgName: 'acme-staging' }]).hover(doc, m.cursor!);
      assert.ok(other?.contents.endsWith(`Your keys for datadoghq.com belong to another org, 'acme-staging' (uuid \`${OTHER}\`)`), other?.contents);
      const none = service([]).hover(doc, m.cursor!);
      assert.ok(!none || !/org/.test(none.contents.split('\n').pop()!.replace(/org_uuid|ORG_UUID/g, '')), 'no org line without facts');
      assert.ok(!service([EU]).hover(doc, m.cursor!)?.contents.includes('acme-eu'), 'not the org of another site');
    });
  }

  test('the name from the server is escaped for Markdown', () => {
    const name = '[x](https://evil.example) <img src=x> *b* `c`';
    const line = orgHoverLine([{ ...COM, orgName: name }], undefined, ORG)!;
    assert.equal(line, `This is the org '${escapeMarkdown(name)}' (your keys for datadoghq.com)`);
    assert.ok(!/(^|[^\\])[[\]()<>*`]/.test(line.replace(/^This is the org '/, '').replace(/' \(your keys for datadoghq\.com\)$/, '')), line);
    assert.equal(orgHoverLine([COM], undefined, 'not-a-uuid'), undefined);
    assert.equal(orgHoverLine([{ ...COM, orgName: undefined }], undefined, ORG), 'This is the org of your keys for datadoghq.com');
  });
});
