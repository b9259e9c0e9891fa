// The client side of the live checks without VS Code (client/src/org/liveFeed.ts):
// what goes to the language server, when, and what a failure does.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LiveFeed, type LiveFeedDeps } from '../../client/src/org/liveFeed';
import type { Mapping, MappingKind } from '../../server/src/cloud/mappingTypes';
import type { OrgMappingsParams } from '../../server/src/lsp/protocol';

const ROLE = 'arn:aws:sts::123456789012:assumed-role/datadog-agent/*';
const mapping = (kind: MappingKind, id: string, arnPattern = ROLE): Mapping => ({ kind, id, arnPattern, type: 'x', ...(kind === 'identity' ? { accountIdentifier: 'ci@example.com', accountUuid: 'u-1' } : { parEnrollmentEnabled: false }) });

function harness(overrides: Partial<LiveFeedDeps> = {}) {
  const state = {
    enabled: true,
    running: true,
    sites: ['datadoghq.com'],
    org: new Map<string, Mapping[] | Error>([
      ['datadoghq.com identity', [mapping('identity', 'i-1')]],
      ['datadoghq.com intake', [mapping('intake', 'k-1')]],
    ]),
    listed: 0,
  };
  const sent: OrgMappingsParams[] = [];
  const logs: string[] = [];
  const feed = new LiveFeed({
    enabled: () => state.enabled,
    sites: () => state.sites,
    list: async (site, kind) => {
      state.listed++;
      const answer = state.org.get(`${site} ${kind}`) ?? [];
      if (answer instanceof Error) throw answer;
      return answer;
    },
    send: async (params) => {
      if (!state.running) return false;
      sent.push(params);
      return true;
    },
    log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`) },
    ...overrides,
  });
  return { feed, state, sent, logs };
}

test('the mappings of each site go as one list, only what the server needs (no transport details), and nothing twice', async () => {
  const h = harness();
  await h.feed.refresh();
  assert.deepEqual(h.sent, [
    {
      sites: [
        {
          site: 'datadoghq.com',
          mappings: [
            { kind: 'identity', id: 'i-1', arnPattern: ROLE, accountIdentifier: 'ci@example.com', accountUuid: 'u-1' },
            { kind: 'intake', id: 'k-1', arnPattern: ROLE },
          ],
        },
      ],
    },
  ]);
  await h.feed.refresh();
  assert.equal(h.sent.length, 1, 'the same lists are not sent again');
  h.state.org.set('datadoghq.com intake', [mapping('intake', 'k-1'), mapping('intake', 'k-2', 'arn:aws:sts::123456789012:assumed-role/ci/*')]);
  await h.feed.refresh();
  assert.equal(h.sent.length, 2);
  assert.deepEqual(h.sent[1].sites[0].mappings.map((m) => m.id), ['i-1', 'k-1', 'k-2']);
});

test('a failed list keeps the last one and logs one redacted line (not one per refresh); no site is dropped for it', async () => {
  const h = harness();
  await h.feed.refresh();
  h.state.org.set('datadoghq.com intake', new Error('HTTP 500 from https://api.datadoghq.com with key 0123456789abcdef0123456789abcdef\u001b[2J'));
  await h.feed.refresh();
  await h.feed.refresh();
  assert.equal(h.sent.length, 1, 'what the server has is still right');
  const warnings = h.logs.filter((l) => l.startsWith('warn'));
  assert.equal(warnings.length, 1, JSON.stringify(h.logs));
  assert.match(warnings[0], /intake mappings of datadoghq\.com failed .*the last list is kept/);
  assert.doesNotMatch(warnings[0], /0123456789abcdef0123456789abcdef|\u001b/);
  // It lists fine again: logged again if it fails later.
  h.state.org.set('datadoghq.com intake', [mapping('intake', 'k-9')]);
  await h.feed.refresh();
  assert.deepEqual(h.sent[1].sites[0].mappings.map((m) => m.id), ['i-1', 'k-9']);
});

test('off (setting or trust): an empty list, once; on again: the lists', async () => {
  const h = harness();
  await h.feed.refresh();
  h.state.enabled = false;
  await h.feed.refresh();
  await h.feed.refresh();
  assert.deepEqual(h.sent.slice(1), [{ sites: [] }]);
  const listed = h.state.listed;
  h.state.enabled = true;
  await h.feed.refresh();
  assert.equal(h.sent.length, 3);
  assert.equal(h.sent[2].sites[0].mappings.length, 2);
  assert.ok(h.state.listed > listed);
});

test('credentials cleared for a site: its org is dropped from the list', async () => {
  const h = harness();
  h.state.sites = ['datadoghq.com', 'datadoghq.eu'];
  h.state.org.set('datadoghq.eu intake', [mapping('intake', 'eu-1')]);
  await h.feed.refresh();
  assert.deepEqual(h.sent[0].sites.map((s) => s.site), ['datadoghq.com', 'datadoghq.eu']);
  h.state.sites = ['datadoghq.com'];
  await h.feed.refresh();
  assert.deepEqual(h.sent[1].sites.map((s) => s.site), ['datadoghq.com']);
});

test('no server running: nothing is lost; a server that starts (or restarts) gets the lists again', async () => {
  const h = harness();
  h.state.running = false;
  await h.feed.refresh();
  assert.equal(h.sent.length, 0);
  h.state.running = true;
  await h.feed.serverStarted();
  assert.equal(h.sent.length, 1);
  // A restarted server knows nothing: the same lists go again.
  await h.feed.serverStarted();
  assert.equal(h.sent.length, 2);
  assert.deepEqual(h.sent[1], h.sent[0]);
});

test('refreshes asked for during a run are one more run, not one each', async () => {
  const waiting: (() => void)[] = [];
  let calls = 0;
  const h = harness({
    list: async () => {
      calls++;
      // The first run's two lists wait until the other refreshes were asked for.
      if (calls <= 2) await new Promise<void>((r) => waiting.push(r));
      return [];
    },
  });
  const first = h.feed.refresh();
  const more = [h.feed.refresh(), h.feed.refresh(), h.feed.refresh()];
  for (const r of waiting.splice(0)) r();
  await Promise.all([first, ...more]);
  // Two kinds per run: the first run and one more.
  assert.equal(calls, 4);
});
