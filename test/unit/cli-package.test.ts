// `npm run pack:cli` (scripts/pack-cli.mjs): the dd-wif CLI as a package of
// its own. Packs it into a temporary folder, installs the tarball with a real
// `npm install --offline` into an empty folder (no dependencies, so no
// registry), and runs the installed `dd-wif` as a CI job would: lint on the
// examples (Terraform too: the HCL runtime must travel in the package),
// whoami and login against the emulator.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { startEmulator, TEST_IDENTITIES, type Emulator } from '../../emulator/src/index';
import { awsEnvironment } from '../helpers/cli';

const root = path.resolve(__dirname, '..', '..', '..');
const MAX_BYTES = 3 * 1024 * 1024;
const project = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };

/** The entries of a .tgz (npm writes ustar: name at 0, size in octal at 124, prefix at 345). */
function tarEntries(tgz: Buffer): { name: string; size: number }[] {
  const tar = gunzipSync(tgz);
  const out: { name: string; size: number }[] = [];
  const text = (from: number, to: number) => tar.subarray(from, to).toString('utf8').replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= tar.length; ) {
    const name = text(at, at + 100);
    if (name === '') break;
    const prefix = text(at + 345, at + 500);
    const size = parseInt(text(at + 124, at + 136).trim() || '0', 8);
    out.push({ name: prefix ? `${prefix}/${name}` : name, size });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let work: string;
let tgz: string;
let installed: string;
/** The installed package's folder (node_modules/dd-wif). */
let pkgDir: string;

/**
 * The installed `dd-wif`, through npm's own bin link (a symlink on POSIX, a
 * .cmd shim on Windows), as a CI script calls it; asynchronous, since the
 * emulator answers from this process.
 */
function ddWif(env: Record<string, string> | undefined, ...argv: string[]): Promise<Run> {
  const bin = path.join(installed, 'node_modules', '.bin', process.platform === 'win32' ? 'dd-wif.cmd' : 'dd-wif');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, { cwd: root, shell: process.platform === 'win32', env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-package-'));
  const packed = spawnSync(process.execPath, [path.join(root, 'scripts', 'pack-cli.mjs'), `--staging=${path.join(work, 'staging')}`, `--dest=${work}`], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  assert.equal(packed.status, 0, `pack-cli failed:\n${packed.stdout}\n${packed.stderr}`);
  tgz = path.join(work, `dd-wif-${project.version}.tgz`);
  installed = path.join(work, 'install');
  fs.mkdirSync(installed);
  // An empty folder, npm's own cache in the temp folder: nothing from this checkout's node_modules or the registry.
  const npm = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', path.join(work, 'npm-cache'), tgz], { cwd: installed, encoding: 'utf8', timeout: 300_000, shell: process.platform === 'win32' });
  assert.equal(npm.status, 0, `npm install of the tarball failed:\n${npm.stdout}\n${npm.stderr}`);
  pkgDir = path.join(installed, 'node_modules', 'dd-wif');
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the dd-wif package (npm run pack:cli)', () => {
  test('dd-wif-<version>.tgz: 3 MB or less; the bundle, the HCL runtime, README, LICENSE and package.json; no tests, sources or maps', () => {
    const bytes = fs.readFileSync(tgz);
    assert.ok(bytes.length <= MAX_BYTES, `${bytes.length} bytes`);
    const names = tarEntries(bytes).map((e) => e.name);
    for (const required of ['package/package.json', 'package/README.md', 'package/LICENSE', 'package/dist/cli.js', 'package/dist/tree-sitter.cjs', 'package/dist/tree-sitter.wasm', 'package/dist/tree-sitter-terraform.wasm']) {
      assert.ok(names.includes(required), `${required} missing from ${names.join(', ')}`);
    }
    const stray = names.filter((n) => /(^|\/)(test|tests|fixtures|examples|node_modules|src)\/|\.test\.|\.map$|\.tsx?$|\.tgz$/.test(n));
    assert.deepEqual(stray, []);
    // The production build: minified (a dev bundle keeps its line structure and a source map link).
    const cli = fs.readFileSync(path.join(pkgDir, 'dist', 'cli.js'), 'utf8');
    assert.doesNotMatch(cli, /sourceMappingURL/);
    // (Its usage texts keep their line breaks: a dev build has lines of ~40 characters on average, this one thousands.)
    assert.ok(cli.length / cli.split('\n').length > 500, 'not minified');
  });

  test('package.json: bin dd-wif, no dependencies of any kind, the project\'s engines and version', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    assert.equal(manifest.name, 'dd-wif');
    assert.equal(manifest.version, project.version);
    assert.deepEqual(manifest.bin, { 'dd-wif': 'dist/cli.js' });
    assert.deepEqual(manifest.engines, { node: project.engines.node });
    for (const key of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'scripts']) assert.equal(manifest[key], undefined, key);
    // npm installed exactly one package.
    assert.deepEqual(fs.readdirSync(path.join(installed, 'node_modules')).filter((n) => !n.startsWith('.')), ['dd-wif']);
  });

  test('dd-wif --version and lint: Agent YAML and Terraform (the wasm found in the package), exit codes 0 and 1', async () => {
    assert.equal((await ddWif(undefined, '--version')).stdout.trim(), project.version);
    const good = await ddWif(undefined, 'lint', 'examples/agent/good', 'examples/terraform/good');
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.match(good.stderr, /^2 files checked: 0 errors/);
    const bad = await ddWif(undefined, 'lint', '--format', 'json', 'examples/agent/bad', 'examples/terraform/bad');
    assert.equal(bad.code, 1, bad.stderr);
    assert.doesNotMatch(bad.stderr, /HCL parser|not checked/, bad.stderr);
    const codes = new Set((JSON.parse(bad.stdout) as { code: string }[]).map((f) => f.code));
    for (const code of ['agent/org-uuid-invalid', 'tf/cloud-provider-type-invalid', 'tf/provider-version-too-old']) assert.ok(codes.has(code), `${code} not in ${[...codes].join(', ')}`);
  });

  test('SARIF: every rule links to its page installed with the package', async () => {
    const r = await ddWif(undefined, 'lint', '--format', 'sarif', 'examples/agent/bad');
    const driver = JSON.parse(r.stdout).runs[0].tool.driver as { informationUri: string; rules: { id: string; helpUri: string }[] };
    const readme = path.join(pkgDir, 'README.md');
    assert.equal(fileURLToPath(driver.informationUri), fs.realpathSync(readme));
    const anchors = new Set(
      fs
        .readFileSync(readme, 'utf8')
        .split('\n')
        .filter((l) => /^#+ /.test(l))
        .map((l) => l.replace(/^#+ /, '').toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-')),
    );
    assert.ok(driver.rules.length > 40);
    assert.ok(anchors.has('rules'), 'the package README has the Rules section');
    for (const rule of driver.rules) {
      // Each rule's page, shipped in the package beside the README (docs/rules/), as in the .vsix.
      const page = fileURLToPath(rule.helpUri.split('#')[0]);
      assert.equal(path.dirname(page), path.join(fs.realpathSync(pkgDir), 'docs', 'rules'), rule.id);
      assert.ok(fs.existsSync(page), `${rule.id}: ${page} is not in the package`);
      assert.match(fs.readFileSync(page, 'utf8'), new RegExp(rule.id.replace(/[/-]/g, '.')), rule.id);
    }
  });

  describe('whoami and login against the emulator', () => {
    let emulator: Emulator;
    let home: string;
    before(async () => {
      emulator = await startEmulator();
      home = fs.mkdtempSync(path.join(work, 'home-'));
    });
    after(() => emulator.close());

    test('whoami names the caller and the pattern to map it', async () => {
      const r = await ddWif(awsEnvironment(home, emulator.stsUrl, TEST_IDENTITIES.mappedRole), 'whoami', '--format', 'json');
      assert.equal(r.code, 0, r.stderr);
      const who = JSON.parse(r.stdout);
      assert.equal(who.arn, TEST_IDENTITIES.mappedRole.arn);
      assert.equal(who.suggestedPattern, 'arn:aws:sts::123456789012:assumed-role/terraform-runner/*');
    });

    test('login: both flows succeed for a mapped role; an unmapped one is refused (exit 1); no secret printed', async () => {
      const target = ['--org-uuid', emulator.orgUuid, '--api-url', emulator.apiUrl, '--allow-host', new URL(emulator.apiUrl).host, '--format', 'json'];
      for (const flow of ['terraform', 'agent']) {
        const r = await ddWif(awsEnvironment(home, emulator.stsUrl, TEST_IDENTITIES.mappedRole), 'login', '--flow', flow, ...target);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.equal(JSON.parse(r.stdout).ok, true);
        assert.ok(!(r.stdout + r.stderr).includes(TEST_IDENTITIES.mappedRole.secretAccessKey));
        assert.doesNotMatch(r.stdout + r.stderr, /eyJ/);
      }
      const refused = await ddWif(awsEnvironment(home, emulator.stsUrl, TEST_IDENTITIES.unmappedRole), 'login', '--flow', 'terraform', ...target);
      assert.equal(refused.code, 1);
      assert.equal(JSON.parse(refused.stdout).status, 403);
    });
  });
});
