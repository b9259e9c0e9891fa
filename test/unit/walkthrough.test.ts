// The first run: the walkthrough runs commands that exist, shows images that
// ship, and the Marketplace icon is a 128x128 PNG that ships.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());

/** Whether .vscodeignore (everything out, then `!` lines back in) ships a file: one of its `!` globs covers it. */
function ships(file: string): boolean {
  return ignore.some((line) => {
    if (!line.startsWith('!')) return false;
    const glob = line.slice(1);
    if (glob.endsWith('/**')) return file.startsWith(glob.slice(0, -2));
    const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    return re.test(file);
  });
}

// VS Code's own commands a step may link to (opening or creating the file); everything else must be ours.
const BUILT_IN = new Set(['workbench.action.quickOpen', 'explorer.newFile']);

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string; altText?: string };
  completionEvents?: string[];
}

test('the walkthrough: open a datadog.yaml, pick a profile, Test Login, create a mapping; each step with a command that exists', () => {
  const walkthroughs = manifest.contributes.walkthroughs as { id: string; title: string; steps: Step[] }[];
  assert.equal(walkthroughs.length, 1);
  const steps = walkthroughs[0].steps;
  assert.deepEqual(steps.map((s) => s.id), ['openConfig', 'pickProfile', 'testLogin', 'createMapping']);
  const ours = new Set((manifest.contributes.commands as { command: string }[]).map((c) => c.command));
  const expected: Record<string, string[]> = {
    openConfig: ['workbench.action.quickOpen', 'explorer.newFile'],
    pickProfile: ['datadogWif.selectAwsProfile'],
    testLogin: ['datadogWif.testLoginAgent', 'datadogWif.testLoginTerraform'],
    createMapping: ['datadogWif.setApiKeys', 'datadogWif.createIntakeMapping', 'datadogWif.createIdentityMapping'],
  };
  for (const step of steps) {
    const linked = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
    assert.deepEqual(linked, expected[step.id], step.id);
    const completing = (step.completionEvents ?? []).filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
    for (const id of [...linked, ...completing]) assert.ok(ours.has(id) || BUILT_IN.has(id), `${step.id}: ${id} is not a command of ours`);
    assert.ok(step.completionEvents?.length, `${step.id} has a completion event`);
  }
});

test('the walkthrough\'s images are the README\'s screenshots, and they ship', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  for (const step of manifest.contributes.walkthroughs[0].steps as Step[]) {
    const image = step.media.image;
    assert.ok(image && step.media.altText, `${step.id} has an image with its alt text`);
    assert.ok(fs.existsSync(path.join(root, image)), `${image} exists`);
    assert.ok(readme.includes(`(${image})`), `${image} is a screenshot of the README`);
    assert.ok(ships(image), `${image} ships in the .vsix`);
  }
  assert.ok(!ships('test/unit/walkthrough.test.ts') && ships('resources/icon.png'), 'the .vscodeignore reader');
});

test('the Marketplace icon is a 128x128 PNG that ships', () => {
  assert.equal(manifest.icon, 'resources/icon.png');
  const png = fs.readFileSync(path.join(root, manifest.icon));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  assert.ok(ships(manifest.icon));
});
