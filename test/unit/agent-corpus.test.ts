// The shared corpus of real datadog.yaml files (../shared/corpus/agent): each
// lints without a throw and gets exactly the diagnostics a person would agree
// with. Then datadog.yaml.example with realistic delegated_auth sections
// written into it, right and wrong. Skips when ../shared is absent.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService } from '../../server/src/service';
import { AGENT_CORPUS_DIR, API_KEY, NO_CORPUS_MESSAGE, ORG_UUID, agentCorpusFiles, assertWellFormed, codesAndLines } from '../helpers/corpus';

const skip = AGENT_CORPUS_DIR ? false : NO_CORPUS_MESSAGE;

function lint(name: string, text: string) {
  return new LanguageService().lint({ path: `/corpus/${name}`, text, kind: 'agent' });
}

/** Compares `[code, line]` lists regardless of order among findings on one line. */
function sorted(list: [string, number][]): [string, number][] {
  return [...list].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

// ---------------------------------------------------------------------------
// The corpus files as they are.

type Expectation =
  /** Exactly these findings: `[code, 1-based line]`. */
  | { exact: [string, number][]; why: string }
  /**
   * A syntax error that makes the parser give up on the rest of the file: it
   * reports every later token (up to the cap of 50). Only the first one says
   * something; the rest is a cascade (see the report). We pin the first line
   * and that nothing but syntax errors is reported.
   */
  | { syntaxCascadeFrom: number; why: string };

const EXPECTED: Record<string, Expectation> = {
  'datadog.yaml.example': { exact: [], why: 'everything but an empty `api_key:` is commented out' },
  'real/DataDog+ansible-datadog__ci_test__install_agent_7.yaml': { exact: [], why: 'an Ansible playbook: valid YAML, no `site`, no delegated_auth' },
  'real/DataDog+ansible-datadog__templates__datadog.yaml.j2': {
    syntaxCascadeFrom: 3,
    why: 'a Jinja2 template, not YAML: `{% if … %}` on line 3 is where it stops being YAML',
  },
  'real/DataDog+datadog-unix-agent__datadog.yaml': { exact: [], why: 'placeholder api_key and dd_url: nothing this extension judges' },
  'real/DataDog+helm-charts__examples__datadog__agent_basic_values.yaml': { exact: [], why: 'Helm values: valid YAML, no top-level `site` or delegated_auth' },
  'real/DataDog+helm-charts__examples__datadog__agent_otlp.yaml': { exact: [], why: 'Helm values with an OTLP receiver' },
  'real/Ideine+datadog-aas-linux__datadog.yaml': { exact: [], why: 'a `{AAS_LINUX_VERSION}` placeholder inside a path string is fine YAML' },
  'real/Joggo-run+railway-datadog-agent2__datadog.yaml': { exact: [], why: 'a misplaced integration-style `logs:` list is valid YAML and not about delegated_auth' },
  'real/OrdnanceSurvey+datadog-agent__datadog.yaml': { exact: [['agent/yaml-syntax', 6]], why: '`config_providers:` is mis-indented under the `listeners` list (PyYAML refuses it too)' },
  'real/XenitAB+terraform-modules__modules__kubernetes__datadog__templates__values.yaml.tpl': {
    exact: [['agent/unknown-site', 1]],
    why: 'a Terraform template: `site: ${datadog_site}` is not expanded if this is read as Agent configuration',
  },
  'real/cbusdog+ddagent__datadog.yaml': {
    exact: [['agent/yaml-syntax', 40]],
    why: 'shell commands pasted as bare lines 40-41 (one mistake: the parser\'s second error on the same line is folded)',
  },
  'real/cbusdog+dual-ship__datadog.yaml': { exact: [], why: 'dual shipping with placeholder API keys, no DELA() directive' },
  'real/cbusdog+erie__datadog.yaml': {
    syntaxCascadeFrom: 14,
    why: 'a shell command pasted at lines 4-6 reads as a plain scalar document; the parser objects where the mapping starts (line 14)',
  },
  'real/daveposh+dd_agent_container__datadog.yaml': { exact: [['agent/unknown-site', 2]], why: '`site: ${DD_SITE}`: the Agent does not expand shell references' },
  'real/h3poteto+phoenix_opentelemetry_example__datadog.yaml': { exact: [], why: 'an empty (null) `http:` section is valid' },
  'real/meistrari+railway-datadog-agent__datadog.yaml': { exact: [], why: 'otelcollector and otlp_config; the API key comes from the environment' },
  'real/ncracker+dd-nginx-proxy__datadog.yaml': { exact: [], why: 'a proxy setup with a placeholder dd_url' },
};

describe('corpus: every shared datadog.yaml as it is', { skip }, () => {
  const files = agentCorpusFiles();

  test('every corpus file has an expectation, and every expectation a file', () => {
    assert.deepEqual(files.map((f) => f.name).sort(), Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    const expected = EXPECTED[file.name];
    test(`${file.name}: ${expected?.why ?? 'no expectation'}`, () => {
      assert.ok(expected, `no expectation written for ${file.name}`);
      const findings = lint(file.name, file.text);
      assertWellFormed(findings, file.text, file.name);
      const got = codesAndLines(findings);
      if ('exact' in expected) {
        assert.deepEqual(sorted(got), sorted(expected.exact));
      } else {
        assert.ok(got.length > 0, 'a syntax error is reported');
        assert.deepEqual([...new Set(got.map(([c]) => c))], ['agent/yaml-syntax'], 'only syntax errors');
        assert.equal(got[0][1], expected.syntaxCascadeFrom, 'the first syntax error is on the expected line');
        assert.ok(got.length <= 5, `the cascade is folded (got ${got.length})`);
      }
      // The same text through a service that already analysed it: same answer (the cache is keyed on text).
      const service = new LanguageService();
      service.lint({ path: 'x', text: file.text, kind: 'agent' });
      assert.deepEqual(service.lint({ path: 'x', text: file.text, kind: 'agent' }), findings);
    });
  }

  test('hover and completion at every position of the small real files do not throw', () => {
    const service = new LanguageService();
    for (const file of files.filter((f) => f.name.startsWith('real/'))) {
      const doc = { path: `/corpus/${file.name}`, text: file.text, kind: 'agent' as const };
      const lines = file.text.split(/\r\n|\r|\n/);
      lines.forEach((line, l) => {
        for (let c = 0; c <= line.length; c++) {
          const h = service.hover(doc, { line: l, character: c });
          if (h) assert.ok(h.contents.length > 0);
          for (const item of service.complete(doc, { line: l, character: c })) assert.ok(item.label.length > 0);
        }
      });
    }
  });
});

// ---------------------------------------------------------------------------
// datadog.yaml.example with delegated_auth written into it.

/**
 * A line to write, with the codes expected on it after ` ▶ ` (comma-separated).
 * The marker is removed from the text.
 */
type MarkedLine = string;

interface Line {
  text: string;
  codes: string[];
}

function parseMarked(l: MarkedLine): Line {
  const [text, codes] = l.split(' ▶ ');
  return { text, codes: codes ? codes.split(',').map((c) => c.trim()) : [] };
}

class Variant {
  private lines: Line[];

  constructor(text: string) {
    this.lines = text.split('\n').map((t) => ({ text: t, codes: [] }));
  }

  /** Replaces the first line that reads exactly `line` (e.g. uncommenting `# logs_config:`). */
  replace(line: string, replacement: MarkedLine[]): this {
    const i = this.lines.findIndex((l) => l.text === line);
    assert.ok(i >= 0, `datadog.yaml.example has no line \`${line}\``);
    this.lines.splice(i, 1, ...replacement.map(parseMarked));
    return this;
  }

  append(lines: MarkedLine[]): this {
    this.lines.push(...lines.map(parseMarked));
    return this;
  }

  get text(): string {
    return this.lines.map((l) => l.text).join('\n');
  }

  get expected(): [string, number][] {
    return this.lines.flatMap((l, i) => l.codes.map((c): [string, number] => [c, i + 1]));
  }
}

const GOOD_TOP = [`api_key: ${API_KEY}`, 'delegated_auth:', `  org_uuid: ${ORG_UUID}`, '  provider: aws', '  aws:', '    region: eu-west-1', '  refresh_interval_mins: 30'];

describe('corpus: datadog.yaml.example with delegated_auth written into it', { skip }, () => {
  const example = agentCorpusFiles().find((f) => f.name === 'datadog.yaml.example')?.text ?? '';

  function check(v: Variant): void {
    const findings = lint('datadog.yaml', v.text);
    assertWellFormed(findings, v.text);
    assert.deepEqual(sorted(codesAndLines(findings)), sorted(v.expected));
  }

  test('a correct global section beside a filled-in api_key: nothing to say', () => {
    check(new Variant(example).replace('api_key:', GOOD_TOP));
  });

  test('a correct global section with the example\'s empty api_key: no fallback (information)', () => {
    // Justified: api_key is empty in the example, so a failed exchange leaves the Agent with no key.
    check(new Variant(example).replace('api_key:', ['api_key:', 'delegated_auth: ▶ agent/no-fallback-api-key', `  org_uuid: ${ORG_UUID}`]));
  });

  test('correct sections in all five places that read them, each with its API key: nothing to say', () => {
    check(
      new Variant(example)
        .replace('api_key:', GOOD_TOP)
        .replace('# site: datadoghq.com', ['site: datadoghq.eu'])
        .replace('# logs_config:', ['logs_config:', `  api_key: ${API_KEY}`, '  delegated_auth:', `    org_uuid: ${ORG_UUID}`])
        .append([
          'remote_configuration:',
          '  enabled: true',
          `  api_key: ${API_KEY}`,
          '  delegated_auth:',
          `    org_uuid: ${ORG_UUID}`,
          'evp_proxy_config:',
          `  api_key: ${API_KEY}`,
          '  delegated_auth:',
          `    org_uuid: "${ORG_UUID}"`,
          'ol_proxy_config:',
          `  api_key: '${API_KEY}'`,
          '  delegated_auth: {org_uuid: ' + ORG_UUID + '}',
        ]),
    );
  });

  test('one section written once with an anchor and reused by logs_config: nothing to say', () => {
    check(
      new Variant(example)
        .replace('api_key:', [`api_key: ${API_KEY}`, 'delegated_auth: &delegated_auth', `  org_uuid: ${ORG_UUID}`])
        .replace('# logs_config:', ['logs_config:', `  api_key: ${API_KEY}`, '  delegated_auth: *delegated_auth']),
    );
  });

  test('logs_config with a section but no API key of its own', () => {
    // logs_config has no api_key: the finding is justified only when no key at all is left to fall back on.
    check(
      new Variant(example)
        .replace('api_key:', ['api_key:', 'delegated_auth: ▶ agent/no-fallback-api-key', `  org_uuid: ${ORG_UUID}`])
        .replace('# logs_config:', ['logs_config:', '  delegated_auth: ▶ agent/no-fallback-api-key', `    org_uuid: ${ORG_UUID}`]),
    );
  });

  test('logs_config with a section and only the top-level api_key: nothing to say (the Agent falls back on it)', () => {
    check(new Variant(example).replace('api_key:', GOOD_TOP).replace('# logs_config:', ['logs_config:', '  delegated_auth:', `    org_uuid: ${ORG_UUID}`]));
  });

  test('a global section with every kind of mistake', () => {
    check(
      new Variant(example).replace('api_key:', [
        `api_key: ${API_KEY}`,
        'delegated_auth:',
        '  enabled: true ▶ agent/legacy-key',
        '  org_uuid: 3c7b2a10-4d5e-4f60-8a9b-0c1d2e3f4a5 ▶ agent/org-uuid-invalid',
        '  provider: gcp ▶ agent/provider-invalid',
        '  aws_region: us-east-1 ▶ agent/legacy-key',
        '  aws:',
        '    region: us-esat-1 ▶ agent/region-invalid',
        '    regoin: eu-west-1 ▶ agent/unknown-key',
        '  refresh_interval_mins: ten ▶ agent/refresh-interval-invalid',
        '  refresh_interval: 3600 ▶ agent/legacy-key',
        '  orguuid: x ▶ agent/unknown-key',
      ]),
    );
  });

  test('a pasted API key, a duplicate key, and a list where a mapping belongs', () => {
    check(
      new Variant(example)
        .replace('api_key:', [`api_key: ${API_KEY}`, 'delegated_auth:', `  org_uuid: ${API_KEY} ▶ agent/secret-in-org-uuid`, '  aws:', '    region: eu-west-1', '  aws: [eu-west-1] ▶ agent/duplicate-key, agent/wrong-type'])
        .replace('# logs_config:', ['logs_config:', `  api_key: ${API_KEY}`, '  delegated_auth:', `    - org_uuid: ${ORG_UUID} ▶ agent/wrong-type`]),
    );
  });

  test('product sections with global-only keys, a misplaced section, and a FED site', () => {
    check(
      new Variant(example)
        .replace('api_key:', GOOD_TOP)
        .replace('# site: datadoghq.com', ['site: ddog-gov.com ▶ agent/gov-site-unsupported'])
        .replace('# logs_config:', [
          'logs_config:',
          `  api_key: ${API_KEY}`,
          '  delegated_auth:',
          `    org_uuid: ${ORG_UUID}`,
          '    provider: aws ▶ agent/product-key-ignored',
          '    aws: ▶ agent/product-key-ignored',
          '      region: us-east-1',
        ])
        .replace('# apm_config:', ['apm_config:', '  delegated_auth: ▶ agent/unsupported-section', `    org_uuid: ${ORG_UUID}`]),
    );
  });

  test('a section without org_uuid, a host where the site belongs, and a suppressed finding', () => {
    check(
      new Variant(example)
        .replace('api_key:', [
          `api_key: ${API_KEY}`,
          'delegated_auth: ▶ agent/org-uuid-missing',
          '  provider: aws',
          '  refresh_interval_mins: 0 ▶ agent/refresh-interval-invalid',
          '  # datadog-wif-ignore agent/region-invalid',
          '  aws: {region: mars-north-1}',
        ])
        .replace('# site: datadoghq.com', ['site: https://app.datadoghq.eu ▶ agent/unknown-site']),
    );
  });

  test('DELA() directives for dual shipping', () => {
    check(
      new Variant(example).replace('api_key:', GOOD_TOP).append([
        'additional_endpoints:',
        '  "https://app.datadoghq.eu":',
        `    - DELA(${ORG_UUID}, aws, region=eu-west-1)`,
        `    - DELA(${ORG_UUID}, gcp) ▶ agent/dela-directive-invalid`,
      ]),
    );
  });
});
