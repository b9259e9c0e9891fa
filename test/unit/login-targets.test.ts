// Login targets (the "Test Login" code lenses): each supported
// `delegated_auth` section of a datadog.yaml and each `provider "datadog"`
// block, with the org UUID, site, STS region and API URL the file states
// literally. The «» marks where the lens sits.

import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, type LoginTarget } from '../../server/src/service';
import { siteOfUrl } from '../../server/src/service/loginTargets';
import { loadHclLanguage } from '../../server/src/shared/treeSitter';
import { marked, yaml } from '../helpers/markers';

const UUID = '11111111-2222-3333-4444-555555555555';
const UUID2 = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const service = new LanguageService();
before(async () => service.setHclRuntime(await loadHclLanguage()));

/** Targets of the marked text; asserts one target per «» range, in order, at that range. */
function targets(path: string, source: string): LoginTarget[] {
  const m = marked(source);
  const got = service.loginTargets({ path, text: m.text });
  assert.deepEqual(
    got.map((t) => t.range),
    m.ranges,
    `lenses at ${JSON.stringify(got.map((t) => t.range))}`,
  );
  return got;
}

/** A target without its range, for deepEqual. */
const strip = ({ range: _range, ...rest }: LoginTarget) => rest;

describe('Agent: datadog.yaml', () => {
  test('the global section: org_uuid, site, aws.region', () => {
    const [t] = targets(
      '/etc/datadog-agent/datadog.yaml',
      yaml`
        api_key: x
        site: datadoghq.eu
        «delegated_auth»:
          org_uuid: ${UUID}
          aws:
            region: eu-west-1
      `,
    );
    assert.deepEqual(strip(t), { flow: 'agent', label: 'delegated_auth', orgUuid: UUID, site: 'datadoghq.eu', region: 'eu-west-1' });
  });

  test('each per-product section has its own org_uuid; the region comes from the global section only', () => {
    const ts = targets(
      '/a/datadog.yaml',
      yaml`
        «delegated_auth»:
          org_uuid: ${UUID}
          aws:
            region: us-east-2
        logs_config:
          «delegated_auth»:
            org_uuid: ${UUID2}
            aws:
              region: ap-south-1
        remote_configuration:
          «delegated_auth»:
            org_uuid: "${UUID}"
        apm_config:
          delegated_auth:
            org_uuid: ${UUID}
      `,
    );
    assert.deepEqual(ts.map(strip), [
      { flow: 'agent', label: 'delegated_auth', orgUuid: UUID, region: 'us-east-2' },
      { flow: 'agent', label: 'logs_config.delegated_auth', orgUuid: UUID2, region: 'us-east-2' },
      { flow: 'agent', label: 'remote_configuration.delegated_auth', orgUuid: UUID, region: 'us-east-2' },
    ]);
  });

  test('nothing stated: no org UUID, site or region (the command asks); an empty section still gets its lens', () => {
    const ts = targets('/a/datadog.yaml', 'site: ""\n«delegated_auth»:\nlogs_config:\n  «delegated_auth»: {org_uuid: }\n');
    assert.deepEqual(ts.map(strip), [
      { flow: 'agent', label: 'delegated_auth' },
      { flow: 'agent', label: 'logs_config.delegated_auth' },
    ]);
  });

  test('dd_url is an API URL candidate and gives the site when `site` is absent', () => {
    const [t] = targets('/a/datadog.yaml', `dd_url: https://app.us3.datadoghq.com\n«delegated_auth»:\n  org_uuid: ${UUID}\n`);
    assert.deepEqual(strip(t), { flow: 'agent', label: 'delegated_auth', orgUuid: UUID, site: 'us3.datadoghq.com', apiUrl: 'https://app.us3.datadoghq.com' });
    const [proxy] = targets('/a/datadog.yaml', `site: datadoghq.com\ndd_url: http://127.0.0.1:8080\n«delegated_auth»:\n  org_uuid: ${UUID}\n`);
    assert.equal(proxy.site, 'datadoghq.com', '`site` wins over dd_url for the site');
    assert.equal(proxy.apiUrl, 'http://127.0.0.1:8080');
  });

  test('an invalid org_uuid is passed on as written (the command validates); numbers read as written', () => {
    const [t] = targets('/a/datadog.yaml', '«delegated_auth»:\n  org_uuid: not-a-uuid\n  aws:\n    region: 12\n');
    assert.equal(t.orgUuid, 'not-a-uuid');
    assert.equal(t.region, '12');
  });

  test('a section anchored and merged, and several YAML documents', () => {
    const ts = targets(
      '/a/datadog.yaml',
      yaml`
        base: &base
          org_uuid: ${UUID}
        «delegated_auth»:
          <<: *base
        ---
        «delegated_auth»:
          org_uuid: ${UUID2}
      `,
    );
    assert.deepEqual(ts.map((t) => t.orgUuid), [UUID, UUID2]);
  });

  test('no lens: unsupported sections only, no delegated_auth, invalid YAML, a file that is not ours', () => {
    targets('/a/datadog.yaml', `apm_config:\n  delegated_auth:\n    org_uuid: ${UUID}\n`);
    targets('/a/datadog.yaml', 'api_key: x\nsite: datadoghq.com\n');
    targets('/a/datadog.yaml', '');
    targets('/a/datadog.yaml', '- delegated_auth\n');
    targets('/a/notes.yaml', `delegated_auth:\n  org_uuid: ${UUID}\n`);
  });

  test('a broken line elsewhere does not hide the section', () => {
    const [t] = targets('/a/datadog.yaml', `«delegated_auth»:\n  org_uuid: ${UUID}\nfoo: [unclosed\n`);
    assert.equal(t?.orgUuid, UUID);
  });

  test('files named by agentConfigFiles get lenses too', () => {
    const custom = new LanguageService({ agentConfigFiles: ['agent-*.yaml'] });
    const m = marked(`«delegated_auth»:\n  org_uuid: ${UUID}\n`);
    assert.deepEqual(custom.loginTargets({ path: '/x/agent-prod.yaml', text: m.text }).map((t) => t.range), m.ranges);
  });
});

describe('Terraform: provider "datadog"', () => {
  test('literal org_uuid, region and api_url (whose host gives the site)', () => {
    const [t] = targets(
      '/tf/main.tf',
      `«provider» "datadog" {\n  cloud_provider_type   = "aws"\n  org_uuid              = "${UUID}"\n  cloud_provider_region = "us-west-2"\n  api_url               = "https://api.datadoghq.eu/"\n}\n`,
    );
    assert.deepEqual(strip(t), { flow: 'terraform', label: 'provider "datadog"', orgUuid: UUID, region: 'us-west-2', apiUrl: 'https://api.datadoghq.eu/', site: 'datadoghq.eu' });
  });

  test('no cloud_provider_region means global STS (""); a variable means "ask" (undefined)', () => {
    const ts = targets(
      '/tf/main.tf',
      `«provider» "datadog" {\n  org_uuid = var.org_uuid\n  api_url  = "\${var.host}/"\n}\n\n«provider» "datadog" {\n  alias                 = "eu"\n  org_uuid              = "${UUID2}"\n  cloud_provider_region = var.region\n}\n`,
    );
    assert.deepEqual(ts.map(strip), [
      { flow: 'terraform', label: 'provider "datadog"', region: '' },
      { flow: 'terraform', label: 'provider "datadog" (alias eu)', orgUuid: UUID2 },
    ]);
  });

  test('a local name mapped to datadog/datadog; other providers get none', () => {
    const ts = targets(
      '/tf/versions.tf',
      `terraform {\n  required_providers {\n    dd = { source = "DataDog/datadog" }\n  }\n}\n«provider» "dd" {\n  org_uuid = "${UUID}"\n}\nprovider "aws" {\n  region = "us-east-1"\n}\n`,
    );
    assert.deepEqual(ts.map(strip), [{ flow: 'terraform', label: 'provider "dd"', orgUuid: UUID, region: '' }]);
  });

  test('a one-line block, a null region, an unclosed block', () => {
    const [one] = targets('/tf/a.tf', `«provider» "datadog" { org_uuid = "${UUID}" }\n`);
    assert.equal(one.orgUuid, UUID);
    const [nul] = targets('/tf/b.tf', `«provider» "datadog" {\n  cloud_provider_region = null\n}\n`);
    assert.equal(nul.region, '');
    const [open] = targets('/tf/c.tf', `«provider» "datadog" {\n  org_uuid = "${UUID}"\n`);
    assert.equal(open.orgUuid, UUID);
  });

  test('no lens in a lock file, nor without the HCL runtime', () => {
    targets('/tf/.terraform.lock.hcl', 'provider "registry.terraform.io/datadog/datadog" {\n  version = "3.80.0"\n}\n');
    assert.deepEqual(new LanguageService().loginTargets({ path: '/tf/main.tf', text: 'provider "datadog" {}\n' }), []);
  });
});

test('siteOfUrl: Datadog API, app and intake hosts; anything else is no site', () => {
  assert.equal(siteOfUrl('https://api.datadoghq.com'), 'datadoghq.com');
  assert.equal(siteOfUrl('api.us5.datadoghq.com'), 'us5.datadoghq.com');
  assert.equal(siteOfUrl('https://trace.agent.ap1.datadoghq.com:443/x'), 'ap1.datadoghq.com');
  assert.equal(siteOfUrl('https://api.ddog-gov.com'), 'ddog-gov.com');
  assert.equal(siteOfUrl('http://127.0.0.1:8080'), undefined);
  assert.equal(siteOfUrl('https://datadoghq.com.evil.example'), undefined);
  assert.equal(siteOfUrl('::not a url'), undefined);
});
