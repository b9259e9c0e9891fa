// Terraform `aws_ecs_task_definition` (terraform/ecs.ts): the containers of
// `container_definitions = jsonencode([...])` read from the HCL object model,
// JSON in a heredoc or a quoted string mapped back onto the .tf text,
// `file()` and friends not read, `task_role_arn` literal or reference; exact
// spans by caret markers; weird shapes never throw; the shared corpus has no
// task definition that reads as an Agent.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { extractTerraformModel } from '../../server/src/service/terraform/model';
import { terraformAgentEnv } from '../../server/src/service/terraform/ecs';
import type { AgentEnvFile } from '../../server/src/service/agentEnv/settings';
import { marked, yaml as hcl } from '../helpers/markers';
import { describeFile, markedSpans, spansWithin } from '../helpers/agentEnvFiles';
import { NO_TF_CORPUS_MESSAGE, TF_CORPUS_DIR, readTfCorpus, tfCorpusNames, withTree } from '../helpers/terraform';

function read(text: string): Promise<AgentEnvFile> {
  return withTree(text, (tree) => terraformAgentEnv(extractTerraformModel(tree)));
}

describe('aws_ecs_task_definition: jsonencode([...])', () => {
  test('each container object: names, values (HCL literals, quotes included), secrets, files, image, the task role reference', async () => {
    const m = marked(hcl`
      resource "aws_ecs_task_definition" "agent" {
        family        = "datadog-agent"
        task_role_arn = «aws_iam_role.agent.arn»
        container_definitions = jsonencode([
          {
            name  = «"datadog-agent"»
            image = «"public.ecr.aws/datadog/agent:7.70.0"»
            environment = [
              { name = "«DD_DELEGATED_AUTH_ORG_UUID»", value = «"not-a-uuid"» },
              { name = "«DD_SITE»", value = «var.site» },
              { "name" : "«DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS»", "value" : «60» },
              { name = "«dd_logs_enabled»", value = «true» },
              «{ name = local.computed, value = "x" }»,
              { name = "DD_NULL", value = null },
            ]
            secrets = [{ name = "«DD_API_KEY»", valueFrom = «aws_secretsmanager_secret.dd.arn» }]
            environmentFiles = [«{ value = "arn:aws:s3:::bucket/agent.env", type = "s3" }»]
          },
          local.sidecar,
        ])
      }
    `);
    const [role, anchor, image, n1, v1, n2, v2, n3, v3, n4, v4, computed, n5, v5, file] = markedSpans(m);
    const { workloads } = await read(m.text);
    assert.equal(workloads.length, 1, 'local.sidecar is not an object: no workload');
    const w = workloads[0];
    assert.equal(w.form, 'terraform-ecs');
    assert.equal(w.label, 'container `datadog-agent` of `aws_ecs_task_definition.agent`');
    assert.deepEqual(w.anchor, anchor);
    assert.deepEqual(w.role, { via: 'ecs-task-role', reference: 'aws_iam_role.agent.arn', span: role });
    assert.deepEqual(w.images, [{ repository: 'public.ecr.aws/datadog/agent:7.70.0', span: image }]);
    assert.deepEqual(
      w.settings.map((s) => [s.name, s.label, s.nameSpan, s.value]),
      [
        ['DD_DELEGATED_AUTH_ORG_UUID', 'DD_DELEGATED_AUTH_ORG_UUID', n1, { kind: 'literal', text: 'not-a-uuid', span: v1, syntax: 'hcl', replaceable: true }],
        ['DD_SITE', 'DD_SITE', n2, { kind: 'unknown', span: v2, source: '`var.site` from Terraform' }],
        ['DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS', 'DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS', n3, { kind: 'literal', text: '60', span: v3, syntax: 'hcl', replaceable: true }],
        ['DD_LOGS_ENABLED', 'dd_logs_enabled', n4, { kind: 'literal', text: 'true', span: v4, syntax: 'hcl', replaceable: true }],
        ['DD_API_KEY', 'DD_API_KEY', n5, { kind: 'unknown', span: v5, source: 'from a secret (`valueFrom = aws_secretsmanager_secret.dd.arn`)' }],
      ],
    );
    assert.deepEqual(w.opaqueSources, [
      { span: computed, what: 'an entry of `environment` from `{ name = local.computed, value = "x" }`' },
      { span: file, what: 'the environment file `arn:aws:s3:::bucket/agent.env`' },
    ]);
  });

  test('an environment Terraform computes (a `for`, concat, a variable) is a source the file does not show', async () => {
    const text = hcl`
      resource "aws_ecs_task_definition" "a" {
        container_definitions = jsonencode([
          { name = "a", environment = [for k, v in var.env : { name = k, value = v }] },
          { name = "b", environment = var.env, secrets = concat(local.s, []) },
        ])
      }
    `;
    assert.deepEqual(describeFile(text, await read(text)), [
      'terraform-ecs container `a` of `aws_ecs_task_definition.a` @"\\"a\\""',
      '  + `environment` from `[for k, v in var.env : { name = k, value = v }]` @"[for k, v in var.env : { name = k, value = v }]"',
      'terraform-ecs container `b` of `aws_ecs_task_definition.a` @"\\"b\\""',
      '  + `environment` from `var.env` @"var.env"',
      '  + `secrets` from `concat(local.s, [])` @"concat(local.s, [])"',
    ]);
  });

  test('templates and interpolations in values and images are unknown; a literal task_role_arn is the ARN', async () => {
    const m = marked(hcl`
      resource "aws_ecs_task_definition" "a" {
        task_role_arn = «"arn:aws:iam::123456789012:role/agent"»
        container_definitions = jsonencode([{
          name  = "a"
          image = «"datadog/agent:\${var.tag}"»
          environment = [{ name = "DD_DELEGATED_AUTH_ORG_UUID", value = «"\${var.org}"» }]
        }])
      }
    `);
    const [role, image, value] = markedSpans(m);
    const w = (await read(m.text)).workloads[0];
    assert.deepEqual(w.role, { via: 'ecs-task-role', arn: 'arn:aws:iam::123456789012:role/agent', span: role });
    assert.deepEqual(w.images, [{ repository: '"datadog/agent:${var.tag}"', span: image, unknown: true }]);
    assert.deepEqual(w.settings[0].value, { kind: 'unknown', span: value, source: '`"${var.org}"` from Terraform' });
  });
});

describe('aws_ecs_task_definition: JSON in a heredoc or a quoted string', () => {
  test('a heredoc (<<-EOF): JSON literals at their characters in the .tf, replaceable; `${…}` unknown; `$${` literal, not replaceable', async () => {
    const m = marked(hcl`
      resource "aws_ecs_task_definition" "heredoc" {
        container_definitions = <<-EOF
          [
            {
              "name": «"agent"»,
              "image": «"datadog/agent:\${var.tag}"»,
              "environment": [
                {"name": "«DD_DELEGATED_AUTH_ORG_UUID»", "value": «"not-a-uuid"»},
                {"name": "«DD_SITE»", "value": «"\${var.site}"»},
                {"name": "«DD_DELEGATED_AUTH_PROVIDER»", "value": «"aws$\${x}"»}
              ],
              "secrets": [{"name": "«DD_API_KEY»", "valueFrom": «"arn:aws:ssm:us-east-1:123456789012:parameter/dd"»}],
              "cpu": \${var.cpu}
            }
          ]
        EOF
      }
    `);
    const [anchor, image, n1, v1, n2, v2, n3, v3, n4, v4] = markedSpans(m);
    const w = (await read(m.text)).workloads;
    assert.equal(w.length, 1);
    assert.equal(w[0].label, 'container `agent` of `aws_ecs_task_definition.heredoc`');
    assert.deepEqual(w[0].anchor, anchor);
    assert.deepEqual(w[0].images, [{ repository: '"datadog/agent:${var.tag}"', span: image, unknown: true }]);
    assert.deepEqual(
      w[0].settings.map((s) => [s.name, s.nameSpan, s.value]),
      [
        ['DD_DELEGATED_AUTH_ORG_UUID', n1, { kind: 'literal', text: 'not-a-uuid', span: v1, syntax: 'json', replaceable: true }],
        ['DD_SITE', n2, { kind: 'unknown', span: v2, source: '`${var.site}` from Terraform' }],
        ['DD_DELEGATED_AUTH_PROVIDER', n3, { kind: 'literal', text: 'aws${x}', span: v3, syntax: 'json', replaceable: false }],
        ['DD_API_KEY', n4, { kind: 'unknown', span: v4, source: 'from SSM Parameter Store `arn:aws:ssm:us-east-1:123456789012:parameter/dd`' }],
      ],
    );
  });

  test('a quoted string: the JSON inside, its escapes mapped back; never replaceable (its quotes are written \\")', async () => {
    const m = marked(String.raw`resource "aws_ecs_task_definition" "q" {
  container_definitions = "[{\"name\": «\"q\"», \"environment\": [{\"name\": \"«DD_SITE»\", \"value\": «\"datad\u006fghq.com\"»}]}]"
}
`);
    const [anchor, n, v] = markedSpans(m);
    const w = (await read(m.text)).workloads;
    assert.deepEqual(w[0].anchor, anchor);
    assert.deepEqual(
      w[0].settings.map((s) => [s.name, s.nameSpan, s.value]),
      [['DD_SITE', n, { kind: 'literal', text: 'datadoghq.com', span: v, syntax: 'json', replaceable: false }]],
    );
  });

  test('file(), templatefile(), a variable, broken JSON, an unterminated heredoc: nothing read', async () => {
    const text = hcl`
      resource "aws_ecs_task_definition" "a" { container_definitions = file("containers.json") }
      resource "aws_ecs_task_definition" "b" { container_definitions = templatefile("c.tpl", { site = "x" }) }
      resource "aws_ecs_task_definition" "c" { container_definitions = var.defs }
      resource "aws_ecs_task_definition" "d" { container_definitions = jsonencode(local.defs) }
      resource "aws_ecs_task_definition" "e" { container_definitions = "[{\"name\": \"a\", \"environment\": [" }
      resource "aws_ecs_task_definition" "f" {
        container_definitions = <<EOT
      [{"name": "a", "environment": [{"name": "DD_SITE", "value": "x"}]}]
      %{ if var.x }x%{ endif }
      EOT
      }
    `;
    assert.deepEqual((await read(text)).workloads, []);
  });
});

describe('aws_ecs_task_definition: other files', () => {
  test('other resources and blocks stay out; the model lists each task definition once, with its address', async () => {
    const text = hcl`
      resource "aws_ecs_service" "s" { task_definition = aws_ecs_task_definition.t.arn }
      resource "aws_ecs_task_definition" "t" {
        container_definitions = jsonencode([{ name = "web", image = "nginx", environment = [{ name = "PORT", value = "80" }] }])
      }
    `;
    const model = await withTree(text, (tree) => extractTerraformModel(tree));
    assert.deepEqual(
      model.ecsTaskDefinitions?.map((t) => [t.address, t.workloads.map((w) => w.settings.map((s) => s.name))]),
      [['aws_ecs_task_definition.t', [['PORT']]]],
    );
  });

  test('weird shapes never throw and keep every span inside the text', async () => {
    const shapes = [
      'resource "aws_ecs_task_definition" {}',
      'resource "aws_ecs_task_definition" "a" { container_definitions = }',
      'resource "aws_ecs_task_definition" "a" { container_definitions = jsonencode([1, "x", null, [], {}]) }',
      'resource "aws_ecs_task_definition" "a" { container_definitions = jsonencode([{ environment = [1, null, [], { name = 3 }, { name = "A" }, { name = "B", value = [1] }] }]) }',
      'resource "aws_ecs_task_definition" "a" { container_definitions = jsonencode([{ environment = { DD_SITE = "x" }, secrets = [{}], environmentFiles = var.x, image = null }]) }',
      'resource "aws_ecs_task_definition" "a" { container_definitions = jsonencode([{ name = "a", environment = [{ name = "DD_SITE", value = "x" ',
      'resource "aws_ecs_task_definition" "a" { container_definitions = <<EOF\n[[[[[[[[\nEOF\n}',
      `resource "aws_ecs_task_definition" "a" { container_definitions = "${'['.repeat(3000)}" }`,
      'resource "aws_ecs_task_definition" "a" { container_definitions = "\\"" }',
      'resource "aws_ecs_task_definition" "a" { task_role_arn = 3\n container_definitions = <<EOF\n{"containerDefinitions": [{"name": "x"}]}\nEOF\n}',
    ];
    for (const text of shapes) {
      const file = await read(text);
      assert.ok(spansWithin(text, file), text);
    }
  });

  test('linear: 5,000 containers of one variable each give 5,000 workloads', async () => {
    const n = 5_000;
    const text = `resource "aws_ecs_task_definition" "a" {\n  container_definitions = jsonencode([\n${Array.from({ length: n }, (_, i) => `    { name = "c${i}", environment = [{ name = "DD_SITE", value = "datadoghq.com" }] },`).join('\n')}\n  ])\n}\n`;
    const { workloads } = await read(text);
    assert.equal(workloads.length, n);
    assert.equal(workloads[n - 1].label, `container \`c${n - 1}\` of \`aws_ecs_task_definition.a\``);
  });

  test('the shared corpus: no file holds a task definition read as an Agent workload', { skip: TF_CORPUS_DIR ? false : NO_TF_CORPUS_MESSAGE }, async () => {
    for (const name of tfCorpusNames()) {
      if (name.endsWith('.lock.hcl')) continue;
      const text = readTfCorpus(name);
      const file = await read(text);
      assert.ok(spansWithin(text, file), name);
      assert.deepEqual(
        file.workloads.filter((w) => w.settings.some((s) => s.name.startsWith('DD_'))),
        [],
        name,
      );
    }
  });
});
