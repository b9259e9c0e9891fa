// `dd-wif lint` in-process: main(argv, io) with an io that captures what it
// prints. The same contract is checked against the built binary in
// cli-binary.test.ts. The contract is /work/shared/spec/CLI.md.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LanguageService, RULES, docsUrl } from '../../server/src/service';
import { RULE_EXAMPLES } from '../../server/src/service/ruleExamples';
import { jsonFindings, nonEmptyLines, runCli, tempTrees, type JsonFinding, type Run } from '../helpers/cli';

const root = path.resolve(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'cli');
/** A fixture path as a user in the current folder would write it. */
const rel = (...parts: string[]) => path.relative(process.cwd(), path.join(fixtures, ...parts));

const run = (...argv: string[]) => runCli(argv);
const lines = nonEmptyLines;
const json = jsonFindings;

/** What the language service finds in a file: the reference the formats are checked against. */
function serviceFindings(file: string, kind: 'agent' = 'agent') {
  return new LanguageService().lint({ path: path.resolve(file), text: fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), kind });
}

/** Creates files under a new temp folder: { 'a/datadog.yaml': text }; removed when the file's tests end. */
const tree = tempTrees('dd-wif-cli');

const BAD = fs.readFileSync(path.join(fixtures, 'bad', 'datadog.yaml'), 'utf8');
const CLEAN = fs.readFileSync(path.join(fixtures, 'clean', 'datadog.yaml'), 'utf8');

describe('dd-wif lint --format text', () => {
  test('one line a diagnostic, `file:line:col severity code message`, 1-based, the file as given', async () => {
    const file = rel('bad', 'datadog.yaml');
    const r = await run('lint', file);
    assert.equal(r.code, 1);
    const got = lines(r.stdout);
    assert.deepEqual(
      got.map((l) => l.split(' ').slice(0, 3).join(' ')),
      [`${file}:5:13 error agent/org-uuid-invalid`, `${file}:6:3 warning agent/unknown-key`],
    );
    const expected = serviceFindings(file).map((f) => `${file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code} ${f.message}`);
    assert.deepEqual(got, expected);
    assert.match(got[0], /not `not-a-uuid`/);
    // The summary goes to stderr, so stdout stays machine-readable.
    assert.equal(r.stderr, '1 file checked: 1 error, 1 warning, 0 infos');
  });

  test('an absolute path stays absolute', async () => {
    const file = path.join(fixtures, 'bad', 'datadog.yaml');
    const r = await run('lint', file);
    assert.ok(lines(r.stdout).every((l) => l.startsWith(`${file}:`)), r.stdout);
  });

  test('a message never spans lines', async () => {
    const dir = tree({ 'datadog.yaml': 'delegated_auth:\n  org_uuid: "multi\n    line value"\n  [broken: yaml\n' });
    const r = await run('lint', path.join(dir, 'datadog.yaml'));
    assert.ok(lines(r.stdout).length >= 1);
    for (const l of lines(r.stdout)) assert.match(l, /^.+:\d+:\d+ (error|warning|info) [a-z]+\/[a-z0-9-]+ \S.*$/);
  });

  test('a clean file prints nothing on stdout and exits 0', async () => {
    const r = await run('lint', rel('clean', 'datadog.yaml'));
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '1 file checked: 0 errors, 0 warnings, 0 infos');
  });
});

describe('dd-wif lint --format json', () => {
  test('one array; file/range/severity/code/message; 0-based LSP ranges', async () => {
    const file = rel('bad', 'datadog.yaml');
    const r = await run('lint', '--format', 'json', file);
    assert.equal(r.code, 1);
    const found = json(r);
    for (const f of found) assert.deepEqual(Object.keys(f), ['file', 'range', 'severity', 'code', 'message']);
    assert.deepEqual(found[0], {
      file,
      range: { start: { line: 4, character: 12 }, end: { line: 4, character: 22 } },
      severity: 'error',
      code: 'agent/org-uuid-invalid',
      message: serviceFindings(file)[0].message,
    });
    assert.deepEqual(
      found.map((f) => [f.code, f.severity, f.range]),
      [
        ['agent/org-uuid-invalid', 'error', { start: { line: 4, character: 12 }, end: { line: 4, character: 22 } }],
        ['agent/unknown-key', 'warning', { start: { line: 5, character: 2 }, end: { line: 5, character: 9 } }],
      ],
    );
    // No summary mixed into a machine format.
    assert.equal(r.stderr, '');
  });

  test('sorted by file then position, whatever the order of the arguments', async () => {
    const r = await run('lint', '--format', 'json', rel('warn-only', 'datadog.yaml'), rel('bad', 'datadog.yaml'), rel('info-only', 'datadog.yaml'));
    const found = json(r);
    const keys = found.map((f) => [f.file, f.range.start.line, f.range.start.character] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    assert.deepEqual(keys, sorted);
    assert.deepEqual([...new Set(found.map((f) => f.file))], [rel('bad', 'datadog.yaml'), rel('info-only', 'datadog.yaml'), rel('warn-only', 'datadog.yaml')]);
  });

  test('a clean file is an empty array', async () => {
    const r = await run('lint', '--format=json', rel('clean', 'datadog.yaml'));
    assert.equal(r.code, 0);
    assert.deepEqual(json(r), []);
  });

  test('a folder argument: files are the folder as given joined with their path in it', async () => {
    const r = await run('lint', '--format', 'json', rel('bad'));
    assert.deepEqual([...new Set(json(r).map((f) => f.file))], [path.join(rel('bad'), 'datadog.yaml')]);
  });
});

describe('dd-wif lint --format sarif', () => {
  const level = { error: 'error', warning: 'warning', info: 'note' } as const;

  function sarif(r: Run) {
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'dd-wif');
    assert.equal(typeof driver.version, 'string');
    assert.equal(driver.informationUri, pathToFileURL(path.join(root, 'README.md')).href);
    // One rule per catalog code, in catalog order.
    assert.deepEqual(
      driver.rules.map((x: { id: string }) => x.id),
      RULES.map((x) => x.code),
    );
    for (const [i, rule] of driver.rules.entries()) {
      const info = RULES[i];
      assert.equal(rule.helpUri, docsUrl(info.code));
      // The rule's page shipped beside the CLI, never a web page that may not exist.
      assert.equal(rule.helpUri, pathToFileURL(path.join(root, 'docs', 'rules', `${info.code.replace('/', '-')}.md`)).href);
      assert.ok(fs.existsSync(fileURLToPath(rule.helpUri)), `${rule.helpUri} exists`);
      // The same help inline, from the catalog: the summary, the examples, the quick fix.
      const example = RULE_EXAMPLES[info.code];
      for (const part of [info.summary.replace(/`/g, ''), example.wrong.trim(), example.right.trim()]) assert.ok(rule.help.text.includes(part), `${info.code} help.text has ${part}`);
      for (const part of [info.summary, '#### Wrong', example.wrong.trim(), '#### Right', '#### Quick fix', ...info.fixes]) assert.ok(rule.help.markdown.includes(part), `${info.code} help.markdown has ${part}`);
      assert.deepEqual(rule.defaultConfiguration, { level: level[info.severity] });
      assert.ok(rule.shortDescription?.text, `${info.code} has a description`);
    }
    for (const res of log.runs[0].results) {
      assert.equal(driver.rules[res.ruleIndex].id, res.ruleId, 'ruleIndex points at its rule');
      assert.ok(['error', 'warning', 'note'].includes(res.level), res.level);
      assert.equal(typeof res.message.text, 'string');
      assert.equal(res.locations.length, 1);
      const region = res.locations[0].physicalLocation.region;
      for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) assert.ok(Number.isInteger(region[k]) && region[k] >= 1, `${k} is 1-based`);
    }
    return log;
  }

  test('SARIF 2.1.0: every rule, results with ruleId/level/1-based regions, `note` for info', async () => {
    const file = rel('bad', 'datadog.yaml');
    const r = await run('lint', '--format', 'sarif', file);
    assert.equal(r.code, 1);
    const log = sarif(r);
    const results = log.runs[0].results;
    const asJson = json(await run('lint', '--format', 'json', file));
    assert.equal(results.length, asJson.length);
    results.forEach((res: any, i: number) => {
      const j = asJson[i];
      assert.equal(res.ruleId, j.code);
      assert.equal(res.level, level[j.severity]);
      assert.equal(res.message.text, j.message);
      assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, file.split(path.sep).join('/'));
      assert.deepEqual(res.locations[0].physicalLocation.region, {
        startLine: j.range.start.line + 1,
        startColumn: j.range.start.character + 1,
        endLine: j.range.end.line + 1,
        endColumn: j.range.end.character + 1,
      });
    });
    assert.deepEqual(
      results.map((x: { ruleId: string; level: string }) => [x.ruleId, x.level]),
      [
        ['agent/org-uuid-invalid', 'error'],
        ['agent/unknown-key', 'warning'],
      ],
    );
    assert.deepEqual(results[0].locations[0].physicalLocation.region, { startLine: 5, startColumn: 13, endLine: 5, endColumn: 23 });
  });

  test('a clean run still lists every rule, with no results', async () => {
    const r = await run('lint', '--format', 'sarif', rel('clean', 'datadog.yaml'));
    assert.equal(r.code, 0);
    assert.deepEqual(sarif(r).runs[0].results, []);
  });

  test('artifact locations are valid URI references (spaces, #, % encoded; absolute paths as file: URIs)', async () => {
    const dir = tree({ 'my configs #1 100%/datadog.yaml': BAD });
    const relative = path.relative(process.cwd(), path.join(dir, 'my configs #1 100%', 'datadog.yaml'));
    const absolute = path.join(dir, 'my configs #1 100%', 'datadog.yaml');
    const relUri = sarif(await run('lint', '--format', 'sarif', relative)).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    assert.doesNotMatch(relUri, /[ #]|%(?![0-9A-F]{2})/);
    assert.equal(decodeURIComponent(relUri), relative.split(path.sep).join('/'));
    const absUri = sarif(await run('lint', '--format', 'sarif', absolute)).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    assert.match(absUri, /^file:\/\//);
    assert.equal(new URL(absUri).protocol, 'file:');
    assert.equal(decodeURIComponent(new URL(absUri).pathname), absolute.split(path.sep).join('/'));
  });
});

describe('dd-wif lint exit codes', () => {
  const cases: [string, string[], number][] = [
    ['a clean file', [rel('clean', 'datadog.yaml')], 0],
    ['an error', [rel('bad', 'datadog.yaml')], 1],
    ['only a warning (default --fail-on error)', [rel('warn-only', 'datadog.yaml')], 0],
    ['a warning with --fail-on warning', ['--fail-on', 'warning', rel('warn-only', 'datadog.yaml')], 1],
    ['a warning with --fail-on info', ['--fail-on', 'info', rel('warn-only', 'datadog.yaml')], 1],
    ['a warning with --fail-on error', ['--fail-on', 'error', rel('warn-only', 'datadog.yaml')], 0],
    ['only an info (default)', [rel('info-only', 'datadog.yaml')], 0],
    ['only an info with --fail-on warning', ['--fail-on', 'warning', rel('info-only', 'datadog.yaml')], 0],
    ['only an info with --fail-on info', ['--fail-on', 'info', rel('info-only', 'datadog.yaml')], 1],
    ['an error in json', ['--format', 'json', rel('bad', 'datadog.yaml')], 1],
    ['an error in sarif', ['--format', 'sarif', rel('bad', 'datadog.yaml')], 1],
    ['a folder with nothing to check', [rel('custom')], 0],
  ];
  for (const [name, args, code] of cases) {
    test(`${code}: ${name}`, async () => assert.equal((await run('lint', ...args)).code, code));
  }

  const usage: [string, string[], RegExp][] = [
    ['an unknown option', ['--bogus', rel('bad')], /bogus/],
    ['an unknown short option', ['-x', rel('bad')], /-x/],
    ['a bad --format', ['--format', 'xml', rel('bad')], /--format must be text, json or sarif, not "xml"/],
    ['--format without a value', [rel('bad'), '--format'], /format/],
    ['a bad --fail-on', ['--fail-on', 'critical', rel('bad')], /--fail-on must be error, warning or info, not "critical"/],
    ['a --severity code that does not exist', ['--severity', 'agent/no-such-rule=off', rel('bad')], /unknown code "agent\/no-such-rule"/],
    ['a --severity family that does not exist', ['--severity', 'nope/*=off', rel('bad')], /unknown code "nope\/\*"/],
    ['a bad --severity level', ['--severity', 'agent/org-uuid-invalid=fatal', rel('bad')], /level must be error, warning, info or off, not "fatal"/],
    ['an empty --severity level', ['--severity', 'agent/org-uuid-invalid=', rel('bad')], /level must be/],
    ['--severity without =', ['--severity', 'agent/org-uuid-invalid', rel('bad')], /CODE=LEVEL/],
    ['a missing path', [rel('bad'), path.join(fixtures, 'no-such-folder')], /no-such-folder: no such file or folder/],
    ['no paths', ['--format', 'json'], /at least one file or folder/],
  ];
  for (const [name, args, message] of usage) {
    test(`2: ${name}`, async () => {
      const r = await run('lint', ...args);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '', 'nothing on stdout');
      assert.match(r.stderr, message);
      assert.match(r.stderr, /^dd-wif: /);
      assert.match(r.stderr, /Usage: dd-wif lint/);
    });
  }

  test('2: an unknown command, or none', async () => {
    const unknown = await run('lnit', '.');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "lnit"/);
    assert.equal((await run()).code, 2);
  });

  test('0: --help and --version', async () => {
    const help = await run('lint', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: dd-wif lint/);
    assert.equal((await run('--help')).code, 0);
    const version = await run('--version');
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  });

  describe('2: an unreadable file', () => {
    let dir: string;
    let server: net.Server | undefined;
    before(async () => {
      dir = tree({});
      // Reading a Unix socket fails (ENXIO) even for root, who can read a chmod 000 file.
      server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(path.join(dir, 'datadog.yaml'), () => resolve());
      });
    });
    after(() => server?.close());

    test('a socket named on the command line: not a regular file, never opened', async () => {
      const r = await run('lint', path.join(dir, 'datadog.yaml'));
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /datadog\.yaml: not a regular file \(a socket\); dd-wif reads regular files only/);
    });

    test('a file that cannot be read (Linux /proc/self/mem: EIO)', { skip: process.platform === 'linux' ? false : 'Linux only' }, async () => {
      const r = await run('lint', '/proc/self/mem');
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^dd-wif: \/proc\/self\/mem: cannot read \(EIO\)/);
    });

    test('a file without read permission', { skip: process.getuid?.() === 0 ? 'running as root: permissions do not stop reading' : false }, async () => {
      const d = tree({ 'datadog.yaml': BAD });
      fs.chmodSync(path.join(d, 'datadog.yaml'), 0o000);
      const r = await run('lint', path.join(d, 'datadog.yaml'));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot read \(EACCES\)/);
    });

    test('a socket named datadog.yaml inside a walked folder is not opened: a note, not an error', async () => {
      const r = await run('lint', dir);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, `dd-wif: ${path.join(dir, 'datadog.yaml')}: not a regular file (a socket); not checked\n0 files checked: 0 errors, 0 warnings, 0 infos`);
    });
  });
});

describe('dd-wif lint --severity', () => {
  test('CODE=off removes the code', async () => {
    const r = await run('lint', '--format', 'json', '--severity', 'agent/org-uuid-invalid=off', rel('bad', 'datadog.yaml'));
    assert.deepEqual(
      json(r).map((f) => f.code),
      ['agent/unknown-key'],
    );
    assert.equal(r.code, 0, 'no error left');
  });

  test('CODE=error raises a warning, and the exit code follows', async () => {
    const r = await run('lint', '--severity', 'agent/unknown-key=error', rel('warn-only', 'datadog.yaml'));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /:5:3 error agent\/unknown-key /);
  });

  test('CODE=info lowers an error below the failure level', async () => {
    const r = await run('lint', '--severity', 'agent/org-uuid-invalid=info', rel('bad', 'datadog.yaml'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /:5:13 info agent\/org-uuid-invalid /);
  });

  test('repeatable; a family at once, an exact code winning over its family', async () => {
    const r = await run('lint', '--format', 'json', '--severity', 'agent/*=off', '--severity', 'agent/unknown-key=error', rel('bad', 'datadog.yaml'));
    assert.deepEqual(
      json(r).map((f) => [f.code, f.severity]),
      [['agent/unknown-key', 'error']],
    );
    assert.equal(r.code, 1);
  });

  test('the = form of the option', async () => {
    const r = await run('lint', '--format=json', '--severity=agent/*=off', rel('bad', 'datadog.yaml'));
    assert.deepEqual(json(r), []);
    assert.equal(r.code, 0);
  });
});

describe('dd-wif lint: which files', () => {
  let dir: string;
  before(() => {
    dir = tree({
      'z/datadog.yaml': BAD,
      'a/datadog.yml': BAD,
      'a/b/datadog.yaml': BAD,
      'a/B/datadog.yaml': CLEAN,
      'node_modules/pkg/datadog.yaml': BAD,
      '.git/datadog.yaml': BAD,
      '.terraform/modules/x/datadog.yaml': BAD,
      'deep/er/and/deeper/still/datadog.yaml': BAD,
      'custom/agent-prod.yaml': BAD,
      'custom/notes.yaml': BAD,
      'datadog.yaml.bak': BAD,
      'README.md': '# not ours\n',
    });
  });

  test('folders are walked recursively, node_modules/.git/.terraform skipped, files sorted', async () => {
    const r = await run('lint', '--format', 'json', dir);
    const files = [...new Set(json(r).map((f) => path.relative(dir, f.file).split(path.sep).join('/')))];
    assert.deepEqual(files, ['a/b/datadog.yaml', 'a/datadog.yml', 'deep/er/and/deeper/still/datadog.yaml', 'z/datadog.yaml']);
    const text = await run('lint', dir);
    const [note, summary] = text.stderr.split('\n');
    assert.equal(summary, '5 files checked: 4 errors, 4 warnings, 0 infos', 'a/B/datadog.yaml is checked too (clean)');
    assert.match(note, new RegExp(`^dd-wif: not checked: ${path.join(dir, 'datadog.yaml.bak').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(a folder is walked`), 'a variant passed over is named');
  });

  test('--agent-glob picks extra files in folders; repeatable; a glob with a slash is relative to the folder', async () => {
    const one = await run('lint', '--format', 'json', '--agent-glob', 'agent-*.yaml', dir);
    assert.ok(json(one).some((f) => f.file === path.join(dir, 'custom', 'agent-prod.yaml')));
    assert.ok(!json(one).some((f) => f.file.endsWith('notes.yaml')));
    const two = await run('lint', '--format', 'json', '--agent-glob', 'agent-*.yaml', '--agent-glob', 'notes.yaml', path.join(dir, 'custom'));
    assert.deepEqual([...new Set(json(two).map((f) => path.basename(f.file)))], ['agent-prod.yaml', 'notes.yaml']);
    const slash = await run('lint', '--format', 'json', '--agent-glob', 'custom/*.yaml', dir);
    assert.ok(json(slash).some((f) => f.file.endsWith('notes.yaml')));
    // From a folder above, the same glob still matches (below any folder, as in the editor), and ./ is no different.
    for (const glob of ['custom/*.yaml', './custom/*.yaml']) {
      const above = await run('lint', '--format', 'json', '--agent-glob', glob, path.dirname(dir));
      assert.ok(json(above).some((f) => f.file === path.join(dir, 'custom', 'notes.yaml')), glob);
    }
    const otherFolder = await run('lint', '--format', 'json', '--agent-glob', 'elsewhere/*.yaml', dir);
    assert.ok(!json(otherFolder).some((f) => f.file.endsWith('notes.yaml')), 'the folder in the glob must match');
    const none = await run('lint', path.join(dir, 'custom'));
    assert.equal(none.stderr, '0 files checked: 0 errors, 0 warnings, 0 infos');
  });

  test('a file named explicitly is checked whatever its name (datadog.yaml.bak too: the extension before the suffix)', async () => {
    const named = await run('lint', '--format', 'json', path.join(dir, 'custom', 'notes.yaml'));
    assert.equal(named.code, 1);
    assert.deepEqual([...new Set(json(named).map((f) => f.file))], [path.join(dir, 'custom', 'notes.yaml')]);

    const bak = await run('lint', '--format', 'json', path.join(dir, 'datadog.yaml.bak'));
    assert.equal(bak.code, 1);
    assert.deepEqual([...new Set(json(bak).map((f) => f.file))], [path.join(dir, 'datadog.yaml.bak')]);
    const globbed = await run('lint', '--format', 'json', '--agent-glob', '*.bak', path.join(dir, 'datadog.yaml.bak'));
    assert.equal(globbed.code, 1);
    assert.ok(json(globbed).length > 0);
  });

  test('a file named twice (or also inside a named folder) is checked once', async () => {
    const file = path.join(dir, 'z', 'datadog.yaml');
    const once = json(await run('lint', '--format', 'json', file)).length;
    assert.equal(json(await run('lint', '--format', 'json', file, file, path.join(dir, 'z'))).length, once);
  });

  test('symlinks to files are followed, to folders not; a file reached twice is checked once', async () => {
    const d = tree({ 'shared/datadog.yaml': BAD, 'elsewhere/datadog.yaml': BAD, 'conf/keep': '' });
    fs.symlinkSync(path.join('..', 'shared', 'datadog.yaml'), path.join(d, 'conf', 'datadog.yaml'));
    fs.symlinkSync(path.join(d, 'elsewhere'), path.join(d, 'conf', 'linked-folder')); // not walked
    fs.symlinkSync('nowhere.yaml', path.join(d, 'conf', 'datadog.yml')); // dangling: not a file
    const r = await run('lint', '--format', 'json', path.join(d, 'conf'));
    assert.equal(r.code, 1);
    assert.deepEqual([...new Set(json(r).map((f) => f.file))], [path.join(d, 'conf', 'datadog.yaml')]);
    // The link and its target, named or walked together: one set of findings.
    const both = await run('lint', '--format', 'json', path.join(d, 'conf', 'datadog.yaml'), path.join(d, 'shared'));
    assert.deepEqual([...new Set(json(both).map((f) => f.file))], [path.join(d, 'conf', 'datadog.yaml')]);
    // A Kubernetes ConfigMap mount: datadog.yaml -> ..data/datadog.yaml, ..data -> ..2024_01_01.
    const k = tree({ 'etc/..2024_01_01/datadog.yaml': BAD });
    fs.symlinkSync('..2024_01_01', path.join(k, 'etc', '..data'));
    fs.symlinkSync(path.join('..data', 'datadog.yaml'), path.join(k, 'etc', 'datadog.yaml'));
    assert.equal((await run('lint', path.join(k, 'etc'))).stderr, '1 file checked: 1 error, 1 warning, 0 infos');
  });

  test('a byte order mark is dropped: positions are those of the text', async () => {
    const body = 'site: app.datadoghq.eu\napi_key: 0123456789abcdef0123456789abcdef\ndelegated_auth:\n  org_uuid: not-a-uuid\n';
    const d = tree({ 'bom/datadog.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]), 'plain/datadog.yaml': body });
    const withBom = await run('lint', '--format', 'json', path.join(d, 'bom', 'datadog.yaml'));
    const without = await run('lint', '--format', 'json', path.join(d, 'plain', 'datadog.yaml'));
    const strip = (fs: JsonFinding[]) => fs.map(({ file: _file, ...rest }) => rest);
    assert.deepEqual(strip(json(withBom)), strip(json(without)));
    assert.deepEqual(
      json(withBom).map((f) => [f.code, f.range.start]),
      [
        ['agent/unknown-site', { line: 0, character: 6 }],
        ['agent/org-uuid-invalid', { line: 3, character: 12 }],
      ],
    );
    assert.match((await run('lint', path.join(d, 'bom', 'datadog.yaml'))).stdout, /datadog\.yaml:1:7 warning agent\/unknown-site /);
  });

  test('CRLF line endings give the same positions', async () => {
    const d = tree({ 'datadog.yaml': BAD.replace(/\n/g, '\r\n') });
    const crlf = json(await run('lint', '--format', 'json', path.join(d, 'datadog.yaml')));
    const lf = json(await run('lint', '--format', 'json', rel('bad', 'datadog.yaml')));
    assert.deepEqual(
      crlf.map((f) => [f.code, f.range]),
      lf.map((f) => [f.code, f.range]),
    );
  });
});

describe('dd-wif lint never prints a secret', () => {
  const API_KEY = '5f3c9a1e7b2d4c6e8a0f1b3d5e7c9a2b';
  const APP_KEY = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807';
  const FALLBACK = '0123456789abcdef0123456789abcdef';

  for (const format of ['text', 'json', 'sarif']) {
    test(`an API or application key in org_uuid is reported without the key (${format})`, async () => {
      const r = await run('lint', '--format', format, rel('secret', 'datadog.yaml'));
      assert.equal(r.code, 1);
      assert.match(r.stdout, /agent\/secret-in-org-uuid/);
      for (const secret of [API_KEY, APP_KEY, FALLBACK]) {
        assert.ok(!r.stdout.includes(secret), `stdout has ${secret}`);
        assert.ok(!r.stderr.includes(secret), `stderr has ${secret}`);
        // Nor a large part of it.
        assert.ok(!r.stdout.includes(secret.slice(4, 24)), `stdout has part of ${secret}`);
      }
    });
  }

  test('both keys are found, as errors, on their values', async () => {
    const found = json(await run('lint', '--format', 'json', rel('secret', 'datadog.yaml')));
    assert.deepEqual(
      found.map((f) => [f.code, f.severity, f.range.start]),
      [
        ['agent/secret-in-org-uuid', 'error', { line: 3, character: 12 }],
        ['agent/secret-in-org-uuid', 'error', { line: 7, character: 14 }],
      ],
    );
    assert.match(found[0].message, /API key/);
    assert.match(found[1].message, /application key/);
  });
});
