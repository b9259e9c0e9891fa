// The ECS task definition reader for JSON files (agentEnv/ecs.ts): the shapes
// AWS prints and takes, one workload per container definition, environment
// literals at their exact characters (quotes included, caret markers),
// secrets as unknown values, environmentFiles as sources the file does not
// show, images, the task role; and weird shapes that must never throw.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { YAML_OPTIONS } from '../../server/src/service/agent/lint';
import { readEcsTaskDefinitions, secretSource } from '../../server/src/service/agentEnv/ecs';
import { documentRoot } from '../../server/src/service/agentEnv/readers';
import type { AgentEnvFile } from '../../server/src/service/agentEnv/settings';
import { sniffAgentEnv } from '../../server/src/service/agentEnv/discover';
import { readAgentEnv } from '../../server/src/service/agentEnv/readers';
import { marked } from '../helpers/markers';
import { describeFile, markedSpans, spansWithin } from '../helpers/agentEnvFiles';

function read(text: string): AgentEnvFile {
  const docs = parseAllDocuments(text, YAML_OPTIONS);
  const out: AgentEnvFile = { workloads: [], serviceAccounts: [] };
  for (const d of Array.isArray(docs) ? docs : []) out.workloads.push(...readEcsTaskDefinitions(documentRoot(d)!, text).workloads);
  return out;
}

const TASK = `{
  "family": "datadog-agent-task",
  "taskRoleArn": «"arn:aws:iam::123456789012:role/datadog-agent"»,
  "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
  "containerDefinitions": [
    {
      "name": «"datadog-agent"»,
      "image": «"public.ecr.aws/datadog/agent:7.70.0"»,
      "environment": [
        {"name": "«DD_DELEGATED_AUTH_ORG_UUID»", "value": «"not-a-uuid"»},
        {"value": «"datadoghq.com"», "name": "«DD_SITE»"},
        {"name": "«DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS»", "value": «60»},
        {"name": "DD_NO_VALUE"}
      ],
      "secrets": [
        {"name": "«DD_API_KEY»", "valueFrom": «"arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-api-key-AbCdEf"»},
        {"name": "«DD_LOGS_CONFIG_API_KEY»", "valueFrom": «"/datadog/api-key"»}
      ],
      "environmentFiles": [«{"value": "arn:aws:s3:::my-bucket/agent.env", "type": "s3"}»]
    },
    {"name": "app", "image": "nginx"}
  ]
}
`;

describe('ECS JSON: a task definition', () => {
  test('one workload per container: environment literals (quotes included), secrets unknown, files opaque, image, task role', () => {
    const m = marked(TASK);
    const [role, name, image, n1, v1, v2, n2, n3, v3, n4, f4, n5, f5, file] = markedSpans(m);
    const parsed = read(m.text);
    assert.equal(parsed.workloads.length, 2);
    const [agent, app] = parsed.workloads;
    assert.equal(agent.form, 'ecs');
    assert.equal(agent.label, 'container `datadog-agent` of task definition `datadog-agent-task`');
    assert.deepEqual(agent.anchor, name);
    assert.deepEqual(agent.role, { via: 'ecs-task-role', arn: 'arn:aws:iam::123456789012:role/datadog-agent', span: role });
    assert.deepEqual(agent.images, [{ repository: 'public.ecr.aws/datadog/agent:7.70.0', span: image }]);
    assert.deepEqual(
      agent.settings.map((s) => [s.name, s.nameSpan, s.value]),
      [
        ['DD_DELEGATED_AUTH_ORG_UUID', n1, { kind: 'literal', text: 'not-a-uuid', span: v1, syntax: 'json', replaceable: true }],
        ['DD_SITE', n2, { kind: 'literal', text: 'datadoghq.com', span: v2, syntax: 'json', replaceable: true }],
        ['DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS', n3, { kind: 'literal', text: '60', span: v3, syntax: 'json', replaceable: true }],
        ['DD_API_KEY', n4, { kind: 'unknown', span: f4, source: 'from Secrets Manager `arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-api-key-AbCdEf`' }],
        ['DD_LOGS_CONFIG_API_KEY', n5, { kind: 'unknown', span: f5, source: 'from SSM Parameter Store `/datadog/api-key`' }],
      ],
    );
    assert.deepEqual(agent.opaqueSources, [{ span: file, what: 'the environment file `arn:aws:s3:::my-bucket/agent.env`' }]);
    // Every container of the task runs as the task role.
    assert.equal(app.label, 'container `app` of task definition `datadog-agent-task`');
    assert.deepEqual(app.role, agent.role);
    assert.deepEqual(app.settings, []);
  });

  test('`aws ecs describe-task-definition` output ({"taskDefinition": …}) reads the same', () => {
    const plain = marked(TASK).text;
    const wrapped = `{"taskDefinition": ${plain}, "tags": []}`;
    const shift = '{"taskDefinition": '.length;
    const a = read(plain).workloads;
    const b = read(wrapped).workloads;
    assert.deepEqual(
      b.map((w) => w.settings.map((s) => [s.name, s.value.span.start - shift])),
      a.map((w) => w.settings.map((s) => [s.name, s.value.span.start])),
    );
    assert.equal(b[0].label, a[0].label);
  });

  test('a list of task definitions, and a bare list of container definitions (a Terraform `file()` target)', () => {
    const list = `[{"family": "a", "containerDefinitions": [{"name": "x", "environment": [{"name": "DD_SITE", "value": "datadoghq.eu"}]}]}, {"family": "b", "containerDefinitions": []}]`;
    assert.deepEqual(describeFile(list, read(list)), ['ecs container `x` of task definition `a` @"\\"x\\""', '  DD_SITE @"DD_SITE" = literal "datadoghq.eu" json replaceable at "\\"datadoghq.eu\\""']);
    const bare = `[{"name": "agent", "image": "datadog/agent:7.78.0", "environment": [{"name": "DD_SITE", "value": "datadoghq.com"}]}]`;
    assert.deepEqual(describeFile(bare, read(bare)), [
      'ecs container `agent` @"\\"agent\\""',
      '  DD_SITE @"DD_SITE" = literal "datadoghq.com" json replaceable at "\\"datadoghq.com\\""',
      '  image datadog/agent:7.78.0 @"\\"datadog/agent:7.78.0\\""',
    ]);
  });

  test('a name with escapes keeps its quotes in nameSpan (its characters are not its text)', () => {
    const text = `{"containerDefinitions": [{"name": "a", "environment": [{"name": "DD_\\u0053ITE", "value": "x"}]}]}`;
    assert.deepEqual(describeFile(text, read(text)), ['ecs container `a` @"\\"a\\""', '  DD_SITE @"\\"DD_\\\\u0053ITE\\"" = literal "x" json replaceable at "\\"x\\""']);
  });

  test('an unrelated task definition: read, with nothing delegated-auth about it', () => {
    const text = `{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "environment": [{"name": "PORT", "value": "80"}]}]}`;
    const w = read(text).workloads;
    assert.deepEqual(
      w.map((x) => [x.settings.map((s) => s.name), x.role]),
      [[['PORT'], undefined]],
    );
  });

  test('CloudFormation-style PascalCase is not a task definition we read', () => {
    const text = `{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "a", "Environment": [{"Name": "DD_SITE", "Value": "x"}]}]}}}}`;
    assert.deepEqual(read(text).workloads, []);
  });
});

describe('ECS JSON: secretSource()', () => {
  test('Secrets Manager by ARN; SSM Parameter Store by ARN or by name', () => {
    assert.equal(secretSource('arn:aws:secretsmanager:eu-west-1:123456789012:secret:x'), 'from Secrets Manager `arn:aws:secretsmanager:eu-west-1:123456789012:secret:x`');
    assert.equal(secretSource('arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x'), 'from Secrets Manager `arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x`');
    assert.equal(secretSource('arn:aws:ssm:us-east-1:123456789012:parameter/dd'), 'from SSM Parameter Store `arn:aws:ssm:us-east-1:123456789012:parameter/dd`');
    assert.equal(secretSource('dd-api-key'), 'from SSM Parameter Store `dd-api-key`');
  });
});

describe('ECS JSON: weird shapes never throw', () => {
  const shapes: Record<string, string> = {
    'containerDefinitions is an object': '{"containerDefinitions": {"name": "a"}}',
    'containerDefinitions holds nulls and numbers': '{"containerDefinitions": [null, 1, "x", [], {}]}',
    'environment is a map': '{"containerDefinitions": [{"name": "a", "environment": {"DD_SITE": "x"}}]}',
    'environment entries of every type': '{"containerDefinitions": [{"environment": [null, 1, [], {"name": null}, {"name": {"a": 1}, "value": "x"}, {"name": "DD_SITE", "value": {"a": 1}}, {"name": "DD_X", "value": null}]}]}',
    'secrets and files of every type': '{"containerDefinitions": [{"secrets": [1, {"name": "A"}, {"name": "B", "valueFrom": [1]}], "environmentFiles": [1, null, {"value": 3}]}]}',
    'taskRoleArn an object': '{"taskRoleArn": {"Fn::GetAtt": ["R", "Arn"]}, "containerDefinitions": []}',
    'taskDefinition a list': '{"taskDefinition": [1, 2]}',
    'deeply nested lists': `${'['.repeat(2000)}${']'.repeat(2000)}`,
    'broken JSON': '{"containerDefinitions": [{"name": "a", "environment": [{"name": "DD_SITE", "value": "x',
    'a number': '42',
    'empty': '',
  };
  for (const [name, text] of Object.entries(shapes)) {
    test(name, () => {
      const file = read(text);
      assert.ok(spansWithin(text, file), 'every span inside the text');
    });
  }

  test('a name without a value, or a null value, is no setting; a secret without valueFrom is still present', () => {
    const text = '{"containerDefinitions": [{"name": "a", "environment": [{"name": "DD_SITE"}, {"name": "DD_X", "value": null}], "secrets": [{"name": "DD_API_KEY"}]}]}';
    assert.deepEqual(
      read(text).workloads[0].settings.map((s) => [s.name, s.value.kind]),
      [['DD_API_KEY', 'unknown']],
    );
  });

  test('linear: 20,000 containers of one variable each give 20,000 workloads', () => {
    const n = 20_000;
    const text = `{"containerDefinitions": [${Array.from({ length: n }, (_, i) => `{"name": "c${i}", "environment": [{"name": "DD_SITE", "value": "datadoghq.com"}]}`).join(',')}]}`;
    const w = read(text).workloads;
    assert.equal(w.length, n);
    assert.equal(w[n - 1].label, `container \`c${n - 1}\``);
  });
});

describe('ECS JSON: found by content', () => {
  test('a task definition, describe-task-definition output and a bare container list (a `file()` target) are read; other JSON lists are not', () => {
    const bare = '[\n  {"name": "agent", "image": "datadog/agent:7.78.0", "environment": [{"name": "DD_DELEGATED_AUTH_ORG_UUID", "value": "x"}]}\n]\n';
    assert.deepEqual(sniffAgentEnv(bare), ['ecs']);
    assert.deepEqual(
      readAgentEnv(bare).workloads.map((w) => [w.label, w.settings.map((s) => s.name)]),
      [['container `agent`', ['DD_DELEGATED_AUTH_ORG_UUID']]],
    );
    assert.deepEqual(sniffAgentEnv(marked(TASK).text), ['ecs']);
    assert.deepEqual(sniffAgentEnv(`{"taskDefinition": ${marked(TASK).text}}`), ['ecs']);
    assert.deepEqual(sniffAgentEnv('[{"name": "datadog", "version": "1.0"}]'), []);
    assert.deepEqual(sniffAgentEnv('[{"image": "datadog/agent", "ports": [80]}]'), []);
  });
});
