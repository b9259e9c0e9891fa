// The HCL runtime's life: a runtime (web-tree-sitter's wasm) that fails on a
// file is dead for good, and must not take Terraform checking with it. Each
// runtime is a web-tree-sitter of its own with a bounded memory; the service
// reports the file it failed on, drops it with every tree it made, tells the
// host, and checks the next file with a fresh one. A parse that runs out of
// time is abandoned the same way (the runtime stays). The aborts here are
// real: a runtime given 64 MiB, and a text that wants more.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, type Finding } from '../../server/src/service';
import { HclParseCancelled, HclTree, parseHcl, parseRegion } from '../../server/src/service/terraform/hcl';
import { parseTimeoutMs } from '../../server/src/service/common/inputGuard';
import { createHclRuntime, loadHclLanguage, maxMemoryFromEnv, replaceHclLanguage } from '../../server/src/shared/treeSitter';
import { countingRuntime, hostileHcl } from '../helpers/terraform';

const SMALL = 64 * 1024 * 1024;
const HOSTILE = hostileHcl();

const MAIN = ['provider "datadog" {', '  cloud_provider_type   = "gcp"', '  cloud_provider_region = "us-east-1"', '  org_uuid              = var.org', '}', ''].join('\n');
const VERSIONS = ['terraform {', '  required_providers {', '    datadog = {', '      source  = "DataDog/datadog"', '      version = "~> 3.7"', '    }', '  }', '}', ''].join('\n');

const codes = (findings: readonly Finding[]) => findings.map((f) => f.code);
const places = (findings: readonly Finding[]) => findings.map((f) => [f.code, f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character]);

describe('each runtime is a web-tree-sitter of its own', () => {
  test('two runtimes have their own Parser and memory, and both parse', async () => {
    const a = await createHclRuntime();
    const b = await createHclRuntime({ maxMemoryBytes: SMALL });
    assert.notEqual(a.Parser, b.Parser, 'a new evaluation of web-tree-sitter, not the same module');
    assert.equal(b.maxMemoryBytes, SMALL);
    assert.match(a.runtimeJs, /tree-sitter\.cjs$/);
    for (const rt of [a, b]) {
      const tree = parseHcl(rt, 'a = 1\n');
      assert.equal(tree.root.type, 'config_file');
      tree.delete();
    }
  });

  test('the memory limit: 1 GiB, or DD_WIF_HCL_MEMORY_MB whole MiB from 64 to 2048 (all emscripten can use)', () => {
    assert.equal(maxMemoryFromEnv({}), 1024 ** 3);
    assert.equal(maxMemoryFromEnv({ DD_WIF_HCL_MEMORY_MB: '64' }), SMALL);
    assert.equal(maxMemoryFromEnv({ DD_WIF_HCL_MEMORY_MB: '2048' }), 2 * 1024 ** 3);
    assert.equal(maxMemoryFromEnv({ DD_WIF_HCL_MEMORY_MB: '4096' }), 2 * 1024 ** 3);
    for (const junk of ['', '12', '63', '100.5', 'lots', '-1']) assert.equal(maxMemoryFromEnv({ DD_WIF_HCL_MEMORY_MB: junk }), 1024 ** 3, junk);
  });

  test('replaceHclLanguage replaces the shared runtime once, however many report it lost', async () => {
    const first = await loadHclLanguage();
    const [b, c] = await Promise.all([replaceHclLanguage(first), replaceHclLanguage(first)]);
    assert.equal(b, c);
    assert.notEqual(b, first);
    assert.equal(await loadHclLanguage(), b, 'what loadHclLanguage answers from now on');
    assert.equal(await replaceHclLanguage(first), b, 'a runtime already replaced is not replaced again');
  });
});

describe('a runtime that fails on a file', () => {
  test('aborts for real and is dead; the service reports that file, drops the runtime, and a fresh one checks the next file', async () => {
    const small = await createHclRuntime({ maxMemoryBytes: SMALL });
    const service = new LanguageService();
    const lost: Error[] = [];
    service.setHclRuntime(small, (err) => lost.push(err));
    const main = { path: '/w/main.tf', text: MAIN };
    const before = service.lint(main);
    assert.deepEqual(codes(before), ['tf/cloud-provider-type-invalid']);

    const hostile = service.lint({ path: '/w/hostile.tf', text: HOSTILE });
    assert.deepEqual(places(hostile), [['tf/hcl-syntax', 0, 0, 0, 0]]);
    assert.equal(hostile[0].message, 'Not checked: the HCL parser ran out of memory on this file (it may use 64 MiB); a fresh one checks the other files.');
    assert.equal(lost.length, 1, 'the host is told once');
    assert.match(lost[0].message, /^Aborted\(/);
    assert.equal(service.canCheckTerraform, false);
    // Why a fresh runtime is needed: this one cannot parse anything any more.
    assert.throws(() => parseHcl(small, 'a = 1\n').delete());

    // Without a runtime a changed file gets nothing (rather than findings of a broken parser).
    const edited = { path: main.path, text: MAIN.replace('"gcp"', '"azure"') };
    assert.deepEqual(service.lint(edited), []);

    const { runtime: fresh, parsed } = countingRuntime(await createHclRuntime());
    service.setHclRuntime(fresh, (err) => lost.push(err));
    assert.equal(service.canCheckTerraform, true);
    const after = service.lint(edited);
    assert.deepEqual(codes(after), ['tf/cloud-provider-type-invalid']);
    assert.match(after[0].message, /not "azure"/);
    // The file it failed on keeps its finding and is not parsed again (nor does it fail again).
    assert.deepEqual(service.lint({ path: '/w/hostile.tf', text: HOSTILE }), hostile);
    assert.equal(service.hover({ path: '/w/hostile.tf', text: HOSTILE }, { line: 0, character: 1 }), null);
    assert.deepEqual(service.loginTargets({ path: '/w/hostile.tf', text: HOSTILE }), []);
    assert.ok(!parsed.includes(HOSTILE));
    assert.equal(lost.length, 1);
    // Once edited, it is parsed again.
    assert.deepEqual(codes(service.lint({ path: '/w/hostile.tf', text: 'a = 1\n' })), []);
  });

  test('on a folder-mate: the file linted gets nothing until a fresh runtime, then its findings, judged without the failed file', async () => {
    const service = new LanguageService();
    let lost = 0;
    service.setHclRuntime(await createHclRuntime({ maxMemoryBytes: SMALL }), () => lost++);
    const main = { path: '/w/main.tf', text: MAIN };
    const versions = { path: '/w/versions.tf', text: VERSIONS };
    const hostile = { path: '/w/hostile.tf', text: HOSTILE };
    // versions.tf is judged with its folder: cloud auth in main.tf makes "~> 3.7" too old.
    assert.deepEqual(service.lint(versions, [main, hostile]), []);
    assert.equal(lost, 1);
    const { runtime: fresh, parsed } = countingRuntime(await createHclRuntime());
    service.setHclRuntime(fresh);
    assert.deepEqual(codes(service.lint(versions, [main, hostile])), ['tf/provider-version-too-old']);
    assert.deepEqual(codes(service.lint(main, [versions, hostile])), ['tf/cloud-provider-type-invalid']);
    assert.match(service.lint(hostile, [main, versions])[0].message, /ran out of memory/);
    assert.ok(!parsed.includes(HOSTILE), 'the failed file is not parsed again, alone or as a folder-mate');
  });
});

describe('a parse that runs out of time', () => {
  // Half a megabyte-minute of error recovery: 25,000 lines of `"` (minutes to parse without a limit).
  const SLOW = '"\n'.repeat(25_000);

  test('that file is reported, the runtime stays and checks the next file, and the text is not parsed again', async () => {
    const service = new LanguageService({}, { parseTimeoutMs: () => 50 });
    const { runtime, parsed } = countingRuntime(await loadHclLanguage());
    let lost = 0;
    service.setHclRuntime(runtime, () => lost++);
    const slow = { path: '/w/slow.tf', text: SLOW };
    const found = service.lint(slow);
    assert.deepEqual(places(found), [['tf/hcl-syntax', 0, 0, 0, 0]]);
    assert.equal(found[0].message, 'Not checked: parsing this file took longer than 0.1 s and was abandoned (HCL that slow to parse is generated or hostile).');
    assert.equal(lost, 0);
    assert.equal(service.canCheckTerraform, true);
    assert.deepEqual(codes(service.lint({ path: '/w/main.tf', text: MAIN }, [slow])), ['tf/cloud-provider-type-invalid']);
    assert.deepEqual(service.lint(slow), found);
    assert.deepEqual(service.complete(slow, { line: 0, character: 1 }), []);
    assert.equal(parsed.filter((t) => t === SLOW).length, 1, 'parsed once, abandoned, never again');
  });

  test('the default time grows with the file: 5 s, and 10 s more a MiB', () => {
    assert.equal(parseTimeoutMs(0), 5_000);
    assert.equal(parseTimeoutMs(1024 * 1024), 15_000);
    assert.equal(parseTimeoutMs(2 * 1024 * 1024), 25_000);
  });

  test('the re-parses of recovery (parseRegion) share the parse\'s time', async () => {
    const rt = await loadHclLanguage();
    const text = 'a = "x\nprovider "datadog" {\n}\n';
    const tree = parseHcl(rt, text, undefined, { timeoutMs: 60_000 });
    assert.equal(tree.deadline?.timeoutMs, 60_000);
    const region = parseRegion(tree, 7, text.length);
    assert.ok(region && !region.root.hasError, 'within the time: parsed');
    assert.equal(region.deadline, tree.deadline);
    region.delete();
    const late = new HclTree(text, tree.tree.copy(), false, rt, { at: performance.now() - 1, timeoutMs: 60_000 });
    assert.throws(() => parseRegion(late, 7, text.length), (err: Error) => err instanceof HclParseCancelled && err.timeoutMs === 60_000);
    late.delete();
    tree.delete();
  });
});

test('an edit is parsed from the file\'s previous tree (the guard and the failure bookkeeping keep it)', async () => {
  const { runtime, incremental } = countingRuntime(await loadHclLanguage());
  const service = new LanguageService();
  service.setHclRuntime(runtime);
  const edited = MAIN.replace('"gcp"', '"azure"');
  service.lint({ path: '/w/main.tf', text: MAIN });
  assert.match(service.lint({ path: '/w/main.tf', text: edited })[0].message, /not "azure"/);
  assert.deepEqual(incremental, [edited]);
  service.forget('/w/main.tf');
});

test('a tree made by another runtime is neither reused nor freed by a parse', async () => {
  const a = await loadHclLanguage();
  const b = await createHclRuntime();
  const old = parseHcl(a, 'a = 1\n');
  const next = parseHcl(b, 'a = 2\n', { tree: old });
  assert.equal(next.incremental, false);
  assert.equal(next.runtime, b);
  assert.equal(old.deleted, false, 'still its own runtime\'s');
  assert.equal(old.root.text, 'a = 1\n');
  old.delete();
  next.delete();
});
