// The JSON Schema contributed through `yamlValidation`: it must accept what
// our rules accept and reject what they call errors, and stay in step with
// the keys and regions the service knows.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { AWS_REGIONS } from '../../server/src/service/common/awsRegions';
import { SECTION_KEYS, AWS_KEYS } from '../../server/src/service/agent/keys';
import { SUPPORTED_PARENTS } from '../../server/src/service/agent/model';
import { yaml } from '../helpers/markers';

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const schemaPath = path.join(root, manifest.contributes.yamlValidation[0].url);
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

function errorsOf(text: string): string[] {
  const ok = validate(parse(text));
  return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
}

test('the manifest contributes the schema for datadog.yaml and datadog.yml', () => {
  assert.deepEqual(manifest.contributes.yamlValidation[0].fileMatch, ['datadog.yaml', 'datadog.yml']);
  assert.ok(fs.existsSync(schemaPath));
});

test('a correct configuration validates', () => {
  assert.deepEqual(
    errorsOf(yaml`
      api_key: 0123456789abcdef0123456789abcdef
      site: datadoghq.eu
      delegated_auth:
        org_uuid: 11111111-2222-3333-4444-555555555555
        provider: aws
        aws:
          region: eu-west-1
        refresh_interval_mins: 30
      logs_config:
        logs_enabled: true
        delegated_auth:
          org_uuid: 11111111-2222-3333-4444-555555555555
      apm_config:
        enabled: true
    `),
    [],
  );
});

test('the schema rejects what the rules call errors', () => {
  assert.ok(errorsOf('delegated_auth:\n  org_uuid: not-a-uuid\n').includes('/delegated_auth/org_uuid pattern'));
  assert.ok(errorsOf('delegated_auth:\n  provider: gcp\n').includes('/delegated_auth/provider enum'));
  assert.ok(errorsOf('delegated_auth:\n  refresh_interval_mins: soon\n').includes('/delegated_auth/refresh_interval_mins type'));
  assert.ok(errorsOf('delegated_auth:\n  aws_region: us-east-1\n').includes('/delegated_auth additionalProperties'));
  assert.ok(errorsOf('delegated_auth:\n  aws:\n    region: Not A Region\n').some((e) => e.startsWith('/delegated_auth/aws/region')));
  assert.ok(errorsOf('logs_config:\n  delegated_auth:\n    provider: aws\n').includes('/logs_config/delegated_auth additionalProperties'));
  assert.ok(errorsOf('apm_config:\n  delegated_auth:\n    org_uuid: x\n').includes('/apm_config/delegated_auth not'));
  assert.ok(errorsOf('delegated_auth:\n  - org_uuid: x\n').includes('/delegated_auth type'));
});

test('secrets-backend handles are accepted as org_uuid', () => {
  assert.deepEqual(errorsOf('delegated_auth:\n  org_uuid: ENC[dd_org_uuid]\n'), []);
});

test('the schema lists the keys and regions the service knows', () => {
  const global = schema.definitions.globalSection;
  assert.deepEqual(Object.keys(global.properties).sort(), [...SECTION_KEYS].sort());
  assert.deepEqual(Object.keys(global.properties.aws.properties), [...AWS_KEYS]);
  assert.deepEqual(Object.keys(schema.definitions.productSection.properties), ['org_uuid']);
  const regionEnum = global.properties.aws.properties.region.anyOf[0].enum;
  assert.deepEqual(regionEnum.filter((r: string) => r !== ''), [...AWS_REGIONS]);
  for (const parent of SUPPORTED_PARENTS) {
    if (parent) assert.equal(schema.properties[parent].properties.delegated_auth.$ref, '#/definitions/productSection', parent);
  }
});
