// The shapes of identifiers users paste: one judgement shared by the Terraform
// rule, `dd-wif mappings create --account` and the Create Identity Mapping input.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { accountIdentifierKind } from '../../server/src/service/common/identifiers';

test('accountIdentifierKind: email, service-account UUID, handle, a pasted key, or nothing usable', () => {
  const cases: [string, ReturnType<typeof accountIdentifierKind>][] = [
    ['terraform@example.com', 'email'],
    ['  ops+tf@corp.example.org ', 'email'],
    ['3f2b9a1e-4c5d-4e6f-8a9b-0c1d2e3f4a5b', 'uuid'],
    ['jane.doe', 'handle'],
    ['0123456789abcdef0123456789abcdef', 'pasted-key'],
    ['0123456789abcdef0123456789abcdef01234567', 'pasted-key'],
    ['not an email', 'invalid'],
    ['a@b', 'invalid'],
    ['', 'invalid'],
    ['-leading-dash', 'invalid'],
  ];
  for (const [value, kind] of cases) assert.equal(accountIdentifierKind(value), kind, JSON.stringify(value));
});
