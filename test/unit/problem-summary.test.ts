// The language status item's few words about a file's problems (client/src/problemSummary.ts).

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { problemSummary } from '../../client/src/problemSummary';

// vscode.DiagnosticSeverity: Error 0, Warning 1, Information 2, Hint 3.
const [E, W, I, H] = [0, 1, 2, 3];

test('counts each severity with its own word, singular or plural, and leaves out the absent ones', () => {
  assert.equal(problemSummary([E, E, W]), '2 errors, 1 warning');
  assert.equal(problemSummary([W, E, W, I]), '1 error, 2 warnings, 1 info');
  assert.equal(problemSummary([I, I, I]), '3 infos');
  assert.equal(problemSummary([W]), '1 warning');
});

test('infos are never called hints; hints (which the server does not send) are not counted', () => {
  assert.doesNotMatch(problemSummary([I]), /hint/);
  assert.equal(problemSummary([H, E]), '1 error');
});

test('nothing to report: "no problems"', () => {
  assert.equal(problemSummary([]), 'no problems');
  assert.equal(problemSummary([H]), 'no problems');
});
