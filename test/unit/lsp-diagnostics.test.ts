// The server's diagnostics publisher on a fake clock: when an edit is checked
// and published, which versions go out and in what order, and what a client
// that reads slowly gets. Every check costs a set amount of fake time (the
// clock moves on inside the service's lint), so the publisher's coalescing
// window, which follows that cost, is exact: nothing here depends on how fast
// the machine is.

import { describe, test, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Connection, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LanguageService, type SourceDocument } from '../../server/src/service';
import { DiagnosticsPublisher, MAX_COALESCE_MS } from '../../server/src/lsp/diagnostics';
import type { Logger } from '../../server/src/lsp/logger';
import { fakeClock, turns, type FakeClock } from '../helpers/clock';

const URI = 'file:///w/datadog.yaml';
/** Each version's text names its version in a finding (agent/org-uuid-invalid quotes the value). */
const textOf = (version: number) => `delegated_auth:\n  org_uuid: not-a-uuid-${version}\n  provider: aws\n`;

interface Harness {
  clock: FakeClock;
  publisher: DiagnosticsPublisher;
  /** Every message handed to the connection, in order. */
  sent: PublishDiagnosticsParams[];
  /** How many times the service linted. */
  lints: () => number;
  /** With a slow client: the writes not finished yet (oldest first); finishing one lets the next message go. */
  unwritten: (() => void)[];
  errors: string[];
}

/**
 * A publisher over the real language service, each lint costing `costMs` of
 * fake time, and a connection that finishes each write at once or, with
 * `slowClient`, only when the test says so.
 */
function harness(t: TestContext, costMs: number, slowClient = false): Harness {
  const clock = fakeClock(t);
  const real = new LanguageService();
  let lints = 0;
  const service = {
    lint(doc: SourceDocument, folder?: readonly SourceDocument[]) {
      lints++;
      // The check takes its time: the clock moves, and no timer runs meanwhile (the lint is synchronous).
      t.mock.timers.setTime(Date.now() + costMs);
      return real.lint(doc, folder);
    },
    forget: (path: string) => real.forget(path),
  } as unknown as LanguageService;
  const sent: PublishDiagnosticsParams[] = [];
  const unwritten: (() => void)[] = [];
  const connection = {
    sendDiagnostics(params: PublishDiagnosticsParams): Promise<void> {
      sent.push(params);
      if (!slowClient) return Promise.resolve();
      return new Promise<void>((resolve) => unwritten.push(resolve));
    },
  } as unknown as Connection;
  const errors: string[] = [];
  const log: Logger = { info: () => undefined, warn: () => undefined, error: (m) => errors.push(m) };
  const publisher = new DiagnosticsPublisher(connection, service, log, () => [], () => undefined, { now: () => Date.now() });
  return { clock, publisher, sent, lints: () => lints, unwritten, errors };
}

/** The document as TextDocuments keeps it: one object, updated in place by each change. */
function open(version = 1): TextDocument {
  return TextDocument.create(URI, 'yaml', version, textOf(version));
}
function edit(doc: TextDocument, version: number): void {
  TextDocument.update(doc, [{ text: textOf(version) }], version);
}

const versions = (sent: PublishDiagnosticsParams[]) => sent.filter((p) => p.uri === URI).map((p) => p.version);
function assertDiagnosticsOf(p: PublishDiagnosticsParams | undefined, version: number): void {
  assert.ok(p, `nothing published for version ${version}`);
  assert.equal(p.version, version);
  const uuid = p.diagnostics.filter((d) => d.code === 'agent/org-uuid-invalid');
  assert.equal(uuid.length, 1, JSON.stringify(p.diagnostics));
  assert.match(uuid[0].message, new RegExp(`not-a-uuid-${version}\\b`), 'the diagnostics of that version\'s text');
}

describe('DiagnosticsPublisher (fake clock)', () => {
  test('an open is published at once', (t) => {
    const h = harness(t, 5);
    h.publisher.publish(open());
    assert.deepEqual(versions(h.sent), [1]);
    assertDiagnosticsOf(h.sent[0], 1);
  });

  test('an edit to an idle document is published on the next turn of the event loop: no fake time passes, no fixed debounce', async (t) => {
    const h = harness(t, 30);
    const doc = open();
    h.publisher.publish(doc);
    h.clock.tick(10_000); // the user reads for a while
    edit(doc, 2);
    h.publisher.schedule(doc);
    await turns();
    assert.deepEqual(versions(h.sent), [1, 2]);
    assertDiagnosticsOf(h.sent[1], 2);
    assert.deepEqual(h.errors, []);
  });

  test('an edit on a cheap document is published at once even while typing fast (its window is its cost: zero)', async (t) => {
    const h = harness(t, 0);
    const doc = open();
    h.publisher.publish(doc);
    for (let v = 2; v <= 6; v++) {
      h.clock.tick(1);
      edit(doc, v);
      h.publisher.schedule(doc);
      await turns();
      assert.equal(versions(h.sent).at(-1), v, `version ${v} published on the turn after its keystroke`);
    }
  });

  test('a burst of keystrokes on a costly document: checked at most once per window, the newest version within a window of the last keystroke, versions only increase', async (t) => {
    const COST = 30;
    const h = harness(t, COST);
    const doc = open();
    h.publisher.publish(doc);
    h.clock.tick(1_000);
    const LAST = 41;
    for (let v = 2; v <= LAST; v++) {
      edit(doc, v);
      h.publisher.schedule(doc);
      await turns();
      h.clock.tick(10); // a keystroke every 10 ms, faster than a check
      await turns();
    }
    // The last keystroke came 10 ms ago; the window (the check's cost) ends at most COST ms after it.
    h.clock.tick(COST);
    await turns();
    const got = versions(h.sent);
    assert.equal(got.at(-1), LAST, `the newest version is published (got ${got.join(', ')})`);
    assertDiagnosticsOf(h.sent.at(-1), LAST);
    for (let i = 1; i < got.length; i++) assert.ok(got[i]! > got[i - 1]!, `version ${got[i]} published after ${got[i - 1]}`);
    // 400 ms of typing, each check 30 ms then a 30 ms window: about one check per 60 ms, not one per keystroke.
    assert.ok(h.lints() < LAST / 2, `${h.lints()} checks for ${LAST} versions`);
    assert.ok(got.length >= 4, `the user sees diagnostics while typing, not only at the end: ${got.join(', ')}`);
    // And nothing more comes: the newest was published, no check is left.
    h.clock.tick(10 * MAX_COALESCE_MS);
    await turns();
    assert.equal(versions(h.sent).length, got.length);
  });

  test('a very costly document waits at most MAX_COALESCE_MS after its last check', async (t) => {
    const h = harness(t, 10 * MAX_COALESCE_MS);
    const doc = open();
    h.publisher.publish(doc);
    edit(doc, 2);
    h.publisher.schedule(doc);
    h.clock.tick(MAX_COALESCE_MS - 1);
    await turns();
    assert.deepEqual(versions(h.sent), [1], 'still coalescing');
    h.clock.tick(1);
    await turns();
    assert.deepEqual(versions(h.sent), [1, 2]);
  });

  test('typed then undone before its turn: the text already published is not checked again', async (t) => {
    const h = harness(t, 30);
    const doc = open();
    h.publisher.publish(doc);
    TextDocument.update(doc, [{ text: textOf(1) + '#' }], 2);
    h.publisher.schedule(doc);
    TextDocument.update(doc, [{ text: textOf(1) }], 3);
    h.publisher.schedule(doc);
    h.clock.tick(10 * MAX_COALESCE_MS);
    await turns();
    assert.equal(h.lints(), 1);
    assert.deepEqual(versions(h.sent), [1]);
  });

  test('a folder-wide re-check (force) publishes the same text again; a plain schedule of it does not', async (t) => {
    const h = harness(t, 1);
    const doc = open();
    h.publisher.publish(doc);
    h.clock.tick(1_000);
    h.publisher.schedule(doc);
    await turns();
    assert.deepEqual(versions(h.sent), [1], 'nothing changed');
    h.publisher.schedule(doc, true);
    await turns();
    assert.deepEqual(versions(h.sent), [1, 1], 'another file of its folder changed: checked again');
  });

  test('close while a check is pending: the check is dropped and an empty list goes out', async (t) => {
    const h = harness(t, 30);
    const doc = open();
    h.publisher.publish(doc);
    edit(doc, 2);
    h.publisher.schedule(doc);
    h.publisher.clear(URI);
    h.clock.tick(10 * MAX_COALESCE_MS);
    await turns();
    assert.deepEqual(
      h.sent.map((p) => [p.version, p.diagnostics.length]),
      [
        [1, 2],
        [undefined, 0],
      ],
    );
  });

  test('a slow client: while a message is being written, edits queue nothing more than the newest; once written, the newest follows', async (t) => {
    const h = harness(t, 5, true);
    const doc = open();
    h.publisher.publish(doc); // written slowly: still in flight
    for (let v = 2; v <= 11; v++) {
      h.clock.tick(MAX_COALESCE_MS); // a pause after each keystroke
      edit(doc, v);
      h.publisher.schedule(doc);
      await turns();
    }
    assert.deepEqual(versions(h.sent), [1], 'one message in flight, nothing else sent');
    assert.equal(h.lints(), 1, 'the queued state is linted when its turn comes, not per keystroke');
    h.unwritten.shift()!();
    await turns();
    assert.deepEqual(versions(h.sent), [1, 11]);
    assertDiagnosticsOf(h.sent[1], 11);
    assert.equal(h.unwritten.length, 1, 'again one in flight');
  });

  test('property: any mix of keystrokes, pauses, settings changes, folder re-checks and slow writes publishes versions in order, one in flight, and ends on the newest', async (t) => {
    const COST = 20;
    const h = harness(t, COST, true);
    const doc = open();
    let version = 1;
    h.publisher.publish(doc);
    const op = fc.oneof(
      fc.constant<'type'>('type'),
      fc.record({ pause: fc.integer({ min: 0, max: 2 * MAX_COALESCE_MS }) }),
      fc.constant<'settings'>('settings'),
      fc.constant<'folder'>('folder'),
      fc.constant<'written'>('written'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const start = h.sent.length;
        for (const o of ops) {
          if (o === 'type') {
            edit(doc, ++version);
            h.publisher.schedule(doc);
          } else if (o === 'settings') h.publisher.publish(doc);
          else if (o === 'folder') h.publisher.schedule(doc, true);
          else if (o === 'written') h.unwritten.shift()?.();
          else h.clock.tick(o.pause);
          await turns();
          assert.ok(h.unwritten.length <= 1, `${h.unwritten.length} messages in flight`);
        }
        // The user stops; the client reads everything. A pending check is due within MAX_COALESCE_MS;
        // what waits behind a write goes out when that write finishes.
        h.clock.tick(MAX_COALESCE_MS);
        await turns();
        while (h.unwritten.length) {
          h.unwritten.shift()!();
          await turns();
        }
        const got = versions(h.sent);
        for (let i = 1; i < got.length; i++) assert.ok(got[i]! >= got[i - 1]!, `version ${got[i]} published after ${got[i - 1]}`);
        if (h.sent.length > start || ops.includes('type')) assertDiagnosticsOf(h.sent.at(-1), version);
      }),
      { numRuns: 60, seed: 11 },
    );
    assert.deepEqual(h.errors, []);
  });
});
