#!/usr/bin/env node
// The README's first command: builds the product if needed and runs its main
// job on the bundled examples, so a newcomer sees what it does in seconds.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');

function step(title) {
  console.log(`\n\x1b[1m${title}\x1b[0m`);
}

/** Runs dd-wif; `env` adds variables (the emulator's fake credentials) to a clean AWS environment. */
function ddWif(args, env) {
  console.log(`$ dd-wif ${args.join(' ')}`);
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|DD_)/.test(k)));
  const childEnv = env ? { ...base, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', ...env } : process.env;
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit', env: childEnv }).status;
}

/** Starts dist/emulator.js and reads the one JSON line it prints (its URLs, org and fake credentials). */
function startEmulator() {
  const child = spawn(process.execPath, [join(root, 'dist', 'emulator.js')], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('the emulator did not start within 10 s')), 10_000);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the emulator exited (${code}) before it was ready`)));
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      resolve({ info: JSON.parse(buffered.slice(0, nl)), stop: () => child.kill('SIGTERM') });
    });
  });
}

if (!existsSync(cli) || !existsSync(join(root, 'dist', 'emulator.js')) || process.argv.includes('--rebuild')) {
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

step('5. The Agent configured by environment (Kubernetes, Helm values, DatadogAgent, docker-compose, ECS JSON, Terraform ECS): the same agent/* rules');
for (const form of ['kubernetes', 'helm', 'operator', 'compose', 'ecs', 'terraform-ecs']) {
  ok = ddWif(['lint', `examples/agent-env/${form}/good`]) === 0 && ok;
  ok = ddWif(['lint', `examples/agent-env/${form}/bad`]) === 1 && ok;
}

step('6. A folder judged as one workspace: the role a DaemonSet runs as (IRSA) against the intake mappings declared in Terraform');
ok = ddWif(['lint', 'examples/role-not-mapped/good']) === 0 && ok;
ok = ddWif(['lint', '--fail-on', 'warning', 'examples/role-not-mapped/bad']) === 1 && ok;

// 7-11 run against the bundled emulator of AWS STS and the Datadog API (dist/emulator.js): it
// verifies the SigV4 proof for real with fake keys that only it knows, so nothing leaves this machine.
const emulator = await startEmulator();
try {
  const { apiUrl, orgUuid, env: identities, datadogKeys } = emulator.info;
  const host = new URL(apiUrl).host;
  const target = ['--api-url', apiUrl, '--allow-host', host];
  step(`7. Who am I to AWS? (the emulated STS at ${emulator.info.stsUrl}, as the fake role "terraform-runner")`);
  ok = ddWif(['whoami'], identities.mappedRole) === 0 && ok;

  step('8. Login tests: the Terraform flow (a short-lived token) and the Agent flow (the managed API key), exit code 0');
  ok = ddWif(['login', '--flow', 'terraform', '--org-uuid', orgUuid, ...target], identities.mappedRole) === 0 && ok;
  ok = ddWif(['login', '--flow', 'agent', '--org-uuid', orgUuid, ...target], identities.mappedRole) === 0 && ok;
  console.log('\nA role that no mapping matches is refused (403), with the pattern to map it: exit code 1');
  ok = ddWif(['login', '--flow', 'terraform', '--org-uuid', orgUuid, ...target], identities.unmappedRole) === 1 && ok;

  step('9. The identity and intake mappings of the emulated org (DD_API_KEY / DD_APP_KEY from the environment)');
  ok = ddWif(['mappings', 'list', ...target], datadogKeys) === 0 && ok;

  step('10. The org\'s mappings as Terraform: a resource and an import block each, so terraform plan adopts them');
  ok = ddWif(['mappings', 'export', ...target], datadogKeys) === 0 && ok;

  step('11. The org against the code: in step (exit code 0), then out of step (exit code 1: only in the org, only in code, another account)');
  ok = ddWif(['mappings', 'diff', 'examples/mappings/in-step', ...target], datadogKeys) === 0 && ok;
  ok = ddWif(['mappings', 'diff', 'examples/mappings/drift', ...target], datadogKeys) === 1 && ok;
} finally {
  emulator.stop();
}

console.log(ok ? '\nDemo finished: every step behaved as expected.' : '\nDemo finished, but a step did not give the expected exit code.');
process.exit(ok ? 0 : 1);
