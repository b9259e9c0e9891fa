import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService } from '../../server/src/service';
import { applyEdits, marked, yaml } from '../helpers/markers';

test('a bad org_uuid is reported on its value, with code and severity', () => {
  const m = marked(yaml`
    api_key: 0123456789abcdef0123456789abcdef
    delegated_auth:
      org_uuid: «not-a-uuid»
  `);
  const findings = new LanguageService().lint({ path: '/w/datadog.yaml', text: m.text });
  assert.deepEqual(findings.map((f) => [f.code, f.severity, f.range]), [['agent/org-uuid-invalid', 'error', m.ranges[0]]]);
});

test('the unknown-key fix renames the key', () => {
  const m = marked(yaml`
    delegated_auth:
      «providr»: aws
      org_uuid: 11111111-2222-3333-4444-555555555555
  `);
  const service = new LanguageService();
  const [fix] = service.quickFixes({ path: 'datadog.yaml', text: m.text }, m.ranges[0]);
  assert.equal(fix.finding.code, 'agent/unknown-key');
  assert.equal(applyEdits(m.text, fix.fix.edits), m.text.replace('providr', 'provider'));
});
