// The mappings view's mark of each org mapping (client/src/mappings/tree.ts
// codeMarks), from a drift: declared, declared for another account, or not in
// code; declared wins when a pattern is declared both for its own account and
// for another (two files), and a mapping the drift does not name has no mark.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { installFakeVscode } from '../helpers/vscodeStub';
import type { DeclaredMapping, MappingsDrift, OrgMapping } from '../../server/src/service/orgSync/types';

const P = 'arn:aws:sts::123456789012:assumed-role/deploy/*';

function declared(line: number, accountIdentifier: string): DeclaredMapping {
  return { kind: 'identity', pattern: P, interpolated: false, accountIdentifier, path: `file:///w/f${line}.tf`, span: { start: 0, end: 1 }, line, owner: `datadog_aws_wif_identity_mapping.m${line}` };
}

test('codeMarks: each org mapping of the drift marked; declared wins over another account, which wins over not in code', () => {
  const fake = installFakeVscode();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { codeMarks } = require('../../client/src/mappings/tree') as typeof import('../../client/src/mappings/tree');
    const own = declared(3, 'deploy@example.com');
    const other = declared(9, 'someone@example.com');
    const a: OrgMapping = { kind: 'identity', id: 'a', arnPattern: P, accountIdentifier: 'deploy@example.com' };
    const b: OrgMapping = { kind: 'identity', id: 'b', arnPattern: P, accountIdentifier: 'ops@example.com' };
    const c: OrgMapping = { kind: 'intake', id: 'c', arnPattern: P };
    const drift: MappingsDrift = { inStep: [{ org: a, declared: [own] }], accountMismatch: [{ org: a, declared: other }, { org: b, declared: other }], onlyInOrg: [c], onlyInCode: [], unknown: [] };
    const marks = codeMarks(drift);
    assert.deepEqual(marks.get('a'), { state: 'declared', declared: [own] });
    assert.deepEqual(marks.get('b'), { state: 'accountDiffers', declared: other });
    assert.deepEqual(marks.get('c'), { state: 'notInCode' });
    assert.equal(marks.get('not-in-the-drift'), undefined);
    assert.equal(marks.size, 3);
  } finally {
    fake.restore();
  }
});
