// Per-folder `datadogWif.severity` (multi-root workspaces): which folder holds
// a document, and the overrides a document is linted with. Pure: no server.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService } from '../../server/src/service';
import { FolderSeverities, innermostFolder, toServiceSettings } from '../../server/src/lsp/settings';

const YAML = 'delegated_auth:\n  org_uuid: not-a-uuid\n';

describe('innermostFolder', () => {
  test('the longest folder holding the URI, at a path-segment boundary', () => {
    const folders = ['file:///w/a', 'file:///w/a/nested/', 'file:///w/b'];
    assert.equal(innermostFolder('file:///w/a/datadog.yaml', folders), 'file:///w/a');
    assert.equal(innermostFolder('file:///w/a/nested/conf/datadog.yaml', folders), 'file:///w/a/nested/');
    assert.equal(innermostFolder('file:///w/b/x/datadog.yaml', folders), 'file:///w/b');
    assert.equal(innermostFolder('file:///w/ab/datadog.yaml', folders), undefined, 'not a prefix of a segment');
    assert.equal(innermostFolder('file:///w/a', folders), undefined, 'the folder itself is not a document in it');
    assert.equal(innermostFolder('untitled:Untitled-1', folders), undefined);
    assert.equal(innermostFolder('file:///w/a/datadog.yaml', []), undefined);
  });
});

describe('FolderSeverities', () => {
  test('each document gets its innermost folder\'s overrides; outside every folder, undefined (the window value)', () => {
    const s = new FolderSeverities();
    assert.equal(s.forDocument('file:///w/a/datadog.yaml'), undefined, 'before the folders answered');
    s.replace([
      ['file:///w/a/', { 'agent/org-uuid-invalid': 'off' }],
      ['file:///w/a/inner', { 'agent/org-uuid-invalid': 'info' }],
      ['file:///w/b', { 'agent/org-uuid-invalid': 'warning' }],
    ]);
    assert.deepEqual(s.forDocument('file:///w/a/datadog.yaml'), { 'agent/org-uuid-invalid': 'off' });
    assert.deepEqual(s.forDocument('file:///w/a/inner/datadog.yaml'), { 'agent/org-uuid-invalid': 'info' });
    assert.deepEqual(s.forDocument('file:///w/b/datadog.yaml'), { 'agent/org-uuid-invalid': 'warning' });
    assert.equal(s.forDocument('file:///elsewhere/datadog.yaml'), undefined);
    // A folder removed from the workspace no longer applies.
    s.replace([['file:///w/b', {}]]);
    assert.equal(s.forDocument('file:///w/a/datadog.yaml'), undefined);
    assert.deepEqual(s.forDocument('file:///w/b/datadog.yaml'), {});
  });
});

describe('a document\'s own severity overrides (SourceDocument.severity)', () => {
  test('replace the configured ones for lint and quickFixes; absent, the configured ones apply', () => {
    const service = new LanguageService(toServiceSettings({ severity: { 'agent/org-uuid-invalid': 'info' } }));
    const lint = (severity?: Record<string, 'error' | 'warning' | 'info' | 'off'>) =>
      service.lint({ path: 'file:///w/a/datadog.yaml', text: YAML, severity }).filter((f) => f.code === 'agent/org-uuid-invalid').map((f) => f.severity);
    assert.deepEqual(lint(), ['info'], 'the window-level value');
    assert.deepEqual(lint({ 'agent/org-uuid-invalid': 'warning' }), ['warning']);
    assert.deepEqual(lint({ 'agent/org-uuid-invalid': 'off' }), []);
    assert.deepEqual(lint({}), ['error'], 'an empty set of overrides is the rule\'s own severity, not the window\'s');
    assert.deepEqual(lint({ 'agent/*': 'warning' }), ['warning'], 'family wildcards too');
    assert.deepEqual(lint(), ['info'], 'nothing stuck from the calls before');

    const everywhere = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
    const fixes = (severity?: Record<string, 'off'>) => service.quickFixes({ path: 'file:///w/a/datadog.yaml', text: 'delegated_auth:\n  providr: aws\n', severity }, everywhere, ['agent/unknown-key']);
    assert.ok(fixes().length > 0);
    assert.deepEqual(fixes({ 'agent/unknown-key': 'off' }), [], 'a code turned off in the folder offers no fix');
  });
});
