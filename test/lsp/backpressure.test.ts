// The language server and a client that stops reading its output: what the
// server sends on its own (diagnostics, log messages) must not pile up in its
// memory. `node dist/server.js --stdio` with our JSON-RPC client, whose stdout
// stream is paused while notifications keep going in. Needs the bundle, and
// /proc (Linux) to see when the server has worked through its input.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, delay } from './jsonrpc-client';

const root = path.resolve(__dirname, '..', '..', '..');
const serverJs = process.env.DD_WIF_SERVER_JS ? path.resolve(process.env.DD_WIF_SERVER_JS) : path.join(root, 'dist', 'server.js');
const skip = !fs.existsSync(serverJs)
  ? `${path.relative(root, serverJs)} is missing: run \`npm run build\` first (LSP tests skipped)`
  : !fs.existsSync('/proc/self/stat')
    ? 'no /proc here: these tests watch the server\'s CPU time to know it has read all its input'
    : false;

const PUBLISH = 'textDocument/publishDiagnostics';
const LOG = 'window/logMessage';

interface PublishParams {
  uri: string;
  version?: number;
  diagnostics: { code?: string }[];
}

/** The server's CPU time so far, in clock ticks (utime + stime of /proc/<pid>/stat). */
function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Waits until the server has used no CPU for a while: it has read and handled
 * all it was sent and now only waits for its writes to drain. Not a timed
 * assertion: a wait, so that what the test then counts was all decided while
 * the client was not reading.
 */
async function untilIdle(pid: number, quietSamples = 4, everyMs = 250, maxMs = 120_000): Promise<void> {
  const end = Date.now() + maxMs;
  let last = cpuTicks(pid);
  let quiet = 0;
  while (quiet < quietSamples && Date.now() < end) {
    await delay(everyMs);
    const now = cpuTicks(pid);
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
}

/** A datadog.yaml whose delegated_auth has `n` unknown keys: `n` diagnostics, each a few hundred bytes of JSON. */
function manyUnknownKeys(n: number): string {
  const lines = ['delegated_auth:', '  org_uuid: 5a6e2e1c-2c8e-4b6e-9f5a-0c1d2e3f4a5b', '  provider: aws'];
  for (let i = 0; i < n; i++) lines.push(`  not_a_key_${i}: ${i}`);
  return lines.join('\n') + '\n';
}

const unknownKeys = (p: PublishParams) => p.diagnostics.filter((d) => d.code === 'agent/unknown-key').length;

/** A client without workspace/configuration: the server lints at once on open, settings come with didChangeConfiguration. */
async function startClient(): Promise<LspClient> {
  const client = LspClient.start(serverJs, { cwd: root, timeoutMs: 60_000 });
  await client.initialize({
    capabilities: {
      workspace: { configuration: false, didChangeConfiguration: { dynamicRegistration: false } },
      textDocument: { publishDiagnostics: { versionSupport: true } },
    },
  });
  return client;
}

describe('language server: a client that stops reading', { skip }, () => {
  test('publishDiagnostics: at most one message per document in flight, then only the newest; the last is for the last version', { timeout: 300_000 }, async () => {
    const client = await startClient();
    try {
      const uris = ['a', 'b', 'c'].map((d) => `file:///dd-wif-backpressure/${d}/datadog.yaml`);
      // Each list (about 400 KB) is larger than what the pipe and the paused stream's buffer hold
      // together: the first write of a document stays unfinished until the client reads again.
      const texts = [manyUnknownKeys(1200), manyUnknownKeys(1201)];
      const last = manyUnknownKeys(7);
      const ROUNDS = 40;
      const mark = client.mark();
      client.child.stdout.pause();

      // Every didOpen publishes at once, every didClose publishes an empty list: 2 × ROUNDS messages a document.
      let version = 0;
      for (let round = 0; round < ROUNDS; round++) {
        version++;
        for (const uri of uris) {
          client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text: texts[round % 2] } });
          client.notify('textDocument/didClose', { textDocument: { uri } });
        }
      }
      version++;
      for (const uri of uris) client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text: texts[0] } });
      // And a change typed last: checked on its turn, still without the client reading.
      const lastVersion = version + 1;
      for (const uri of uris) client.notify('textDocument/didChange', { textDocument: { uri, version: lastVersion }, contentChanges: [{ text: last }] });

      await untilIdle(client.child.pid!);
      client.child.stdout.resume();
      for (const uri of uris) await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && p.version === lastVersion, { since: mark });
      // A request answered after all that was queued before it: nothing is still on its way.
      await client.request('datadogWif/serverInfo');

      for (const uri of uris) {
        const got = (client.received(PUBLISH, mark) as PublishParams[]).filter((p) => p.uri === uri);
        assert.ok(got.length <= 3, `${got.length} publishDiagnostics for ${uri} (last versions ${got.slice(-6).map((p) => p.version ?? 'none').join(', ')}): only the one being written and the newest should be sent`);
        const final = got[got.length - 1];
        assert.equal(final.version, lastVersion, 'the last message is for the last version');
        assert.equal(unknownKeys(final), 7, 'and carries the diagnostics of the last text');
      }
      assert.ok(client.isAlive);
    } finally {
      await client.dispose();
    }
  });

  test('log messages: bounded while the client does not read; the dropped ones are counted in one later message', { timeout: 300_000 }, async () => {
    const client = await startClient();
    try {
      // Each unknown code in datadogWif.severity is a warning in the log, echoing the code (about 2 KB here).
      const CODES = 40;
      const NOTIFICATIONS = 100;
      const padding = 'x-'.repeat(1000);
      const mark = client.mark();
      client.child.stdout.pause();
      for (let n = 0; n < NOTIFICATIONS; n++) {
        const severity = Object.fromEntries(Array.from({ length: CODES }, (_, i) => [`junk/${n}-${i}-${padding}`, 'error']));
        client.notify('workspace/didChangeConfiguration', { settings: { datadogWif: { severity } } });
      }
      await untilIdle(client.child.pid!);
      client.child.stdout.resume();

      const DROPPED = /(\d+) log messages? (?:was|were) dropped/;
      const notice = await client.waitForNotification<{ message: string }>(LOG, (m) => DROPPED.test(m.message), { since: mark, timeoutMs: 30_000 }).catch(() => undefined);
      await client.request('datadogWif/serverInfo');
      const received = client.received(LOG, mark) as { message: string }[];
      assert.ok(notice, `no log message counts the dropped ones (${received.length} log messages received)`);
      const dropped = Number(DROPPED.exec(notice.message)?.[1]);
      const warnings = received.filter((m) => m.message.includes('unknown code "junk/')).length;
      const total = CODES * NOTIFICATIONS;
      assert.equal(warnings + dropped, total, `${warnings} received + ${dropped} dropped: every warning is either sent or counted`);
      assert.ok(warnings <= total / 10, `${warnings} of ${total} warnings were queued for a client that did not read`);
    } finally {
      await client.dispose();
    }
  });
});
