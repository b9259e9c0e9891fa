// Completion in datadog.yaml at the ‸ cursor: keys of delegated_auth and aws,
// the delegated_auth section where it is read, values of provider, region and
// site, codes in suppression comments; nothing elsewhere. Half-typed lines
// that do not parse are the normal case.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, RULES, type CompletionItem, type Range } from '../../server/src/service';
import { AWS_REGIONS } from '../../server/src/service/common/awsRegions';
import { marked, yaml } from '../helpers/markers';

const PATH = '/etc/datadog-agent/datadog.yaml';
const SITES = ['datadoghq.com', 'us3.datadoghq.com', 'us5.datadoghq.com', 'datadoghq.eu', 'ap1.datadoghq.com', 'ap2.datadoghq.com', 'uk1.datadoghq.com', 'ddog-gov.com', 'us2.ddog-gov.com'];

function complete(source: string): { items: CompletionItem[]; text: string; cursor: { line: number; character: number }; ranges: Range[] } {
  const m = marked(source);
  assert.ok(m.cursor, 'no ‸ in the source');
  return { items: new LanguageService().complete({ path: PATH, text: m.text }, m.cursor), text: m.text, cursor: m.cursor, ranges: m.ranges };
}

function labels(source: string): string[] {
  return complete(source).items.map((i) => i.label);
}

/** Every item replaces the «» range (the partial word typed so far). */
function assertRanges(source: string): CompletionItem[] {
  const c = complete(source);
  assert.ok(c.items.length > 0);
  for (const i of c.items) assert.deepEqual(i.range, c.ranges[0], i.label);
  return c.items;
}

describe('keys inside the global delegated_auth', () => {
  test('all four on an empty line, in order, with snippets', () => {
    const items = complete(`delegated_auth:\n  ‸\n`).items;
    assert.deepEqual(items.map((i) => i.label), ['org_uuid', 'provider', 'aws', 'refresh_interval_mins']);
    assert.ok(items.every((i) => i.kind === 'property'));
    const by = Object.fromEntries(items.map((i) => [i.label, i]));
    assert.equal(by.org_uuid.insertText, 'org_uuid: ${1}');
    assert.equal(by.org_uuid.isSnippet, true);
    assert.equal(by.provider.insertText, 'provider: aws');
    assert.equal(by.provider.isSnippet, false);
    assert.equal(by.aws.insertText, 'aws:\n  region: ${1}');
    assert.equal(by.refresh_interval_mins.detail, 'integer · default 60');
    assert.match(by.org_uuid.documentation ?? '', /turns delegated authentication on/);
  });

  test('minus the keys already present, above and below the cursor', () => {
    assert.deepEqual(labels(`delegated_auth:\n  org_uuid: x\n  ‸\n  aws:\n    region: us-east-1\n`), ['provider', 'refresh_interval_mins']);
    assert.deepEqual(labels(`delegated_auth:\n  provider: aws\n  aws:\n    region: us-east-1\n  ‸\nsite: datadoghq.com\n`), ['org_uuid', 'refresh_interval_mins']);
  });

  test('a half-typed key (a line that does not parse yet) replaces the partial word', () => {
    const items = assertRanges(`api_key: k\ndelegated_auth:\n  org_uuid: x\n  «aw‸»\n  refresh_interval_mins: 5\n`);
    assert.deepEqual(items.map((i) => i.label), ['provider', 'aws']);
  });

  test('the replaced range runs to the end of the word under the cursor', () => {
    assertRanges(`delegated_auth:\n  «pro‸vid»\n`);
  });

  test('the file own indentation step is used in multi-line snippets, and its line breaks', () => {
    const four = complete(`delegated_auth:\n    org_uuid: x\n    ‸\n`).items.find((i) => i.label === 'aws');
    assert.equal(four?.insertText, 'aws:\n    region: ${1}');
    const crlf = marked(`delegated_auth:\r\n  ‸\r\n`);
    const item = new LanguageService().complete({ path: PATH, text: crlf.text }, crlf.cursor!).find((i) => i.label === 'aws');
    assert.equal(item?.insertText, 'aws:\r\n  region: ${1}');
  });

  test('a section line with an anchor, a tag or a comment after the colon still opens the section', () => {
    assert.deepEqual(labels(`delegated_auth: &da\n  ‸\n`), ['org_uuid', 'provider', 'aws', 'refresh_interval_mins']);
    assert.deepEqual(labels(`delegated_auth:   # ours\n  ‸\n`), ['org_uuid', 'provider', 'aws', 'refresh_interval_mins']);
    assert.deepEqual(labels(`delegated_auth: !!map\n  aws: &x # c\n    ‸\n`), ['region']);
    assert.deepEqual(labels(`logs_config: &lc\n  ‸\n`), ['delegated_auth']);
    // An alias is a value, not a mapping to complete in.
    assert.deepEqual(labels(`delegated_auth: *da\n  ‸\n`), []);
  });

  test('nothing when all four are there', () => {
    assert.deepEqual(labels(`delegated_auth:\n  org_uuid: x\n  provider: aws\n  aws:\n  refresh_interval_mins: 1\n  ‸\n`), []);
  });
});

describe('keys inside a per-product section and inside aws', () => {
  test('a per-product section offers only org_uuid', () => {
    for (const parent of ['logs_config', 'remote_configuration', 'evp_proxy_config', 'ol_proxy_config']) {
      assert.deepEqual(labels(`${parent}:\n  delegated_auth:\n    ‸\n`), ['org_uuid'], parent);
    }
    assert.deepEqual(labels(`logs_config:\n  delegated_auth:\n    org_uuid: x\n    ‸\n`), []);
  });

  test('inside aws: region, replacing the partial word, unless present', () => {
    const items = assertRanges(`delegated_auth:\n  aws:\n    «re‸»\n`);
    assert.deepEqual(items.map((i) => [i.label, i.insertText]), [['region', 'region: ${1}']]);
    assert.deepEqual(labels(`delegated_auth:\n  aws:\n    region: us-east-1\n    ‸\n`), []);
  });

  test('nothing inside aws of a per-product section (it has no effect there)', () => {
    assert.deepEqual(labels(`logs_config:\n  delegated_auth:\n    aws:\n      ‸\n`), []);
  });
});

describe('the delegated_auth section itself', () => {
  test('at the top level: the snippet, and site', () => {
    const items = complete(`api_key: k\n‸\n`).items;
    assert.deepEqual(items.map((i) => [i.label, i.kind]), [['delegated_auth', 'snippet'], ['site', 'property']]);
    assert.equal(items[0].insertText, 'delegated_auth:\n  org_uuid: ${1:00000000-0000-0000-0000-000000000000}');
    assert.equal(items[0].detail, 'Workload Identity Federation: fills api_key');
    assert.equal(items[1].insertText, `site: \${1|${SITES.join(',')}|}`);
  });

  test('half-typed at the top level', () => {
    const items = assertRanges(`api_key: k\n«del‸»\n`);
    assert.deepEqual(items.map((i) => i.label), ['delegated_auth', 'site']);
  });

  test('not offered again when the top level already has it (above or below), nor site', () => {
    assert.deepEqual(labels(`delegated_auth:\n  org_uuid: x\nsite: datadoghq.com\n‸`), []);
    assert.deepEqual(labels(`‸\nsite: datadoghq.com\ndelegated_auth:\n  org_uuid: x\n`), []);
    assert.deepEqual(labels(`delegated_auth:\n  aws:\n    region: us-east-1\n  refresh_interval_mins: 5\n‸`), ['site']);
  });

  test('a new document after --- starts afresh', () => {
    assert.deepEqual(labels(`site: x\ndelegated_auth:\n  org_uuid: x\n---\n‸\n`), ['delegated_auth', 'site']);
  });

  test('in logs_config and the other products that read it, with the slot it fills', () => {
    const items = assertRanges(`logs_config:\n  api_key: k\n  «dele‸»\n`);
    assert.deepEqual(items.map((i) => [i.label, i.detail]), [['delegated_auth', 'Workload Identity Federation: fills logs_config.api_key']]);
    for (const parent of ['remote_configuration', 'evp_proxy_config', 'ol_proxy_config']) {
      assert.deepEqual(labels(`${parent}:\n  ‸\n`), ['delegated_auth'], parent);
    }
    assert.deepEqual(labels(`logs_config:\n  delegated_auth:\n    org_uuid: x\n  ‸\n`), []);
  });

  test('not in apm_config, process_config or deeper', () => {
    assert.deepEqual(labels(`apm_config:\n  ‸\n`), []);
    assert.deepEqual(labels(`apm_config:\n  dele‸\n`), []);
    assert.deepEqual(labels(`process_config:\n  ‸\n`), []);
    assert.deepEqual(labels(`logs_config:\n  processing:\n    ‸\n`), []);
    assert.deepEqual(labels(`apm_config:\n  delegated_auth:\n    ‸\n`), []);
    // A list item of logs_config is not logs_config.
    assert.deepEqual(labels(`logs_config:\n  - delegated_auth:\n    ‸\n`), []);
    assert.deepEqual(labels(`logs_config:\n  - ‸\n`), []);
  });
});

describe('values', () => {
  test('provider: aws, right after the colon or half-typed', () => {
    const items = assertRanges(`delegated_auth:\n  provider: «a‸»\n`);
    assert.deepEqual(items.map((i) => [i.label, i.kind]), [['aws', 'enum']]);
    assert.deepEqual(labels(`delegated_auth:\n  provider:‸\n`), ['aws']);
  });

  test('aws.region: every AWS region, in catalog order, the partial word replaced', () => {
    const items = assertRanges(`delegated_auth:\n  aws:\n    region: «us-‸»\n`);
    assert.deepEqual(items.map((i) => i.label), [...AWS_REGIONS]);
    assert.ok(items.every((i) => i.kind === 'enum'));
    assert.match(items[0].detail ?? '', /sts\.us-east-1\.amazonaws\.com/);
    // Inside an opened quote the range starts after it.
    assertRanges(`delegated_auth:\n  aws:\n    region: "«eu‸»\n`);
  });

  test('no provider or region values in a per-product section, where those keys have no effect', () => {
    assert.deepEqual(labels(`logs_config:\n  delegated_auth:\n    provider: ‸\n`), []);
    assert.deepEqual(labels(`logs_config:\n  delegated_auth:\n    aws:\n      region: ‸\n`), []);
  });

  test('site: every Datadog site with its API host and Agent flow', () => {
    const items = assertRanges(`api_key: k\nsite: «us‸»\n`);
    assert.deepEqual(items.map((i) => i.label), SITES);
    const gov = items.find((i) => i.label === 'ddog-gov.com')!;
    assert.equal(gov.detail, 'US1-FED · api.ddog-gov.com');
    assert.match(gov.documentation ?? '', /Agent flow of delegated authentication: no\./);
    assertRanges(`site: '«da‸»'\n`);
  });

  test('no values for unrelated keys, for org_uuid, for site below the root, or for region outside aws', () => {
    assert.deepEqual(labels(`api_key: ‸\n`), []);
    assert.deepEqual(labels(`apm_config:\n  env: ‸\n`), []);
    assert.deepEqual(labels(`delegated_auth:\n  org_uuid: ‸\n`), []);
    assert.deepEqual(labels(`logs_config:\n  site: ‸\n`), []);
    assert.deepEqual(labels(`apm_config:\n  provider: ‸\n`), []);
    assert.deepEqual(labels(`region: ‸\n`), []);
    assert.deepEqual(labels(`delegated_auth:\n  region: ‸\n`), []);
  });
});

describe('suppression comment codes', () => {
  const agentCodes = RULES.filter((r) => r.code.startsWith('agent/')).map((r) => r.code);

  test('after # datadog-wif-ignore: every agent code, with its severity and summary, no Terraform code', () => {
    const items = assertRanges(`# datadog-wif-ignore «‸»\ndelegated_auth:\n`);
    const got = items.map((i) => i.label);
    for (const code of agentCodes) assert.ok(got.includes(code), code);
    assert.ok(!got.some((c) => c.startsWith('tf/')));
    const unknown = items.find((i) => i.label === 'agent/unknown-key')!;
    assert.equal(unknown.kind, 'keyword');
    assert.equal(unknown.detail, 'warning');
  });

  test('at the end of a line, half-typed, after codes separated by commas or spaces: those codes are not offered again', () => {
    for (const sep of [', ', ' ']) {
      const items = assertRanges(`delegated_auth:\n  providr: aws # datadog-wif-ignore agent/unknown-key${sep}«agent/le‸»\n`);
      const got = items.map((i) => i.label);
      assert.ok(got.includes('agent/legacy-key'), sep);
      assert.ok(!got.includes('agent/unknown-key'), sep);
    }
  });

  test('not in other comments', () => {
    assert.deepEqual(labels(`# some ‸\n`), []);
    assert.deepEqual(labels(`delegated_auth:\n  org_uuid: x # ‸\n`), []);
  });
});

describe('nothing in unrelated places', () => {
  test('under unrelated sections and in odd positions', () => {
    const text = yaml`
      api_key: k
      apm_config:
        enabled: true
        ‸
    `;
    assert.deepEqual(labels(text), []);
    assert.deepEqual(labels(`- item\n- ‸\n`), []);
    assert.deepEqual(labels(`delegated_auth:\n  org_uuid: "abc ‸\n`), []);
  });

  test('not in a file that is not Agent configuration', () => {
    const m = marked(`delegated_auth:\n  ‸\n`);
    assert.deepEqual(new LanguageService().complete({ path: '/w/chart/values.yaml', text: m.text }, m.cursor!), []);
  });
});
