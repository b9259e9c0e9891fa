// Which files of a folder are ours (shared/discovery.ts): the one answer
// `dd-wif lint FOLDER` and the language server's workspace scan share.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempTrees, runCli, jsonFindings } from '../helpers/cli';
import { Excludes, kindOfFile, walkFolder, type WalkItem } from '../../server/src/shared/discovery';
import { FileClassifier, LanguageService } from '../../server/src/service';

const tree = tempTrees('dd-wif-discovery');

const DAEMONSET = ['apiVersion: apps/v1', 'kind: DaemonSet', 'metadata:', '  name: datadog-agent', 'spec:', '  template:', '    spec:', '      containers:', '        - name: agent', '          image: gcr.io/datadoghq/agent:7.78.0', '          env:', '            - name: DD_DELEGATED_AUTH_ORG_UUID', '              value: not-a-uuid', ''].join('\n');
const UNRELATED_MANIFEST = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: web', 'data:', '  a: b', ''].join('\n');
const TASK_DEFINITION = JSON.stringify({ family: 'agent', containerDefinitions: [{ name: 'datadog-agent', image: 'public.ecr.aws/datadog/agent:7.78.0', environment: [{ name: 'DD_SITE', value: 'datadoghq.com' }] }] });

function walk(root: string, opts: { globs?: string[]; filesExclude?: Record<string, unknown>; exclude?: string[]; maxFiles?: number } = {}): WalkItem[] {
  return [...walkFolder(root, { classifier: new FileClassifier(opts.globs ?? []), excludes: new Excludes(opts.filesExclude, opts.exclude), maxFiles: opts.maxFiles })];
}
const candidates = (items: WalkItem[]) => items.flatMap((i) => (i.type === 'candidate' ? [[i.rel, i.kind]] : []));

describe('discovery: which files of a folder are ours', () => {
  test('named files by name, YAML and JSON to sniff, everything else passed over; in path order', () => {
    const d = tree({
      'datadog.yaml': 'site: x\n',
      'a/main.tf': '',
      'a/.terraform.lock.hcl': '',
      'a/README.md': '',
      'k8s/agent.yaml': DAEMONSET,
      'ecs/task.json': TASK_DEFINITION,
      'src/app.ts': '',
      'agent/custom.conf': '',
    });
    assert.deepEqual(candidates(walk(d)), [
      ['a/.terraform.lock.hcl', 'terraform-lock'],
      ['a/main.tf', 'terraform'],
      ['datadog.yaml', 'agent'],
      ['ecs/task.json', 'sniff'],
      ['k8s/agent.yaml', 'sniff'],
    ]);
    // The user's Agent globs name more files.
    assert.deepEqual(candidates(walk(d, { globs: ['agent/*.conf'] }))[0], ['a/.terraform.lock.hcl', 'terraform-lock']);
    assert.ok(candidates(walk(d, { globs: ['agent/*.conf'] })).some(([rel, kind]) => rel === 'agent/custom.conf' && kind === 'agent'));
  });

  test('the sniff: a manifest, values or task definition that may configure an Agent is agent-env; an unrelated one is not ours', () => {
    const c = new FileClassifier([]);
    assert.equal(kindOfFile('/w/k8s/agent.yaml', DAEMONSET, c), 'agent-env');
    assert.equal(kindOfFile('/w/ecs/task.json', TASK_DEFINITION, c), 'agent-env');
    assert.equal(kindOfFile('/w/values.yaml', 'datadog:\n  site: datadoghq.eu\n', c), 'agent-env');
    assert.equal(kindOfFile('/w/k8s/web.yaml', UNRELATED_MANIFEST, c), undefined);
    assert.equal(kindOfFile('/w/package.json', '{"name": "x"}', c), undefined);
    // The name wins: datadog.yaml is Agent configuration whatever it holds; a .tf file is never sniffed.
    assert.equal(kindOfFile('/w/datadog.yaml', DAEMONSET, c), 'agent');
    assert.equal(kindOfFile('/w/main.tf', DAEMONSET, c), 'terraform');
    assert.equal(kindOfFile('/w/notes.txt', DAEMONSET, c), undefined);
  });

  test('node_modules, .git and .terraform are never walked into', () => {
    const d = tree({ 'node_modules/x/datadog.yaml': '', '.git/datadog.yaml': '', '.terraform/modules/m/main.tf': '', 'ok/main.tf': '' });
    assert.deepEqual(candidates(walk(d)), [['ok/main.tf', 'terraform']]);
  });

  test('files.exclude (true entries, as VS Code reads them) and datadogWif.exclude (a name anywhere without /) leave files and whole folders out', () => {
    const d = tree({ 'vendor/datadog.yaml': '', 'deep/vendor/main.tf': '', 'gen/a.tf': '', 'gen/b.tf': '', 'keep/main.tf': '', 'old.tf': '' });
    const all = candidates(walk(d)).map(([rel]) => rel);
    assert.deepEqual(all, ['deep/vendor/main.tf', 'gen/a.tf', 'gen/b.tf', 'keep/main.tf', 'old.tf', 'vendor/datadog.yaml']);
    // files.exclude: relative to the folder as written; a false entry and a `when` clause exclude nothing.
    assert.deepEqual(
      candidates(walk(d, { filesExclude: { 'gen/**': true, '**/old.tf': true, 'keep': false, 'vendor': { when: '$(basename).x' } } })).map(([rel]) => rel),
      ['deep/vendor/main.tf', 'keep/main.tf', 'vendor/datadog.yaml'],
    );
    // datadogWif.exclude: `vendor` is a folder name anywhere; `gen/b.tf` a path below any folder.
    assert.deepEqual(candidates(walk(d, { exclude: ['vendor', 'gen/b.tf'] })).map(([rel]) => rel), ['gen/a.tf', 'keep/main.tf', 'old.tf']);
  });

  test('bounded: the walk stops after maxFiles files, and says so', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`f${String(i).padStart(2, '0')}.txt`] = '';
    files['z/main.tf'] = '';
    const d = tree(files);
    const items = walk(d, { maxFiles: 10 });
    assert.deepEqual(items, [{ type: 'capped', scanned: 10 }]);
    assert.deepEqual(candidates(walk(d, { maxFiles: 31 })), [['z/main.tf', 'terraform']]);
  });

  test('a symlink loop ends: links to folders are not followed; links to files count, once per name', () => {
    const d = tree({ 'real/main.tf': '', 'real/datadog.yaml': '' });
    fs.symlinkSync(d, path.join(d, 'real', 'loop')); // real/loop -> the root: following it would never end
    fs.symlinkSync(path.join(d, 'real', 'main.tf'), path.join(d, 'linked.tf'));
    fs.symlinkSync(path.join(d, 'nowhere.tf'), path.join(d, 'dangling.tf'));
    const items = walk(d);
    assert.deepEqual(candidates(items), [
      ['linked.tf', 'terraform'],
      ['real/datadog.yaml', 'agent'],
      ['real/main.tf', 'terraform'],
    ]);
    assert.deepEqual(items.filter((i) => i.type === 'not-regular').map((i) => (i as { rel: string }).rel), ['dangling.tf']);
  });

  test('a FIFO is reported, never opened: the walk only lists and stats', { skip: process.platform === 'win32' ? 'no FIFOs' : false }, () => {
    const d = tree({ 'ok.tf': '' });
    const made = spawnSync('mkfifo', [path.join(d, 'pipe.tf'), path.join(d, 'pipe.yaml')]);
    if (made.status !== 0) return;
    const items = walk(d);
    assert.deepEqual(candidates(items), [['ok.tf', 'terraform']]);
    // A FIFO named like Terraform is said; a YAML one only might have been ours.
    assert.deepEqual(items.filter((i) => i.type === 'not-regular').map((i) => (i as { rel: string }).rel), ['pipe.tf']);
  });

  test('a folder that cannot be listed is reported, and the walk goes on', { skip: process.getuid?.() === 0 ? 'root reads any folder' : false }, () => {
    const d = tree({ 'locked/main.tf': '', 'open/main.tf': '' });
    fs.chmodSync(path.join(d, 'locked'), 0);
    try {
      const items = walk(d);
      assert.deepEqual(candidates(items), [['open/main.tf', 'terraform']]);
      assert.ok(items.some((i) => i.type === 'unreadable' && i.rel === 'locked'));
    } finally {
      fs.chmodSync(path.join(d, 'locked'), 0o755);
    }
  });
});

describe('dd-wif lint FOLDER walks with the discovery module', () => {
  test('a manifest that configures an Agent is checked (agent-env); an unrelated one and package.json are not', async () => {
    const d = tree({ 'k8s/agent.yaml': DAEMONSET, 'k8s/web.yaml': UNRELATED_MANIFEST, 'package.json': '{"name":"x"}', 'datadog.yaml': 'api_key: x\n' });
    const r = await runCli(['lint', d]);
    assert.match(r.stderr, /^2 files checked:/m);
    const json = await runCli(['lint', '--format', 'json', d]);
    assert.ok(jsonFindings(json).every((f) => !f.file.endsWith('web.yaml') && !f.file.endsWith('package.json')));
  });

  test('--exclude leaves a folder out of the walk', async () => {
    const d = tree({ 'keep/datadog.yaml': 'api_key: x\n', 'vendor/datadog.yaml': 'api_key: x\n' });
    assert.match((await runCli(['lint', d])).stderr, /^2 files checked:/m);
    assert.match((await runCli(['lint', '--exclude', 'vendor', d])).stderr, /^1 file checked:/m);
  });

  test('a datadog*.yaml the sniff rejects is still named on stderr as passed over', async () => {
    const d = tree({ 'datadog.prod.yaml': 'api_key: x\n' });
    const r = await runCli(['lint', d]);
    assert.match(r.stderr, /not checked: .*datadog\.prod\.yaml/);
  });
});

describe('dd-wif lint FOLDER judges the folder as one workspace', () => {
  test('service.workspaceFindings gets every file found (agent-env included, with its kind), and its findings are reported on their files', async () => {
    const d = tree({ 'k8s/agent.yaml': DAEMONSET, 'datadog.yaml': 'api_key: x\n', 'README.md': '' });
    // The cross-file rule itself is the service's (agent/role-not-mapped); here, what the host does with its answer.
    const original = LanguageService.prototype.workspaceFindings;
    let seen: { path: string; kind?: string; text: string }[] = [];
    LanguageService.prototype.workspaceFindings = function (docs) {
      seen = docs.map((x) => ({ path: x.path, kind: x.kind, text: x.text }));
      const manifest = docs.find((x) => x.path.endsWith('agent.yaml'));
      const range = { start: { line: 10, character: 12 }, end: { line: 10, character: 18 } };
      return new Map(manifest ? [[manifest.path, [{ code: 'agent/role-not-mapped', severity: 'warning' as const, message: 'cross-file', range }]]] : []);
    };
    try {
      const r = await runCli(['lint', '--format', 'json', d]);
      assert.deepEqual(
        seen.map((x) => [path.relative(d, x.path), x.kind]).sort(),
        [['datadog.yaml', 'agent'], [path.join('k8s', 'agent.yaml'), 'agent-env']],
      );
      assert.equal(seen.find((x) => x.kind === 'agent-env')?.text, DAEMONSET);
      const cross = jsonFindings(r).filter((f) => f.code === 'agent/role-not-mapped');
      assert.deepEqual(cross.map((f) => [f.file, f.range.start.line]), [[path.join(d, 'k8s', 'agent.yaml'), 10]]);
    } finally {
      LanguageService.prototype.workspaceFindings = original;
    }
  });
});
