// Hover in datadog.yaml: every delegated_auth key (global and per-product),
// the section key, legacy keys, `site` keys and values, and nothing elsewhere.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, docsUrl, type Hover } from '../../server/src/service';
import { marked, yaml } from '../helpers/markers';

const PATH = '/etc/datadog-agent/datadog.yaml';
const UUID = '11111111-2222-3333-4444-555555555555';
/** The README's "datadog.yaml keys" section, wherever the host says the README is (relative to the package root here). */
const KEYS_DOC = 'README.md#datadogyaml-keys';

/** Hover at the ‸ cursor; asserts its range is the «» range. */
function hoverAt(source: string): Hover {
  const m = marked(source);
  assert.ok(m.cursor, 'no ‸ in the source');
  const h = new LanguageService().hover({ path: PATH, text: m.text }, m.cursor);
  assert.ok(h, 'expected a hover');
  assert.deepEqual(h.range, m.ranges[0]);
  return h;
}

function noHover(source: string): void {
  const m = marked(source);
  assert.equal(new LanguageService().hover({ path: PATH, text: m.text }, m.cursor!), null);
}

/** The same file, the cursor on `key` in the global section and in logs_config. */
function both(key: 'org_uuid' | 'provider' | 'aws' | 'region' | 'refresh_interval_mins'): { global: Hover; product: Hover } {
  const template = (where: 'g' | 'p') => {
    const mark = (k: string, w: 'g' | 'p') => (k === key && w === where ? `«${k.slice(0, 2)}‸${k.slice(2)}»` : k);
    return [
      'api_key: k',
      'delegated_auth:',
      `  ${mark('org_uuid', 'g')}: ${UUID}`,
      `  ${mark('provider', 'g')}: aws`,
      `  ${mark('aws', 'g')}:`,
      `    ${mark('region', 'g')}: us-east-1`,
      `  ${mark('refresh_interval_mins', 'g')}: 60`,
      'logs_config:',
      '  api_key: k',
      '  delegated_auth:',
      `    ${mark('org_uuid', 'p')}: ${UUID}`,
      `    ${mark('provider', 'p')}: aws`,
      `    ${mark('aws', 'p')}:`,
      `      ${mark('region', 'p')}: us-east-1`,
      `    ${mark('refresh_interval_mins', 'p')}: 60`,
      '',
    ].join('\n');
  };
  return { global: hoverAt(template('g')), product: hoverAt(template('p')) };
}

describe('hover on delegated_auth keys', () => {
  test('org_uuid: type, default, every-section note, env var per section, docs link', () => {
    const { global, product } = both('org_uuid');
    assert.match(global.contents, /^\*\*`delegated_auth\.org_uuid`\*\* · string · default: empty \(feature off\)/);
    assert.match(global.contents, /turns on the exchange for `api_key`/);
    assert.match(global.contents, /Environment: `DD_DELEGATED_AUTH_ORG_UUID`/);
    assert.ok(global.contents.includes(`(${KEYS_DOC})`));
    assert.match(product.contents, /^\*\*`logs_config\.delegated_auth\.org_uuid`\*\* · string/);
    assert.match(product.contents, /turns on the exchange for `logs_config\.api_key`/);
    assert.match(product.contents, /Environment: `DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID`/);
    assert.doesNotMatch(product.contents, /no effect here/);
  });

  test('provider: global-only, and says it has no effect in a per-product section', () => {
    const { global, product } = both('provider');
    assert.match(global.contents, /^\*\*`delegated_auth\.provider`\*\* · string · default: auto-detect/);
    assert.match(global.contents, /Only `aws` exists/);
    assert.match(global.contents, /Read from the global `delegated_auth` section only\./);
    assert.doesNotMatch(global.contents, /no effect here/);
    assert.match(global.contents, /Environment: `DD_DELEGATED_AUTH_PROVIDER`/);
    assert.match(product.contents, /^\*\*`logs_config\.delegated_auth\.provider`\*\*/);
    assert.match(product.contents, /\*\*it has no effect here\*\*/);
  });

  test('aws: a mapping, global-only', () => {
    const { global, product } = both('aws');
    assert.match(global.contents, /^\*\*`delegated_auth\.aws`\*\* · mapping/);
    assert.doesNotMatch(global.contents, /Environment:/);
    assert.ok(global.contents.includes(KEYS_DOC));
    assert.match(product.contents, /\*\*it has no effect here\*\*/);
  });

  test('aws.region: type, default, lookup order, env var', () => {
    const { global, product } = both('region');
    assert.match(global.contents, /^\*\*`delegated_auth\.aws\.region`\*\* · string · default: auto-detect/);
    assert.match(global.contents, /`AWS_REGION`, then `AWS_DEFAULT_REGION`, then the EC2 metadata service, else global STS/);
    assert.match(global.contents, /Environment: `DD_DELEGATED_AUTH_AWS_REGION`/);
    assert.ok(global.contents.includes(KEYS_DOC));
    assert.match(product.contents, /^\*\*`logs_config\.delegated_auth\.aws\.region`\*\*/);
    assert.match(product.contents, /\*\*it has no effect here\*\*/);
  });

  test('refresh_interval_mins: integer, default 60', () => {
    const { global, product } = both('refresh_interval_mins');
    assert.match(global.contents, /^\*\*`delegated_auth\.refresh_interval_mins`\*\* · integer · default: 60/);
    assert.match(global.contents, /Zero or negative is replaced by 60/);
    assert.match(global.contents, /Environment: `DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS`/);
    assert.match(product.contents, /\*\*it has no effect here\*\*/);
  });

  test('on the value, the hover covers the value', () => {
    const h = hoverAt(`delegated_auth:\n  provider: «a‸ws»\n`);
    assert.match(h.contents, /^\*\*`delegated_auth\.provider`\*\*/);
    const q = hoverAt(`delegated_auth:\n  org_uuid: «"1111‸1111-2222-3333-4444-555555555555"»\n`);
    assert.match(q.contents, /^\*\*`delegated_auth\.org_uuid`\*\*/);
  });

  test('the org_uuid env var of each per-product section', () => {
    for (const parent of ['remote_configuration', 'evp_proxy_config', 'ol_proxy_config']) {
      const h = hoverAt(`${parent}:\n  delegated_auth:\n    «org‸_uuid»: x\n`);
      assert.match(h.contents, new RegExp(`Environment: \`DD_${parent.toUpperCase()}_DELEGATED_AUTH_ORG_UUID\``), parent);
      assert.match(h.contents, new RegExp(`exchange for \`${parent}\\.api_key\``), parent);
    }
  });

  test('inside a flow mapping', () => {
    const h = hoverAt(`api_key: k\ndelegated_auth: {«org_‸uuid»: x, aws: {region: us-east-1}}\n`);
    assert.match(h.contents, /^\*\*`delegated_auth\.org_uuid`\*\*/);
    const r = hoverAt(`api_key: k\ndelegated_auth: {org_uuid: x, aws: {«reg‸ion»: us-east-1}}\n`);
    assert.match(r.contents, /^\*\*`delegated_auth\.aws\.region`\*\*/);
  });

  test('in a CRLF file the ranges are the same', () => {
    const m = marked(`api_key: k\ndelegated_auth:\n  «refresh‸_interval_mins»: 1\n`);
    const h = new LanguageService().hover({ path: PATH, text: m.text.replace(/\n/g, '\r\n') }, m.cursor!);
    assert.deepEqual(h?.range, m.ranges[0]);
  });
});

describe('hover on the section key', () => {
  test('global delegated_auth: what it does, its keys, the Agent version and gov note', () => {
    const h = hoverAt(`api_key: k\n«deleg‸ated_auth»:\n  org_uuid: ${UUID}\n`);
    assert.match(h.contents, /^\*\*`delegated_auth`\*\* · delegated authentication \(Workload Identity Federation\)/);
    assert.match(h.contents, /managed, rotated API key for `api_key`/);
    assert.match(h.contents, /Keys: `org_uuid`, `provider`, `aws\.region`, `refresh_interval_mins`/);
    assert.match(h.contents, /Agent 7\.78\.0 or later/);
    assert.match(h.contents, /US1-FED \/ US2-FED/);
    assert.ok(h.contents.includes(KEYS_DOC));
  });

  test('per-product delegated_auth: only org_uuid has an effect', () => {
    const h = hoverAt(`logs_config:\n  «delegated_auth‸»:\n    org_uuid: ${UUID}\n`);
    assert.match(h.contents, /^\*\*`logs_config\.delegated_auth`\*\*/);
    assert.match(h.contents, /API key for `logs_config\.api_key`/);
    assert.match(h.contents, /In a per-product section only `org_uuid` has an effect/);
  });

  test('unsupported sections: the key and the keys inside point at agent/unsupported-section', () => {
    const key = hoverAt(`apm_config:\n  «‸delegated_auth»:\n    org_uuid: ${UUID}\n`);
    assert.match(key.contents, /^\*\*`apm_config\.delegated_auth`\*\*/);
    assert.match(key.contents, /does not read `delegated_auth`; it has no effect here/);
    assert.ok(key.contents.includes(docsUrl('agent/unsupported-section')));
    const inner = hoverAt(`process_config:\n  delegated_auth:\n    «org_u‸uid»: ${UUID}\n`);
    assert.match(inner.contents, /`process_config\.delegated_auth`\*\* is not read by the Agent/);
    const deep = hoverAt(`logs_config:\n  foo:\n    «delega‸ted_auth»:\n      org_uuid: x\n`);
    assert.match(deep.contents, /^\*\*`logs_config\.foo\.delegated_auth`\*\*\n\nThis section does not read/);
  });
});

describe('hover on legacy keys', () => {
  test('enabled, aws_region, refresh_interval: obsolete, the replacement, the rule link', () => {
    const text = (key: string) => `api_key: k\ndelegated_auth:\n  org_uuid: ${UUID}\n  «${key.slice(0, 3)}‸${key.slice(3)}»: 1\n`;
    const enabled = hoverAt(text('enabled'));
    assert.match(enabled.contents, /^\*\*`enabled`\*\* \(obsolete\)/);
    assert.match(enabled.contents, /setting `org_uuid` is what turns the feature on/);
    assert.ok(enabled.contents.includes(docsUrl('agent/legacy-key')));
    const region = hoverAt(text('aws_region'));
    assert.match(region.contents, /^\*\*`aws_region`\*\* \(obsolete\)/);
    assert.match(region.contents, /Use `aws\.region` instead/);
    const refresh = hoverAt(text('refresh_interval'));
    assert.match(refresh.contents, /Use `refresh_interval_mins` instead/);
    assert.match(refresh.contents, /now in minutes/);
  });

  test('in a per-product section too', () => {
    const h = hoverAt(`logs_config:\n  delegated_auth:\n    «enab‸led»: true\n`);
    assert.match(h.contents, /^\*\*`enabled`\*\* \(obsolete\)/);
  });
});

describe('hover on site', () => {
  test('the key: a table of every site with API host and Agent flow', () => {
    const h = hoverAt(`«si‸te»: datadoghq.com\n`);
    assert.match(h.contents, /^\*\*`site`\*\* · the Datadog site this Agent reports to \(default `datadoghq\.com`\)/);
    assert.match(h.contents, /\| `us3\.datadoghq\.com` \| US3 \| `api\.us3\.datadoghq\.com` \| yes \|/);
    assert.match(h.contents, /\| `ddog-gov\.com` \| US1-FED \| `api\.ddog-gov\.com` \| no \|/);
    assert.match(h.contents, /\| `uk1\.datadoghq\.com` \| UK1 \| `api\.uk1\.datadoghq\.com` \| not documented \|/);
    assert.equal(h.contents.split('\n').filter((l) => l.startsWith('| `')).length, 9);
  });

  test('a known commercial site: its API host, flow offered', () => {
    const h = hoverAt(`site: «datadoghq.‸eu»\n`);
    assert.match(h.contents, /`datadoghq\.eu` \(EU1\) → API host `api\.datadoghq\.eu`/);
    assert.match(h.contents, /Agent flow of delegated authentication: offered\./);
  });

  test('a gov site: flow not offered', () => {
    for (const [site, host] of [['ddog-gov.com', 'api.ddog-gov.com'], ['us2.ddog-gov.com', 'api.us2.ddog-gov.com']]) {
      const h = hoverAt(`site: «${site.slice(0, 4)}‸${site.slice(4)}»\n`);
      assert.ok(h.contents.includes(`→ API host \`${host}\``), site);
      assert.match(h.contents, /\*\*not offered\*\* \(Terraform flow only\)/);
    }
  });

  test('uk1: not documented', () => {
    const h = hoverAt(`site: «"uk1.datadog‸hq.com"»\n`);
    assert.match(h.contents, /`uk1\.datadoghq\.com` \(UK1\)/);
    assert.match(h.contents, /Agent flow of delegated authentication: not documented\./);
  });

  test('an unknown site: says so and links the rule', () => {
    const h = hoverAt(`site: «exam‸ple.org»\n`);
    assert.match(h.contents, /`example\.org` is not a known Datadog site/);
    assert.ok(h.contents.includes(docsUrl('agent/unknown-site')));
  });
});

describe('no hover', () => {
  test('on api_key, its value, unrelated keys, unknown keys, comments and blank lines', () => {
    const text = yaml`
      api_key: k
      # a comment
      delegated_auth:
        org_uuid: ${UUID}
        providr: aws

      apm_config:
        env: prod
    `;
    const lines = text.split('\n');
    const at = (line: number, ch: number) => new LanguageService().hover({ path: PATH, text }, { line, character: ch });
    assert.equal(at(0, 2), null); // api_key
    assert.equal(at(0, 9), null); // its value
    assert.equal(at(1, 4), null); // comment
    assert.equal(at(4, 4), null); // providr
    assert.equal(at(5, 0), null); // blank
    assert.equal(at(6, 3), null); // apm_config
    assert.equal(at(7, 8), null); // env value
    assert.equal(lines[7], '  env: prod');
  });

  test('in a file that is not Agent configuration', () => {
    const m = marked(`delegated_auth:\n  org_‸uuid: x\n`);
    assert.equal(new LanguageService().hover({ path: '/w/values.yaml', text: m.text }, m.cursor!), null);
  });

  test('on a site nested below the root', () => {
    noHover(`logs_config:\n  si‸te: datadoghq.com\n`);
  });

  test('in the second document of a file', () => {
    const h = hoverAt(`api_key: k\n---\n«si‸te»: datadoghq.com\n`);
    assert.match(h.contents, /^\*\*`site`\*\*/);
  });
});
