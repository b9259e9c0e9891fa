// Every rule page shows a wrong and a right example: the wrong one fires the
// rule, the right one does not, as dd-wif and the editor lint them.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, RULES } from '../../server/src/service';
import { RULE_EXAMPLES } from '../../server/src/service/ruleExamples';
import { runtime } from '../helpers/terraform';

test('every rule of the catalog has a wrong and a right example', () => {
  assert.deepEqual(Object.keys(RULE_EXAMPLES).sort(), RULES.map((r) => r.code).sort());
  for (const [code, ex] of Object.entries(RULE_EXAMPLES)) {
    assert.ok(ex.wrong.trim() && ex.right.trim() && ex.wrong !== ex.right, code);
  }
});

test('a wrong example fires its rule and the right one does not', async () => {
  const service = new LanguageService();
  service.setHclRuntime(await runtime());
  const problems: string[] = [];
  for (const [code, ex] of Object.entries(RULE_EXAMPLES)) {
    if (ex.alone === false) continue;
    const codes = (text: string) => service.lint({ path: `/examples/${code.replace('/', '-')}/${ex.file}`, text }).map((f) => f.code);
    if (!codes(ex.wrong).includes(code)) problems.push(`${code}: the wrong example gives ${JSON.stringify(codes(ex.wrong))}`);
    if (codes(ex.right).includes(code)) problems.push(`${code}: the right example still fires it`);
  }
  assert.deepEqual(problems, []);
});
