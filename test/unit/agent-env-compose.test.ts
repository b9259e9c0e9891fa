// The docker-compose reader (agentEnv/compose.ts): one workload per service
// that sets environment variables, map and list forms with exact spans
// (caret markers), interpolation and pass-through as unknown values,
// env_file/extends as sources the file does not show, anchors and merges,
// and weird shapes that must never throw.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { YAML_OPTIONS } from '../../server/src/service/agent/lint';
import { interpolation, readCompose } from '../../server/src/service/agentEnv/compose';
import { documentRoot } from '../../server/src/service/agentEnv/readers';
import type { AgentEnvFile } from '../../server/src/service/agentEnv/settings';
import { marked, yaml } from '../helpers/markers';
import { describeFile, markedSpans, spansWithin } from '../helpers/agentEnvFiles';

function read(text: string): AgentEnvFile {
  const docs = parseAllDocuments(text, YAML_OPTIONS);
  const out: AgentEnvFile = { workloads: [], serviceAccounts: [] };
  for (const d of Array.isArray(docs) ? docs : []) out.workloads.push(...readCompose(documentRoot(d)!, text).workloads);
  return out;
}

describe('compose: map form', () => {
  test('names and values at their exact characters; numbers and booleans as written', () => {
    const m = marked(yaml`
      services:
        «datadog-agent»:
          image: «public.ecr.aws/datadog/agent:7.70.0»
          environment:
            «DD_DELEGATED_AUTH_ORG_UUID»: «"not-a-uuid"»
            «DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS»: «60»
            «DD_LOGS_ENABLED»: «true»
            «"DD_SITE"»: «datadoghq.com»
    `);
    const file = read(m.text);
    const [anchor, image, k1, v1, k2, v2, k3, v3, k4, v4] = markedSpans(m);
    assert.equal(file.workloads.length, 1);
    const w = file.workloads[0];
    assert.equal(w.form, 'compose');
    assert.equal(w.label, 'service `datadog-agent`');
    assert.deepEqual(w.anchor, anchor);
    assert.deepEqual(w.images, [{ repository: 'public.ecr.aws/datadog/agent:7.70.0', span: image }]);
    assert.deepEqual(
      w.settings.map((s) => [s.name, s.nameSpan, s.value]),
      [
        ['DD_DELEGATED_AUTH_ORG_UUID', k1, { kind: 'literal', text: 'not-a-uuid', span: v1, syntax: 'yaml', replaceable: true }],
        ['DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS', k2, { kind: 'literal', text: '60', span: v2, syntax: 'yaml', replaceable: true }],
        ['DD_LOGS_ENABLED', k3, { kind: 'literal', text: 'true', span: v3, syntax: 'yaml', replaceable: true }],
        // A quoted key: the name's characters without the quotes.
        ['DD_SITE', { start: k4.start + 1, end: k4.end - 1 }, { kind: 'literal', text: 'datadoghq.com', span: v4, syntax: 'yaml', replaceable: true }],
      ],
    );
  });

  test('`${VAR}`, `$VAR` and `${VAR:-default}` anywhere in a value are unknown; `$$` is a literal `$`; `KEY:` comes from the shell', () => {
    const m = marked(yaml`
      services:
        agent:
          environment:
            DD_API_KEY: «\${DD_API_KEY}»
            DD_SITE: «\${DD_SITE:-datadoghq.com}»
            DD_DELEGATED_AUTH_ORG_UUID: «prefix-$ORG»
            DD_DELEGATED_AUTH_PROVIDER: «aws$$»
            «DD_DELEGATED_AUTH_AWS_REGION»:
    `);
    const [a, b, c, d, e] = markedSpans(m);
    const s = read(m.text).workloads[0].settings;
    assert.deepEqual(s[0].value, { kind: 'unknown', span: a, source: '`${DD_API_KEY}` interpolated by Compose (shell or .env)' });
    assert.deepEqual(s[1].value, { kind: 'unknown', span: b, source: '`${DD_SITE:-datadoghq.com}` interpolated by Compose (shell or .env)' });
    assert.deepEqual(s[2].value, { kind: 'unknown', span: c, source: '`$ORG` interpolated by Compose (shell or .env)' });
    assert.deepEqual(s[3].value, { kind: 'literal', text: 'aws$', span: d, syntax: 'yaml', replaceable: true });
    assert.deepEqual(s[4].value, { kind: 'unknown', span: e, source: 'from the shell that runs Compose' });
  });

  test('values through an anchor or a merge key are not replaceable (the edit would change every user)', () => {
    const text = yaml`
      x-dd: &dd
        DD_SITE: datadoghq.com
      services:
        a:
          environment:
            <<: *dd
            DD_API_KEY: abc
        b:
          environment: *dd
    `;
    const lines = describeFile(text, read(text));
    assert.deepEqual(lines, [
      'compose service `a` @"a"',
      '  DD_API_KEY @"DD_API_KEY" = literal "abc" yaml replaceable at "abc"',
      '  DD_SITE @"DD_SITE" = literal "datadoghq.com" yaml at "datadoghq.com"',
      'compose service `b` @"b"',
      '  DD_SITE @"DD_SITE" = literal "datadoghq.com" yaml at "datadoghq.com"',
    ]);
  });
});

describe('compose: list form', () => {
  test('`- NAME=value`: the name and the value part at their characters; a quick fix replaces the part only (inner)', () => {
    const m = marked(yaml`
      services:
        agent:
          environment:
            - «DD_DELEGATED_AUTH_ORG_UUID»=«not-a-uuid»
            - "«DD_SITE»=«datadoghq.eu»"
            - '«DD_DELEGATED_AUTH_PROVIDER»=«aws»'
            - «DD_API_KEY»
            - «DD_DELEGATED_AUTH_AWS_REGION»=«\${REGION}»
            - «DD_EMPTY»=«»
    `);
    const [n1, v1, n2, v2, n3, v3, n4, n5, v5, n6, v6] = markedSpans(m);
    const s = read(m.text).workloads[0].settings;
    assert.deepEqual(
      s.map((x) => [x.name, x.nameSpan, x.value]),
      [
        ['DD_DELEGATED_AUTH_ORG_UUID', n1, { kind: 'literal', text: 'not-a-uuid', span: v1, syntax: 'yaml', replaceable: true, inner: v1 }],
        ['DD_SITE', n2, { kind: 'literal', text: 'datadoghq.eu', span: v2, syntax: 'yaml', replaceable: true, inner: v2 }],
        ['DD_DELEGATED_AUTH_PROVIDER', n3, { kind: 'literal', text: 'aws', span: v3, syntax: 'yaml', replaceable: true, inner: v3 }],
        ['DD_API_KEY', n4, { kind: 'unknown', span: n4, source: 'from the shell that runs Compose' }],
        ['DD_DELEGATED_AUTH_AWS_REGION', n5, { kind: 'unknown', span: v5, source: '`${REGION}` interpolated by Compose (shell or .env)' }],
        ['DD_EMPTY', n6, { kind: 'literal', text: '', span: v6, syntax: 'yaml', replaceable: true, inner: v6 }],
      ],
    );
  });

  test('an item whose characters are not its text (escapes, folded lines) keeps the whole item and no inner', () => {
    const text = yaml`
      services:
        agent:
          environment:
            - "DD_SITE=datadog\\x68q.com"
    `;
    assert.deepEqual(describeFile(text, read(text)), [
      'compose service `agent` @"agent"',
      '  DD_SITE @"\\"DD_SITE=datadog\\\\x68q.com\\"" = literal "datadoghq.com" yaml at "\\"DD_SITE=datadog\\\\x68q.com\\""',
    ]);
  });
});

describe('compose: services, sources, images', () => {
  test('env_file (string, list, {path}) and extends are sources the file does not show; a service with neither env nor env_file is no workload', () => {
    const text = yaml`
      services:
        web:
          image: nginx
        agent:
          image: datadog/agent:\${TAG:-7.78.0}
          env_file:
            - ./agent.env
            - path: ./override.env
              required: false
          extends:
            service: base
          environment:
            DD_SITE: datadoghq.com
        other:
          env_file: .env
    `;
    assert.deepEqual(describeFile(text, read(text)), [
      'compose service `agent` @"agent"',
      '  DD_SITE @"DD_SITE" = literal "datadoghq.com" yaml replaceable at "datadoghq.com"',
      '  + env_file `./agent.env` @"./agent.env"',
      '  + env_file `./override.env` @"./override.env"',
      '  + the service `base` it extends @"base"',
      '  image datadog/agent:${TAG:-7.78.0} (unknown) @"datadog/agent:${TAG:-7.78.0}"',
      'compose service `other` @"other"',
      '  + env_file `.env` @".env"',
    ]);
  });

  test('multi-document files: each document read on its own; documents that are not compose files give nothing', () => {
    const text = 'services:\n  a:\n    environment: [DD_SITE=datadoghq.com]\n---\nkind: ConfigMap\n---\nservices:\n  b:\n    environment: {DD_SITE: us3.datadoghq.com}\n';
    assert.deepEqual(
      read(text).workloads.map((w) => [w.label, w.settings.map((s) => s.value.kind === 'literal' && s.value.text)]),
      [
        ['service `a`', ['datadoghq.com']],
        ['service `b`', ['us3.datadoghq.com']],
      ],
    );
  });

  test('an unrelated compose file: services without Datadog variables are read, with nothing delegated-auth about them', () => {
    const text = yaml`
      services:
        db:
          image: postgres:16
          environment:
            POSTGRES_PASSWORD: example
    `;
    const w = read(text).workloads;
    assert.deepEqual(
      w.map((x) => x.settings.map((s) => s.name)),
      [['POSTGRES_PASSWORD']],
    );
  });
});

describe('compose: interpolation()', () => {
  test('what Compose interpolates and what it keeps', () => {
    assert.equal(interpolation('${A}'), '${A}');
    assert.equal(interpolation('x-${A:-${B}}-y'), '${A:-${B}');
    assert.equal(interpolation('$A_1b'), '$A_1b');
    assert.equal(interpolation('$$A'), undefined);
    assert.equal(interpolation('$$${A}'), '${A}');
    assert.equal(interpolation('price: 5$'), undefined);
    assert.equal(interpolation('$1'), undefined);
    assert.equal(interpolation('${unclosed'), '${unclosed');
    assert.equal(interpolation('no dollar'), undefined);
  });
});

describe('compose: weird shapes never throw', () => {
  const shapes: Record<string, string> = {
    'services is a list': 'services:\n  - a\n  - b\n',
    'services is a scalar': 'services: 3\n',
    'a service is null': 'services:\n  a:\n',
    'environment is a number': 'services:\n  a:\n    environment: 5\n',
    'environment holds lists, maps, nulls': 'services:\n  a:\n    environment:\n      - [1, 2]\n      - {x: y}\n      - ~\n      - =value\n      - ""\n',
    'map values that are maps': 'services:\n  a:\n    environment:\n      DD_SITE: {a: b}\n      DD_X: [1]\n',
    'alias cycle': 'x: &a\n  services: *a\nservices: *a\n',
    'alias to nothing': 'services:\n  a:\n    environment: *nope\n',
    'env_file of odd things': 'services:\n  a:\n    env_file: [1, ~, {required: true}, [x]]\n',
    'extends a number': 'services:\n  a:\n    extends: 3\n    environment: [A=1]\n',
    'image a map': 'services:\n  a:\n    image: {x: 1}\n    environment: [A=1]\n',
    'keys that are maps': 'services:\n  ? {a: b}\n  : environment: [A=1]\n',
    'broken YAML': 'services:\n  a:\n    environment:\n      - "unterminated\n',
    'a top-level list': '- services\n',
    'empty': '',
  };
  for (const [name, text] of Object.entries(shapes)) {
    test(name, () => {
      const file = read(text);
      assert.ok(spansWithin(text, file), 'every span inside the text');
    });
  }

  test('each service and variable is read once: a 20,000-variable service gives 20,000 settings', () => {
    const n = 20_000;
    const text = `services:\n  a:\n    environment:\n${Array.from({ length: n }, (_, i) => `      - DD_V${i}=x$$y`).join('\n')}\n`;
    const s = read(text).workloads[0].settings;
    assert.equal(s.length, n);
    const last = s[n - 1].value;
    assert.equal(last.kind === 'literal' && last.text, 'x$y');
  });
});
