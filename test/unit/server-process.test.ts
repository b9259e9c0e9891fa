// The language server's Node options (server/src/shared/serverProcess.ts):
// the extension starts the server with them, and the bench measures a server
// started with the same ones (its memory row depends on them).

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SERVER_NODE_FLAGS, serverEnvironment } from '../../server/src/shared/serverProcess';
import { installFakeVscode } from '../helpers/vscodeStub';
import { OUR_SERVER, benchFolder, startServer } from '../bench/lsp';

const root = path.resolve(__dirname, '..', '..', '..');

interface NodeServer {
  module: unknown;
  options?: { execArgv?: string[]; env?: NodeJS.ProcessEnv };
}

test('the extension starts the server with SERVER_NODE_FLAGS and serverEnvironment (and the debug server too)', () => {
  assert.ok(SERVER_NODE_FLAGS.length > 0);
  const fake = installFakeVscode();
  // The real language client module, its LanguageClient replaced by one that keeps what it is given.
  const lc = require('vscode-languageclient/node') as { LanguageClient: unknown };
  const Real = lc.LanguageClient;
  let given: { run: NodeServer; debug: NodeServer } | undefined;
  lc.LanguageClient = class {
    constructor(_id: string, _name: string, serverOptions: { run: NodeServer; debug: NodeServer }) {
      given = serverOptions;
    }
  };
  try {
    const { createLanguageClient } = require(path.join(root, 'out/client/src/languageClient.js')) as typeof import('../../client/src/languageClient');
    createLanguageClient(fake.context({}) as never, {} as never, { onGiveUp: () => undefined });
  } finally {
    lc.LanguageClient = Real;
    fake.restore();
  }
  assert.ok(given, 'a LanguageClient was made');
  assert.deepEqual(given.run.options?.execArgv, [...SERVER_NODE_FLAGS]);
  assert.deepEqual(given.debug.options?.execArgv?.slice(0, SERVER_NODE_FLAGS.length), [...SERVER_NODE_FLAGS]);
  for (const server of [given.run, given.debug]) assert.deepEqual(server.options?.env, serverEnvironment(process.env));
});

test('serverEnvironment: the client\'s environment, glibc\'s trim threshold fixed unless it sets one', () => {
  assert.deepEqual(serverEnvironment({ PATH: '/bin' }), { PATH: '/bin', MALLOC_TRIM_THRESHOLD_: '131072' });
  assert.deepEqual(serverEnvironment({ MALLOC_TRIM_THRESHOLD_: '0' }), { MALLOC_TRIM_THRESHOLD_: '0' });
});

test('the bench starts our server with the same flags, before the script, and environment (and node accepts them: the server answers)', async (t) => {
  if (!fs.existsSync(OUR_SERVER)) return t.skip('dist/server.js is missing: run `node esbuild.mjs` first');
  if (process.platform !== 'linux') return t.skip('reads the command line from /proc');
  const client = await startServer('ours', benchFolder());
  try {
    const argv = fs.readFileSync(`/proc/${client.child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const script = argv.indexOf(OUR_SERVER);
    assert.ok(script > 0, argv.join(' '));
    assert.deepEqual(argv.slice(1, script), [...SERVER_NODE_FLAGS]);
    const environ = fs.readFileSync(`/proc/${client.child.pid}/environ`, 'utf8').split('\0');
    assert.ok(environ.includes(`MALLOC_TRIM_THRESHOLD_=${serverEnvironment(process.env).MALLOC_TRIM_THRESHOLD_}`), 'the trim threshold');
  } finally {
    await client.dispose();
  }
});
