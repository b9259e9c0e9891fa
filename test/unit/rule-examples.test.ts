// Every rule page shows a wrong and a right example: the wrong one fires the
// rule, the right one does not, as dd-wif and the editor lint them.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, RULES } from '../../server/src/service';
import { RULE_EXAMPLES, exampleText } from '../../server/src/service/ruleExamples';
import { runtime } from '../helpers/terraform';
import { redact } from '../../server/src/shared/redact';

test('every rule of the catalog has a wrong and a right example', () => {
  assert.deepEqual(Object.keys(RULE_EXAMPLES).sort(), RULES.map((r) => r.code).sort());
  for (const [code, ex] of Object.entries(RULE_EXAMPLES)) {
    assert.ok(ex.wrong.trim() && ex.right.trim() && ex.wrong !== ex.right, code);
  }
});

test('what the examples show holds nothing shaped like a key: every output of ours would redact it', () => {
  for (const [code, ex] of Object.entries(RULE_EXAMPLES)) {
    for (const text of [ex.wrong, ex.right]) {
      assert.doesNotMatch(text, /\b[0-9a-f]{32}\b|\b[0-9a-f]{40}\b|\b(AKIA|ASIA)[A-Z0-9]{16}\b/, code);
      assert.equal(redact(text), text, code);
    }
  }
});

test('a wrong example fires its rule and the right one does not', async () => {
  const service = new LanguageService();
  service.setHclRuntime(await runtime());
  const problems: string[] = [];
  for (const [code, ex] of Object.entries(RULE_EXAMPLES)) {
    if (ex.alone === false) continue;
    const codes = (text: string) => service.lint({ path: `/examples/${code.replace('/', '-')}/${ex.file}`, text }).map((f) => f.code);
    const [wrong, right] = [exampleText(ex, 'wrong'), exampleText(ex, 'right')];
    if (!codes(wrong).includes(code)) problems.push(`${code}: the wrong example gives ${JSON.stringify(codes(wrong))}`);
    if (codes(right).includes(code)) problems.push(`${code}: the right example still fires it`);
  }
  assert.deepEqual(problems, []);
});
