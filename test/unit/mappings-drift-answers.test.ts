// The server's `datadogWif/mappingsDrift` answers and `declaredMappingsChanged`
// notifications (server/src/lsp/mappingsDrift.ts), with a host whose declared
// mappings and scan state the test sets: nothing is told to a client that
// never asked; a burst of settles is one notification; a settle that changes
// neither the declarations nor the scan state tells nothing; the end of the
// scan is told; a failure is answered as an error, not as an empty drift
// (which would mark every mapping "not in code"). The timers are mocked.

import { afterEach, beforeEach, mock, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DECLARED_CHANGED_DELAY_MS, MappingsDriftAnswers, type MappingsDriftHost } from '../../server/src/lsp/mappingsDrift';
import { readOrgMappings } from '../../server/src/service/orgSync/wire';
import type { DeclaredMapping, MappingsDrift, OrgMapping } from '../../server/src/service/orgSync/types';

const RUNNER = 'arn:aws:sts::123456789012:assumed-role/terraform-runner/*';

function declared(pattern: string, line: number): DeclaredMapping {
  return { kind: 'intake', pattern, interpolated: false, path: 'file:///w/wif.tf', span: { start: 0, end: 1 }, line, owner: 'datadog_aws_wif_intake_mapping.x' };
}

function fakeHost() {
  const state = { declared: [declared(RUNNER, 1)], pending: false, fail: false };
  const told: { scanning: boolean }[] = [];
  const logged: string[] = [];
  const diffs: { org: OrgMapping[]; declared: DeclaredMapping[] }[] = [];
  const host: MappingsDriftHost = {
    declared: () => {
      if (state.fail) throw new Error('parser exploded');
      return { mappings: state.declared.map((d) => ({ ...d })), unread: [] };
    },
    diff: (org, decl): MappingsDrift => {
      diffs.push({ org, declared: decl });
      return { inStep: [], onlyInOrg: org, onlyInCode: decl, accountMismatch: [], unknown: [] };
    },
    pending: () => state.pending,
    notify: (p) => told.push(p),
    log: { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) },
  };
  return { host, state, told, logged, diffs };
}

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

test('a client that never asked is told nothing, however the workspace settles', () => {
  const { host, state, told } = fakeHost();
  const answers = new MappingsDriftAnswers(host);
  state.declared = [declared(RUNNER, 5)];
  answers.settled();
  mock.timers.tick(10 * DECLARED_CHANGED_DELAY_MS);
  assert.deepEqual(told, []);
});

test('after an answer: a burst of settles that moves a declaration is one notification, after the delay; one that changes nothing tells nothing', () => {
  const { host, state, told } = fakeHost();
  const answers = new MappingsDriftAnswers(host);
  assert.equal(answers.answer({ site: 'datadoghq.com', mappings: [] }).scanning, false);

  answers.settled();
  mock.timers.tick(10 * DECLARED_CHANGED_DELAY_MS);
  assert.deepEqual(told, [], 'nothing changed since the answer');

  state.declared = [declared(RUNNER, 7)]; // a line added above it: "declared in wif.tf:8" now
  for (let i = 0; i < 5; i++) answers.settled();
  mock.timers.tick(DECLARED_CHANGED_DELAY_MS - 1);
  assert.deepEqual(told, [], 'told before the delay');
  mock.timers.tick(1);
  assert.deepEqual(told, [{ scanning: false }]);

  // Told once for that state: the next settle with the same declarations says nothing more.
  answers.settled();
  mock.timers.tick(10 * DECLARED_CHANGED_DELAY_MS);
  assert.equal(told.length, 1);
});

test('an answer given while the scan runs says so, and the end of the scan is told even when nothing was declared meanwhile', () => {
  const { host, state, told } = fakeHost();
  const answers = new MappingsDriftAnswers(host);
  state.pending = true;
  assert.equal(answers.answer({ site: 's', mappings: [] }).scanning, true);
  state.pending = false;
  answers.settled();
  mock.timers.tick(DECLARED_CHANGED_DELAY_MS);
  assert.deepEqual(told, [{ scanning: false }]);
});

test('the org mappings are read defensively: malformed entries are left out (and logged), the rest compared', () => {
  const { host, logged, diffs } = fakeHost();
  const answers = new MappingsDriftAnswers(host);
  const good: OrgMapping = { kind: 'identity', id: 'a', arnPattern: RUNNER, accountIdentifier: 'terraform@example.com' };
  answers.answer({ site: 's', mappings: [null, 'x', { kind: 'persona', id: 'b', arnPattern: RUNNER }, { kind: 'intake', id: 3, arnPattern: RUNNER }, { kind: 'intake', id: 'c', arnPattern: RUNNER, accountUuid: 5 }, good, { ...good, id: 'd', extra: 'dropped' }] });
  assert.deepEqual(diffs[0].org, [good, { ...good, id: 'd' }]);
  assert.ok(logged.some((m) => /5 malformed mappings/.test(m)), logged.join('\n'));
  answers.answer(undefined);
  answers.answer({ mappings: 'not a list' });
  assert.deepEqual([diffs[1].org, diffs[2].org], [[], []]);
  assert.deepEqual(readOrgMappings([{ kind: 'intake', id: 'x', arnPattern: 'p' }]), { mappings: [{ kind: 'intake', id: 'x', arnPattern: 'p' }], dropped: 0 });
});

test('a failure is logged and answered as an error, never as an empty drift; a failing settle tells nothing', () => {
  const { host, state, told, logged } = fakeHost();
  const answers = new MappingsDriftAnswers(host);
  answers.answer({ site: 's', mappings: [] });
  state.fail = true;
  assert.throws(() => answers.answer({ site: 's', mappings: [] }), (err: Error & { code?: number }) => err.code === -32603 && /see the Datadog WIF log/.test(err.message));
  assert.ok(logged.some((m) => /comparing the org mappings with the workspace failed/.test(m)));
  answers.settled();
  mock.timers.tick(DECLARED_CHANGED_DELAY_MS);
  assert.deepEqual(told, []);
  assert.ok(logged.some((m) => /reading the declared mappings failed/.test(m)));
});
