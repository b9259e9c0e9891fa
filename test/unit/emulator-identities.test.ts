// The emulator's fixed cast: the shapes other tests and the demo rely on, and
// secrets that are fake on sight.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EMULATOR_API_KEYS, EMULATOR_ORG_UUID, TEST_IDENTITIES } from '../../emulator/src/index';
import { suggestedPattern } from '../../server/src/service/arn/index';

test('identities: ARNs, accounts, key kinds and tokens as documented', () => {
  const { mappedRole, unmappedRole, iamUser, otherAccountRole } = TEST_IDENTITIES;
  assert.equal(mappedRole.arn, 'arn:aws:sts::123456789012:assumed-role/terraform-runner/i-0abc1234');
  assert.equal(unmappedRole.arn, 'arn:aws:sts::123456789012:assumed-role/unmapped-role/i-0def5678');
  assert.equal(iamUser.arn, 'arn:aws:iam::123456789012:user/ci-bot');
  assert.equal(otherAccountRole.arn, 'arn:aws:sts::210987654321:assumed-role/terraform-runner/i-0aaa');
  for (const id of [mappedRole, unmappedRole, otherAccountRole]) {
    assert.match(id.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
    assert.ok(id.sessionToken?.includes('EMULATOR'));
  }
  assert.match(iamUser.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
  assert.equal(iamUser.sessionToken, undefined);
  for (const id of Object.values(TEST_IDENTITIES)) {
    assert.equal(id.secretAccessKey.length, 40, id.name);
    assert.ok(id.secretAccessKey.includes('EMULATOR'), id.name);
    assert.equal(id.account, id.arn.split(':')[4]);
  }
  assert.equal(suggestedPattern(mappedRole.arn), 'arn:aws:sts::123456789012:assumed-role/terraform-runner/*');
  assert.equal(new Set(Object.values(TEST_IDENTITIES).map((i) => i.accessKeyId)).size, 4);
});

test('org and API keys: a UUID, 32-hex API keys, 40-hex application keys, all distinct', () => {
  assert.equal(EMULATOR_ORG_UUID, '0b0e6f8e-7d1c-4a2b-9c3d-5e6f7a8b9c0d');
  for (const pair of [EMULATOR_API_KEYS.readWrite, EMULATOR_API_KEYS.readOnly]) {
    assert.match(pair.apiKey, /^[0-9a-f]{32}$/);
    assert.match(pair.appKey, /^[0-9a-f]{40}$/);
  }
  assert.notEqual(EMULATOR_API_KEYS.readWrite.apiKey, EMULATOR_API_KEYS.readOnly.apiKey);
  assert.notEqual(EMULATOR_API_KEYS.readWrite.appKey, EMULATOR_API_KEYS.readOnly.appKey);
});
