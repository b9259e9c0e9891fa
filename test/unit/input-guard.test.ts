// The input guard: before any parser sees a file, a file over 2 MiB (UTF-8)
// or one that looks binary is refused with one finding, for every kind of
// file (Agent YAML: agent/yaml-syntax; Terraform and the lock file:
// tf/hcl-syntax) and every entry point of the service (lint, hover,
// completion, code lenses, and the CLI's check of a size before reading).

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, type Finding, type SourceDocument } from '../../server/src/service';
import { BINARY_SNIFF_CHARS, MAX_INPUT_BYTES, checkInput, checkSize, formatBytes, utf8Length } from '../../server/src/service/common/inputGuard';
import { Rng } from '../helpers/corpus';
import { countingRuntime, runtime } from '../helpers/terraform';

const places = (findings: readonly Finding[]) => findings.map((f) => [f.code, f.severity, f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character]);

describe('checkInput: size in UTF-8 bytes', () => {
  test('at the limit it passes, one byte over it is refused, with its size', () => {
    assert.equal(checkInput('a'.repeat(MAX_INPUT_BYTES)), undefined);
    assert.deepEqual(checkInput('a'.repeat(MAX_INPUT_BYTES + 1)), { reason: 'too-large', bytes: MAX_INPUT_BYTES + 1 });
    // Characters that take two, three and four bytes: the same number of bytes passes, one more does not.
    for (const c of ['é', '€', '😀']) {
      const bytes = Buffer.byteLength(c);
      const n = Math.floor(MAX_INPUT_BYTES / bytes);
      const fill = 'a'.repeat(MAX_INPUT_BYTES - n * bytes);
      assert.equal(checkInput(c.repeat(n) + fill), undefined, c);
      assert.deepEqual(checkInput(c.repeat(n) + fill + 'a'), { reason: 'too-large', bytes: MAX_INPUT_BYTES + 1 }, c);
    }
  });

  test('utf8Length is what Buffer.byteLength says, lone surrogates (written as U+FFFD) included', () => {
    const rng = new Rng(3);
    const pool = ['a', '\n', 'é', 'ß', '€', '😀', '\ud800', '\udc00', '\uffff', '\u0000', '\u07ff', '\u0800'];
    for (let i = 0; i < 2_000; i++) {
      let s = '';
      for (let n = rng.between(0, 12); n > 0; n--) s += rng.pick(pool);
      assert.equal(utf8Length(s), Buffer.byteLength(s, 'utf8'), JSON.stringify(s));
    }
  });

  test('checkSize judges a size alone (the CLI, before reading)', () => {
    assert.equal(checkSize(MAX_INPUT_BYTES), undefined);
    assert.deepEqual(checkSize(3 * 1024 ** 3), { reason: 'too-large', bytes: 3 * 1024 ** 3 });
  });

  test('sizes read as a person reads them, rounded up', () => {
    assert.deepEqual(
      [0, 1023, 1024, 1536, MAX_INPUT_BYTES, MAX_INPUT_BYTES + 1, 50 * 1024 * 1024, 1024 ** 3].map(formatBytes),
      ['0 bytes', '1023 bytes', '1 KiB', '1.5 KiB', '2 MiB', '2.1 MiB', '50 MiB', '1 GiB'],
    );
  });
});

describe('checkInput: binary', () => {
  const text = 'provider "datadog" {\n\torg_uuid = "x"\r\n}\f\n';

  test('text with tabs, CR, form feeds, a stray NUL or a few bad bytes is text', () => {
    assert.equal(checkInput(text), undefined);
    assert.equal(checkInput(text.replace('x', 'x\0y')), undefined);
    assert.equal(checkInput(text.replace('x', '\ufffd\ufffd')), undefined);
    assert.equal(checkInput(''), undefined);
  });

  test('NULs, a file saved as UTF-16, random bytes read as UTF-8: binary', () => {
    assert.deepEqual(checkInput('\0'), { reason: 'binary' });
    assert.deepEqual(checkInput(Buffer.from(text, 'utf16le').toString('utf8')), { reason: 'binary' });
    const rng = new Rng(5);
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
    assert.deepEqual(checkInput(bytes.toString('utf8')), { reason: 'binary' });
  });

  test('more than a third of odd characters among the first 8000: the boundary, and nothing after it counts', () => {
    const third = 'ab\u0001'.repeat(100); // exactly a third
    assert.equal(checkInput(third), undefined);
    assert.deepEqual(checkInput(third + '\u0002'), { reason: 'binary' });
    const textFirst = 'a'.repeat(BINARY_SNIFF_CHARS);
    assert.equal(checkInput(textFirst + '\0'.repeat(10_000)), undefined);
  });
});

describe('the service refuses such files at every entry point', () => {
  const huge = 'a = 1\n'.repeat(Math.ceil(MAX_INPUT_BYTES / 6) + 1);
  // Two NULs for each character of text.
  const binary = 'provider "datadog" {}'.replace(/./g, '\0\0$&');

  test('Terraform and lock files: one tf/hcl-syntax at the start, without a runtime too', () => {
    const service = new LanguageService();
    for (const path of ['/w/main.tf', '/w/.terraform.lock.hcl']) {
      assert.deepEqual(places(service.lint({ path, text: huge })), [['tf/hcl-syntax', 'error', 0, 0, 0, 0]]);
      assert.equal(service.lint({ path, text: huge })[0].message, 'Not checked: this file is 2.1 MiB, and files over 2 MiB are not parsed (a real Terraform file is far smaller).');
      assert.match(service.lint({ path, text: binary })[0].message, /^Not checked: this file looks binary, not HCL text/);
    }
  });

  test('Agent YAML: one agent/yaml-syntax; hover, completion and lenses answer nothing', () => {
    const service = new LanguageService({ agentConfigFiles: ['**/values.yaml'] });
    for (const doc of [
      { path: '/w/datadog.yaml', text: `delegated_auth:\n  org_uuid: x\n${'#'.repeat(MAX_INPUT_BYTES)}` },
      { path: '/w/values.yaml', text: binary },
    ]) {
      assert.deepEqual(places(service.lint(doc)), [['agent/yaml-syntax', 'error', 0, 0, 0, 0]]);
      assert.match(service.lint(doc)[0].message, /not YAML text|a real Agent configuration is far smaller/);
      assert.equal(service.hover(doc, { line: 1, character: 3 }), null);
      assert.deepEqual(service.complete(doc, { line: 1, character: 2 }), []);
      assert.deepEqual(service.loginTargets(doc), []);
    }
    // A file of another kind is none of the guard's business.
    assert.deepEqual(service.lint({ path: '/w/notes.txt', text: binary }), []);
  });

  test('severity overrides apply to the refusal like to any finding of its code', () => {
    const doc = { path: '/w/main.tf', text: binary };
    assert.equal(new LanguageService({ severity: { 'tf/hcl-syntax': 'warning' } }).lint(doc)[0].severity, 'warning');
    assert.deepEqual(new LanguageService({ severity: { 'tf/*': 'off' } }).lint(doc), []);
    assert.equal(new LanguageService().lint({ ...doc, severity: { 'tf/hcl-syntax': 'info' } })[0].severity, 'info');
  });

  test('tooLarge: the findings of a file known by its size alone, or undefined when it has to be read', () => {
    const service = new LanguageService({ severity: { 'agent/yaml-syntax': 'warning' } });
    assert.equal(service.tooLarge({ path: '/w/main.tf' }, MAX_INPUT_BYTES), undefined);
    assert.deepEqual(places(service.tooLarge({ path: '/w/datadog.yaml' }, 3 * 1024 ** 3) ?? []), [['agent/yaml-syntax', 'warning', 0, 0, 0, 0]]);
    assert.match(service.tooLarge({ path: '/w/main.tf' }, 3 * 1024 ** 3)?.[0].message ?? '', /this file is 3 GiB/);
    assert.equal(service.tooLarge({ path: '/w/notes.txt' }, 3 * 1024 ** 3), undefined);
  });

  test('a refused folder-mate is never parsed and says nothing about the folder', async () => {
    const { runtime: counted, parsed } = countingRuntime(await runtime());
    const service = new LanguageService();
    service.setHclRuntime(counted);
    const versions: SourceDocument = { path: '/w/versions.tf', text: 'terraform {\n  required_providers {\n    datadog = { source = "DataDog/datadog", version = "~> 3.7" }\n  }\n}\n' };
    const cloud = 'provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid = var.org\n}\n';
    // Cloud auth in a file of the folder makes the constraint too old; not when that file is refused.
    assert.deepEqual(service.lint(versions, [{ path: '/w/main.tf', text: cloud }]).map((f) => f.code), ['tf/provider-version-too-old']);
    for (const refused of [cloud + '\0'.repeat(cloud.length), cloud + '#'.repeat(MAX_INPUT_BYTES)]) {
      assert.deepEqual(service.lint(versions, [{ path: '/w/main.tf', text: refused }]), []);
      assert.ok(!parsed.includes(refused));
    }
  });
});
