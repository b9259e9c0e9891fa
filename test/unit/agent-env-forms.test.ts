// The same agent/* codes on the same mistakes in docker-compose, ECS task
// definition JSON and Terraform `aws_ecs_task_definition` (jsonencode and
// heredoc), at the exact characters (caret markers): a bad org UUID, a
// misspelt variable with "did you mean" and its rename, an Agent image older
// than 7.78.0, secrets counting as the fallback API key, interpolations never
// judged, and quick fixes that leave valid YAML, JSON and HCL. Unrelated
// files and workloads without delegated auth stay quiet.

import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { LanguageService, type Finding, type Range } from '../../server/src/service';
import { lintAgentEnv } from '../../server/src/service/agentEnv/lint';
import { readAgentEnv } from '../../server/src/service/agentEnv/readers';
import { loadHclLanguage } from '../../server/src/shared/treeSitter';
import type { HclRuntime } from '../../server/src/service/terraform/hcl';
import { analyseTerraform } from '../../server/src/service/terraform/lint';
import { terraformAgentEnv } from '../../server/src/service/terraform/ecs';
import type { AgentEnvFile, EnvSetting } from '../../server/src/service/agentEnv/settings';
import { applyEdits, marked, yaml } from '../helpers/markers';
import { Rng, assertWellFormed, randomCharFrom, textMutations } from '../helpers/corpus';
import { spansWithin } from '../helpers/agentEnvFiles';

const UUID = '11111111-2222-3333-4444-555555555555';

let service: LanguageService;
let tfRuntime: HclRuntime;
before(async () => {
  tfRuntime = await loadHclLanguage();
  service = new LanguageService();
  service.setHclRuntime(tfRuntime);
});

type Form = 'compose-map' | 'compose-list' | 'ecs-json' | 'tf-jsonencode' | 'tf-heredoc';
const FORMS: Form[] = ['compose-map', 'compose-list', 'ecs-json', 'tf-jsonencode', 'tf-heredoc'];
const TF_PATH = '/proj/ecs.tf';

/** `[name, value]` pairs (a value `«…»`-marked or not, written in the form's own quoting), an image and secrets, as one file of the form. */
interface Spec {
  env: [string, string][];
  /** Written raw (marks allowed). */
  image?: string;
  /** Names of variables taken from a secret / the shell. */
  secrets?: string[];
}

/** Marks may wrap a name (`«DD_X»`) or a value; values are plain text, quoted by the form. */
function build(form: Form, spec: Spec): string {
  const image = spec.image ?? 'public.ecr.aws/datadog/agent:7.78.0';
  const secrets = spec.secrets ?? [];
  switch (form) {
    case 'compose-map':
      return [
        'services:',
        '  datadog-agent:',
        `    image: ${image}`,
        '    environment:',
        ...spec.env.map(([k, v]) => `      ${k}: ${quote(v, '"')}`),
        ...secrets.map((k) => `      ${k}: \${${k}}`),
        '',
      ].join('\n');
    case 'compose-list':
      return ['services:', '  datadog-agent:', `    image: ${image}`, '    environment:', ...spec.env.map(([k, v]) => `      - ${k}=${v}`), ...secrets.map((k) => `      - ${k}`), ''].join('\n');
    case 'ecs-json':
      return [
        '{',
        '  "family": "datadog-agent-task",',
        '  "containerDefinitions": [{',
        '    "name": "datadog-agent",',
        `    "image": ${quote(image, '"')},`,
        '    "environment": [',
        spec.env.map(([k, v]) => `      {"name": "${k}", "value": ${quote(v, '"')}}`).join(',\n'),
        '    ],',
        `    "secrets": [${secrets.map((k) => `{"name": "${k}", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:dd"}`).join(', ')}]`,
        '  }]',
        '}',
        '',
      ].join('\n');
    case 'tf-jsonencode':
      return [
        'resource "aws_ecs_task_definition" "agent" {',
        '  family = "datadog-agent"',
        '  container_definitions = jsonencode([{',
        '    name  = "datadog-agent"',
        `    image = ${quote(image, '"')}`,
        '    environment = [',
        ...spec.env.map(([k, v]) => `      { name = "${k}", value = ${quote(v, '"')} },`),
        '    ]',
        `    secrets = [${secrets.map((k) => `{ name = "${k}", valueFrom = aws_secretsmanager_secret.dd.arn }`).join(', ')}]`,
        '  }])',
        '}',
        '',
      ].join('\n');
    case 'tf-heredoc':
      return [
        'resource "aws_ecs_task_definition" "agent" {',
        '  container_definitions = <<-EOF',
        '    [{',
        '      "name": "datadog-agent",',
        `      "image": ${quote(image, '"')},`,
        '      "environment": [',
        spec.env.map(([k, v]) => `        {"name": "${k}", "value": ${quote(v, '"')}}`).join(',\n'),
        '      ],',
        `      "secrets": [${secrets.map((k) => `{"name": "${k}", "valueFrom": "\${aws_secretsmanager_secret.dd.arn}"}`).join(', ')}]`,
        '    }]',
        '  EOF',
        '}',
        '',
      ].join('\n');
  }
}

/** `"…"` around a value, the marks kept outside the quotes when they wrap the whole value (so they include the quotes). */
function quote(v: string, q: string): string {
  const m = /^«(.*)»$/.exec(v);
  return m ? `«${q}${m[1]}${q}»` : `${q}${v}${q}`;
}

function lint(form: Form, text: string): Finding[] {
  if (form.startsWith('tf-')) {
    try {
      return service.lint({ path: TF_PATH, text });
    } finally {
      service.forget(TF_PATH);
    }
  }
  return lintAgentEnv(text);
}

function hits(form: Form, text: string, code: string): [string, Range][] {
  return lint(form, text)
    .filter((f) => f.code === code)
    .map((f) => [f.code, f.range]);
}

/** The text once the only fix of `code` is applied. */
function fixed(form: Form, text: string, code: string): string {
  const fixes = lint(form, text)
    .filter((f) => f.code === code)
    .flatMap((f) => f.data?.fixes ?? []);
  assert.equal(fixes.length, 1, `one fix for ${code} in ${form}: ${fixes.map((f) => f.title).join(' | ')}`);
  return applyEdits(text, fixes[0].edits);
}

/** The text still parses as its form's language, and reads `name` = `value`. */
function assertValid(form: Form, text: string, name: string, value: string): void {
  if (form === 'ecs-json') JSON.parse(text);
  if (form.startsWith('compose')) assert.deepEqual(parseAllDocuments(text).flatMap((d) => (Array.isArray(d) ? [] : d.errors)), []);
  if (form.startsWith('tf-')) assert.deepEqual(lint(form, text).filter((f) => f.code === 'tf/hcl-syntax'), [], text);
  const settings = form.startsWith('tf-') ? tfSettings(text) : readAgentEnv(text).workloads.flatMap((w) => w.settings);
  const s = settings.filter((x) => x.name === name).pop();
  assert.ok(s && s.value.kind === 'literal', `${name} literal in ${text}`);
  assert.equal(s.value.kind === 'literal' && s.value.text, value);
  if (form === 'tf-heredoc') {
    // The JSON inside the heredoc is still JSON.
    const body = /<<-EOF\n([\s\S]*?)\n\s*EOF/.exec(text)![1];
    JSON.parse(body);
  }
}

/** What a .tf file says about Agents, as the lint reads it (its own analysis, freed afterwards). */
function tfAgentEnv(text: string): AgentEnvFile {
  const a = analyseTerraform(tfRuntime, text, false);
  try {
    return terraformAgentEnv(a.model);
  } finally {
    a.tree.delete();
  }
}

function tfSettings(text: string): EnvSetting[] {
  return tfAgentEnv(text).workloads.flatMap((w) => w.settings);
}

for (const form of FORMS) {
  describe(`agent/* in ${form}`, () => {
    test('a bad org UUID: agent/org-uuid-invalid on the value', () => {
      const m = marked(build(form, { env: [['DD_DELEGATED_AUTH_ORG_UUID', '«not-a-uuid»']], secrets: ['DD_API_KEY'] }));
      // Compose's list form has no quotes: the marks hold the value's characters alone.
      assert.deepEqual(hits(form, m.text, 'agent/org-uuid-invalid'), [['agent/org-uuid-invalid', m.ranges[0]]]);
      const f = lint(form, m.text).find((x) => x.code === 'agent/org-uuid-invalid')!;
      assert.match(f.message, /`DD_DELEGATED_AUTH_ORG_UUID` must be a UUID/);
      assert.equal(f.severity, 'error');
    });

    test('a misspelt variable: agent/unknown-key on the name, "did you mean", and the rename keeps the file valid', () => {
      const m = marked(build(form, { env: [['«DD_DELEGATED_AUTH_ORG_UID»', UUID]], secrets: ['DD_API_KEY'] }));
      assert.deepEqual(hits(form, m.text, 'agent/unknown-key'), [['agent/unknown-key', m.ranges[0]]]);
      assert.match(lint(form, m.text).find((x) => x.code === 'agent/unknown-key')!.message, /did you mean `DD_DELEGATED_AUTH_ORG_UUID`\?/);
      const after = fixed(form, m.text, 'agent/unknown-key');
      assertValid(form, after, 'DD_DELEGATED_AUTH_ORG_UUID', UUID);
    });

    test('an Agent image older than 7.78.0: agent/version-unsupported on the image', () => {
      const m = marked(build(form, { env: [['DD_DELEGATED_AUTH_ORG_UUID', UUID]], secrets: ['DD_API_KEY'], image: '«public.ecr.aws/datadog/agent:7.70.0»' }));
      assert.deepEqual(hits(form, m.text, 'agent/version-unsupported'), [['agent/version-unsupported', m.ranges[0]]]);
      // The same file with 7.78.0 is quiet.
      assert.deepEqual(hits(form, build(form, { env: [['DD_DELEGATED_AUTH_ORG_UUID', UUID]], secrets: ['DD_API_KEY'] }), 'agent/version-unsupported'), []);
    });

    test('an API key from a secret (or the shell) counts as the fallback; without one, agent/no-fallback-api-key on the org UUID name', () => {
      const withSecret = build(form, { env: [['DD_DELEGATED_AUTH_ORG_UUID', UUID]], secrets: ['DD_API_KEY'] });
      assert.deepEqual(lint(form, withSecret), []);
      const m = marked(build(form, { env: [['«DD_DELEGATED_AUTH_ORG_UUID»', UUID]] }));
      assert.deepEqual(hits(form, m.text, 'agent/no-fallback-api-key'), [['agent/no-fallback-api-key', m.ranges[0]]]);
    });

    test('a bad provider: the quick fix writes `aws` in the form\'s own syntax', () => {
      const text = build(form, { env: [['DD_DELEGATED_AUTH_ORG_UUID', UUID], ['DD_DELEGATED_AUTH_PROVIDER', 'gcp']], secrets: ['DD_API_KEY'] });
      assert.equal(hits(form, text, 'agent/provider-invalid').length, 1);
      const after = fixed(form, text, 'agent/provider-invalid');
      assertValid(form, after, 'DD_DELEGATED_AUTH_PROVIDER', 'aws');
      assert.deepEqual(lint(form, after), []);
    });

    test('a bad region: the quick fix writes the closest region, valid in the form', () => {
      const text = build(form, { env: [['DD_DELEGATED_AUTH_ORG_UUID', UUID], ['DD_DELEGATED_AUTH_AWS_REGION', 'us-east1']], secrets: ['DD_API_KEY'] });
      const after = fixed(form, text, 'agent/region-invalid');
      assertValid(form, after, 'DD_DELEGATED_AUTH_AWS_REGION', 'us-east-1');
    });
  });
}

describe('interpolations are never judged', () => {
  const cases: [Form, string][] = [
    ['compose-map', 'services:\n  a:\n    environment:\n      DD_DELEGATED_AUTH_ORG_UUID: ${ORG_UUID}\n      DD_SITE: ${SITE:-nowhere}\n      DD_API_KEY: $API_KEY\n'],
    ['compose-list', 'services:\n  a:\n    environment:\n      - DD_DELEGATED_AUTH_ORG_UUID=${ORG_UUID}\n      - DD_SITE=${SITE:-nowhere}\n      - DD_API_KEY\n'],
    ['tf-jsonencode', 'resource "aws_ecs_task_definition" "a" {\n  container_definitions = jsonencode([{ name = "a", environment = [\n    { name = "DD_DELEGATED_AUTH_ORG_UUID", value = var.org },\n    { name = "DD_SITE", value = "${var.site}" },\n    { name = "DD_API_KEY", value = local.key },\n  ] }])\n}\n'],
    ['tf-heredoc', 'resource "aws_ecs_task_definition" "a" {\n  container_definitions = <<EOF\n[{"name": "a", "environment": [{"name": "DD_DELEGATED_AUTH_ORG_UUID", "value": "${var.org}"}, {"name": "DD_SITE", "value": "${var.site}"}, {"name": "DD_API_KEY", "value": "${var.key}"}]}]\nEOF\n}\n'],
  ];
  for (const [form, text] of cases) {
    test(form, () => {
      assert.deepEqual(lint(form, text), []);
    });
  }
});

describe('quiet where nothing configures delegated auth', () => {
  test('an unrelated compose file', () => {
    const text = yaml`
      services:
        db:
          image: postgres:16
          environment:
            POSTGRES_PASSWORD: example
        agent:
          image: datadog/agent:7.50.0
          environment:
            DD_API_KEY: \${DD_API_KEY}
            DD_SITE: datadoghq.com
    `;
    assert.deepEqual(lintAgentEnv(text), []);
  });

  test('an unrelated task definition, and one with an old Agent but no delegated auth', () => {
    const text = JSON.stringify({
      family: 'web',
      taskRoleArn: 'arn:aws:iam::123456789012:role/web',
      containerDefinitions: [
        { name: 'web', image: 'nginx:1.27', environment: [{ name: 'PORT', value: '80' }] },
        { name: 'agent', image: 'public.ecr.aws/datadog/agent:7.70.0', environment: [{ name: 'DD_SITE', value: 'datadoghq.com' }] },
      ],
    }, null, 2);
    assert.deepEqual(lintAgentEnv(text), []);
  });

  test('a Terraform task definition without delegated auth, next to the usual Datadog provider', () => {
    const text = hcl`
      provider "datadog" {}
      resource "aws_ecs_task_definition" "web" {
        container_definitions = jsonencode([{ name = "agent", image = "datadog/agent:7.60.0", environment = [{ name = "DD_SITE", value = "datadoghq.com" }] }])
      }
    `;
    assert.deepEqual(lint('tf-jsonencode', text), []);
  });
});

describe('Terraform: a misspelt delegated-auth name is flagged even where nothing else is judged', () => {
  test('DD_DELEGATD_AUTH_ORG_UUID alone: agent/unknown-key on the name in the HCL', () => {
    const m = marked(hcl`
      resource "aws_ecs_task_definition" "a" {
        container_definitions = jsonencode([{ name = "a", environment = [{ name = "«DD_DELEGATD_AUTH_ORG_UUID»", value = "${UUID}" }] }])
      }
    `);
    assert.deepEqual(hits('tf-jsonencode', m.text, 'agent/unknown-key'), [['agent/unknown-key', m.ranges[0]]]);
  });
});

function hcl(strings: TemplateStringsArray, ...values: unknown[]): string {
  return yaml(strings, ...values);
}

describe('examples/agent-env (what the demo lints)', () => {
  const root = path.resolve(__dirname, '..', '..', '..');
  const lintExample = (rel: string): string[] => {
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    const form: Form = rel.endsWith('.tf') ? 'tf-jsonencode' : rel.endsWith('.json') ? 'ecs-json' : 'compose-map';
    return lint(form, text).map((f) => `${f.range.start.line + 1} ${f.code}`);
  };
  const expected: Record<string, string[]> = {
    'examples/agent-env/compose/bad/docker-compose.yaml': [
      '5 agent/version-unsupported',
      '7 agent/unknown-site',
      '8 agent/no-fallback-api-key',
      '8 agent/org-uuid-invalid',
      '9 agent/provider-invalid',
      '10 agent/region-invalid',
      '11 agent/legacy-key',
      '12 agent/org-uuid-missing',
      '12 agent/product-key-ignored',
      '19 agent/unknown-key',
      '20 agent/org-uuid-missing',
      '20 agent/refresh-interval-invalid',
    ],
    'examples/agent-env/ecs/bad/task-definition.json': [
      '8 agent/version-unsupported',
      '11 agent/unknown-site',
      '12 agent/no-fallback-api-key',
      '12 agent/org-uuid-invalid',
      '13 agent/provider-invalid',
      '14 agent/region-invalid',
      '15 agent/refresh-interval-invalid',
      '16 agent/unknown-key',
    ],
    'examples/agent-env/terraform-ecs/bad/main.tf': [
      '18 agent/version-unsupported',
      '21 agent/gov-site-unsupported',
      '22 agent/no-fallback-api-key',
      '22 agent/org-uuid-invalid',
      '23 agent/provider-invalid',
      '24 agent/unknown-key',
      '40 agent/region-invalid',
    ],
    'examples/agent-env/compose/good/docker-compose.yaml': [],
    'examples/agent-env/ecs/good/task-definition.json': [],
    'examples/agent-env/terraform-ecs/good/main.tf': [],
  };
  for (const [rel, codes] of Object.entries(expected)) {
    test(rel, () => {
      assert.deepEqual(lintExample(rel), codes);
    });
  }
});

describe('through the language service: hover, completion, Test Login lens', () => {
  const TF = hcl`
    resource "aws_ecs_task_definition" "agent" {
      container_definitions = jsonencode([{
        name = "datadog-agent"
        environment = [
          { name = "DD_DELEGATED_AUTH_ORG_UUID", value = "${UUID}" },
          { name = "DD_SITE", value = "datadoghq.eu" },
          { name = "DD_DELEGATED_AUTH_AWS_REGION", value = "eu-west-1" },
          { name = "DD_API_KEY", value = var.api_key },
        ]
      }])
    }
  `;

  function at(text: string, needle: string, delta = 1) {
    const i = text.indexOf(needle);
    assert.ok(i >= 0, needle);
    const before = text.slice(0, i + delta);
    const lines = before.split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
  }

  function withDoc<T>(path: string, text: string, fn: (doc: { path: string; text: string }) => T): T {
    try {
      return fn({ path, text });
    } finally {
      service.forget(path);
    }
  }

  test('.tf: hover on a variable name and on a value from Terraform', () => {
    withDoc(TF_PATH, TF, (doc) => {
      const name = service.hover(doc, at(TF, 'DD_DELEGATED_AUTH_ORG_UUID', 3));
      assert.match(JSON.stringify(name?.contents), /sets `delegated_auth.org_uuid`/);
      const fromVar = service.hover(doc, at(TF, 'var.api_key', 2));
      assert.match(JSON.stringify(fromVar?.contents), /`var.api_key` from Terraform/);
    });
  });

  test('.tf: a Test Login lens on the org UUID variable, with the container\'s site and region', () => {
    const targets = withDoc(TF_PATH, TF, (doc) => service.loginTargets(doc));
    assert.deepEqual(
      targets.map((t) => [t.flow, t.orgUuid, t.site, t.region, t.range.start.line]),
      [['agent', UUID, 'datadoghq.eu', 'eu-west-1', 4]],
    );
  });

  test('.tf: completion of the variable names inside a task definition only', () => {
    const text = TF.replace('{ name = "DD_SITE"', '{ name = "DD_DELEGATED_AUTH_PR');
    const items = withDoc(TF_PATH, text, (doc) => service.complete(doc, at(text, 'DD_DELEGATED_AUTH_PR', 'DD_DELEGATED_AUTH_PR'.length)));
    assert.ok(items.some((i) => i.label === 'DD_DELEGATED_AUTH_PROVIDER'), items.map((i) => i.label).join(' '));
    const outside = `variable "x" {\n  default = "DD_DELEGATED_AUTH_PR"\n}\n`;
    assert.deepEqual(withDoc(TF_PATH, outside, (doc) => service.complete(doc, at(outside, 'DD_DELEGATED_AUTH_PR', 'DD_DELEGATED_AUTH_PR'.length))), []);
  });

  test('docker-compose.yaml and task-definition.json: found by content, linted, hovered, with a lens', () => {
    const compose = build('compose-map', { env: [['DD_DELEGATED_AUTH_ORG_UUID', 'not-a-uuid'], ['DD_SITE', 'datadoghq.eu']], secrets: ['DD_API_KEY'] });
    withDoc('/proj/docker-compose.yaml', compose, (doc) => {
      assert.deepEqual(service.lint(doc).map((f) => f.code), ['agent/org-uuid-invalid']);
      assert.match(JSON.stringify(service.hover(doc, at(compose, '${DD_API_KEY}', 2))?.contents), /interpolated by Compose/);
      assert.deepEqual(service.loginTargets(doc).map((t) => [t.orgUuid, t.site]), [['not-a-uuid', 'datadoghq.eu']]);
    });
    const json = build('ecs-json', { env: [['DD_DELEGATED_AUTH_ORG_UUID', UUID], ['DD_DELEGATED_AUTH_PROVIDER', 'gcp']], secrets: ['DD_API_KEY'] });
    withDoc('/proj/task-definition.json', json, (doc) => {
      assert.deepEqual(service.lint(doc).map((f) => f.code), ['agent/provider-invalid']);
      assert.match(JSON.stringify(service.hover(doc, at(json, 'arn:aws:secretsmanager', 2))?.contents), /from Secrets Manager/);
      assert.deepEqual(service.loginTargets(doc).map((t) => t.orgUuid), [UUID]);
    });
  });
});

describe('mutations of the bad examples never throw and keep every finding inside the text', () => {
  const root = path.resolve(__dirname, '..', '..', '..');
  const cases: [Form, string, string[]][] = [
    ['compose-map', 'examples/agent-env/compose/bad/docker-compose.yaml', ['-', ':', ' ', '\n', '=', '$', '${', '$$', '&a', '*a', '<<: ', 'DD_', '#', '"']],
    ['ecs-json', 'examples/agent-env/ecs/bad/task-definition.json', ['{', '}', '[', ']', ',', ':', '"', '\\', 'null', 'DD_', '\n']],
    ['tf-jsonencode', 'examples/agent-env/terraform-ecs/bad/main.tf', ['{', '}', '[', ']', ',', '=', '"', '\\', '${', '$${', '<<EOF', 'EOF', 'jsonencode(', 'DD_', '\n']],
  ];
  for (const [form, rel, specials] of cases) {
    test(rel, () => {
      const base = fs.readFileSync(path.join(root, rel), 'utf8');
      const rng = new Rng(rel.length);
      const ops = Object.values(textMutations(randomCharFrom(specials)));
      for (let i = 0; i < 150; i++) {
        let mutated = base;
        for (let n = rng.between(1, 3); n > 0; n--) mutated = rng.pick(ops)(mutated, rng);
        assertWellFormed(lint(form, mutated), mutated, `${rel}, mutation ${i}`);
        assert.ok(spansWithin(mutated, form.startsWith('tf-') ? tfAgentEnv(mutated) : readAgentEnv(mutated)), `${rel}, mutation ${i}`);
      }
    });
  }
});
