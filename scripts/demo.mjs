#!/usr/bin/env node
// The README's first command: builds the product if needed and runs its main
// job on the bundled examples, so a newcomer sees what it does in seconds.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');

function step(title) {
  console.log(`\n\x1b[1m${title}\x1b[0m`);
}

function ddWif(args) {
  console.log(`$ dd-wif ${args.join(' ')}`);
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' }).status;
}

if (!existsSync(cli) || process.argv.includes('--rebuild')) {
  step('Building (esbuild)…');
  const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

let ok = true;
step('1. A correct datadog.yaml: no findings, exit code 0');
ok = ddWif(['lint', 'examples/agent/good']) === 0 && ok;

step('2. A datadog.yaml with the usual mistakes: findings, exit code 1');
ok = ddWif(['lint', 'examples/agent/bad']) === 1 && ok;

step('3. A file with another name, checked through --agent-glob, as JSON, failing on warnings');
ok = ddWif(['lint', '--agent-glob', 'agent-*.yaml', '--fail-on', 'warning', '--format', 'json', 'examples/agent/custom-name']) === 1 && ok;

step('4. Terraform: a correct provider setup, then the usual mistakes (each file judged with its folder and lock file)');
ok = ddWif(['lint', 'examples/terraform/good']) === 0 && ok;
ok = ddWif(['lint', 'examples/terraform/bad']) === 1 && ok;

step('5. Login test against the bundled emulator');
console.log('Not in this version yet: `dd-wif login` and the local emulator of Datadog and AWS STS come with the login capability.');

console.log(ok ? '\nDemo finished: every step behaved as expected.' : '\nDemo finished, but a step did not give the expected exit code.');
process.exit(ok ? 0 : 1);
