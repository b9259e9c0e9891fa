// Agent image references (agentEnv/version.ts): repository, tag and digest;
// which repositories are the Agent; which tags name a version; the 7.78.0
// minimum.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isAgentImage, isOlder, parseAgentImage, parseImage, tagVersion } from '../../server/src/service/agentEnv/version';

const at = { start: 0, end: 1 };

test('parseImage: a port is not a tag; tag and digest apart', () => {
  assert.deepEqual(parseImage('gcr.io/datadoghq/agent:7.78.1-jmx'), { repository: 'gcr.io/datadoghq/agent', tag: '7.78.1-jmx' });
  assert.deepEqual(parseImage('localhost:5000/datadog/agent'), { repository: 'localhost:5000/datadog/agent' });
  assert.deepEqual(parseImage('localhost:5000/datadog/agent:7.70.0'), { repository: 'localhost:5000/datadog/agent', tag: '7.70.0' });
  assert.deepEqual(parseImage('datadog/agent:7.70.0@sha256:abc'), { repository: 'datadog/agent', tag: '7.70.0', digest: 'sha256:abc' });
  assert.deepEqual(parseImage(' Datadog/Agent '), { repository: 'datadog/agent' });
});

test('isAgentImage: the published repositories and mirrors that keep the path; not the Cluster Agent or others', () => {
  for (const r of ['datadog/agent', 'docker.io/datadog/agent', 'gcr.io/datadoghq/agent', 'eu.gcr.io/datadoghq/agent', 'asia.gcr.io/datadoghq/agent', 'public.ecr.aws/datadog/agent', 'datadoghq.azurecr.io/agent', 'registry.datadoghq.com/agent', '123456789012.dkr.ecr.us-east-1.amazonaws.com/docker-hub/datadog/agent']) {
    assert.ok(isAgentImage(r), r);
  }
  for (const r of ['datadog/cluster-agent', 'gcr.io/datadoghq/cluster-agent', 'agent', 'myorg/agent', 'datadog/dogstatsd', 'datadog/agent-dev']) assert.ok(!isAgentImage(r), r);
});

test('tagVersion: versions with suffixes; latest, bare majors, names are none', () => {
  assert.deepEqual(tagVersion('7.78.1'), [7, 78, 1]);
  assert.deepEqual(tagVersion('7.78.1-jmx'), [7, 78, 1]);
  assert.deepEqual(tagVersion('7.77.0-full'), [7, 77, 0]);
  assert.deepEqual(tagVersion('7.80.0-servercore-ltsc2022'), [7, 80, 0]);
  assert.deepEqual(tagVersion('7.78.0-rc.2'), [7, 78, 0]);
  assert.deepEqual(tagVersion('7.60'), [7, 60, undefined]);
  for (const t of ['latest', '7', '7-jmx', 'latest-jmx', 'main', '', 'v', '7.x']) assert.equal(tagVersion(t), undefined, t);
});

test('isOlder than 7.78.0: by major, minor, patch; a version without patch by major and minor', () => {
  assert.ok(isOlder([7, 77, 9]));
  assert.ok(isOlder([6, 99, 0]));
  assert.ok(!isOlder([7, 78, 0]));
  assert.ok(!isOlder([7, 78, undefined]));
  assert.ok(isOlder([7, 77, undefined]));
  assert.ok(!isOlder([8, 0, 0]));
});

test('parseAgentImage: judged only for an Agent image whose tag names a version, without a digest, not unknown', () => {
  assert.deepEqual(parseAgentImage({ repository: 'datadog/agent:7.70.0-jmx', span: at }), { tag: '7.70.0-jmx', version: [7, 70, 0] });
  // A tag given apart (Helm agents.image.tag) with the chart's default repository.
  assert.deepEqual(parseAgentImage({ tag: '7.70.0', span: at }), { tag: '7.70.0', version: [7, 70, 0] });
  assert.deepEqual(parseAgentImage({ repository: 'gcr.io/datadoghq/agent', tag: '7.71.0', span: at }), { tag: '7.71.0', version: [7, 71, 0] });
  assert.equal(parseAgentImage({ repository: 'datadog/agent:7.70.0@sha256:abc', span: at }), undefined);
  assert.equal(parseAgentImage({ repository: 'datadog/agent', span: at }), undefined);
  assert.equal(parseAgentImage({ repository: 'datadog/agent:latest', span: at }), undefined);
  assert.equal(parseAgentImage({ repository: 'nginx:1.25.0', span: at }), undefined);
  assert.equal(parseAgentImage({ repository: 'datadog/agent:7.70.0', span: at, unknown: true }), undefined);
});
