// `node dist/emulator.js`: one JSON line on stdout, hints on stderr, a clean
// exit on SIGTERM / SIGINT, exit 2 on a bad argument. Needs the bundle
// (`node esbuild.mjs`); skipped with a message when it is missing.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EMULATOR_API_KEYS, EMULATOR_ORG_UUID, TEST_IDENTITIES } from '../../emulator/src/index';

const ROOT = join(__dirname, '..', '..', '..');
const BUNDLE = join(ROOT, 'dist', 'emulator.js');
const skip = existsSync(BUNDLE) ? false : `${BUNDLE} is missing: run \`node esbuild.mjs\` first`;
const RW = { 'dd-api-key': EMULATOR_API_KEYS.readWrite.apiKey, 'dd-application-key': EMULATOR_API_KEYS.readWrite.appKey };

interface Started {
  child: ChildProcessWithoutNullStreams;
  info: { apiUrl: string; stsUrl: string; orgUuid: string; env: Record<string, Record<string, string>>; datadogKeys: Record<string, string> };
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function start(args: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [BUNDLE, ...args], { cwd: ROOT });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no JSON line within 10 s; stderr: ${stderr}`)), 10_000);
    createInterface({ input: child.stdout }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', () => reject(new Error(`exited before printing; stderr: ${stderr}`)));
  });
  return { child, info: JSON.parse(line), stderr: () => stderr, exit };
}

test('prints one JSON line, serves, and exits 0 on SIGTERM', { skip }, async () => {
  const s = await start();
  try {
    assert.deepEqual(Object.keys(s.info), ['apiUrl', 'stsUrl', 'orgUuid', 'env', 'datadogKeys']);
    assert.deepEqual(s.info.env.mappedRole, {
      AWS_ACCESS_KEY_ID: TEST_IDENTITIES.mappedRole.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_IDENTITIES.mappedRole.secretAccessKey,
      AWS_SESSION_TOKEN: TEST_IDENTITIES.mappedRole.sessionToken,
      AWS_ENDPOINT_URL_STS: s.info.stsUrl,
    });
    assert.equal('AWS_SESSION_TOKEN' in s.info.env.iamUser, false, 'a long-lived key has no session token');
    assert.equal(s.info.datadogKeys.DD_API_KEY, RW['dd-api-key']);
    assert.match(s.info.apiUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(s.info.stsUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(s.info.orgUuid, EMULATOR_ORG_UUID);
    const res = await fetch(`${s.info.apiUrl}/api/v2/cloud_auth/aws/persona_mapping`, { headers: RW });
    assert.equal(res.status, 200);
    const state = (await (await fetch(`${s.info.apiUrl}/__emulator/state`)).json()) as any;
    assert.equal(state.requests.length, 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(s.stderr().includes(`AWS_ENDPOINT_URL_STS=${s.info.stsUrl}`), s.stderr());
    assert.ok(s.stderr().includes(`AWS_ACCESS_KEY_ID=${TEST_IDENTITIES.mappedRole.accessKeyId}`));
  } finally {
    s.child.kill('SIGTERM');
  }
  assert.deepEqual(await s.exit, { code: 0, signal: null });
});

test('--api-port / --sts-port / --mapping-paths are honoured; SIGINT exits 0', { skip }, async () => {
  const probe = await start();
  const apiPort = Number(new URL(probe.info.apiUrl).port);
  const stsPort = Number(new URL(probe.info.stsUrl).port);
  probe.child.kill('SIGTERM');
  await probe.exit;

  const s = await start(['--api-port', String(apiPort), `--sts-port=${stsPort}`, '--mapping-paths', 'wif']);
  try {
    assert.equal(s.info.apiUrl, `http://127.0.0.1:${apiPort}`);
    assert.equal(s.info.stsUrl, `http://127.0.0.1:${stsPort}`);
    assert.equal((await fetch(`${s.info.apiUrl}/api/v2/wif/aws/intake_mapping`, { headers: RW })).status, 200);
    assert.equal((await fetch(`${s.info.apiUrl}/api/v2/cloud_auth/aws/intake_mapping`, { headers: RW })).status, 404);
  } finally {
    s.child.kill('SIGINT');
  }
  assert.deepEqual(await s.exit, { code: 0, signal: null });
});

test('a bad argument is a usage error: exit 2, nothing on stdout', { skip }, () => {
  for (const args of [['--mapping-paths', 'both-ish'], ['--api-port', 'x'], ['--nope']]) {
    const r = spawnSync(process.execPath, [BUNDLE, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /usage: node dist\/emulator\.js/);
  }
});
