// The README's first command (`npm run demo`) must keep working: it lints the
// examples and runs login tests against the bundled emulator. Runs the real
// script, as a newcomer would, and checks what it says.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { TEST_IDENTITIES, EMULATOR_API_KEYS } from '../../emulator/src/index';
import { sharedPhrases } from '../helpers/advice';

const root = path.resolve(__dirname, '..', '..', '..');
const built = existsSync(path.join(root, 'dist', 'cli.js')) && existsSync(path.join(root, 'dist', 'emulator.js'));

test('npm run demo: every step behaves as expected, the logins succeed, and no secret is printed', { skip: built ? false : 'dist/ not built (npm run build)' }, () => {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'demo.mjs')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  const all = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, all);
  assert.match(r.stdout, /every step behaved as expected/);
  assert.match(all, /arn:aws:sts::123456789012:assumed-role\/terraform-runner\/i-0abc1234/, 'whoami names the caller');
  assert.match(all, /Login succeeded[^\n]*token/);
  assert.match(all, /managed API key ending in …[0-9a-f]{4}\b/);
  assert.match(all, /no mapping matches arn:aws:sts::123456789012:assumed-role\/unmapped-role/);
  // Export: each mapping of the emulated org as a resource with its import block.
  assert.match(r.stdout, /import \{\n  to = datadog_aws_wif_identity_mapping\.terraform_runner\n  id = "[0-9a-f-]{36}"\n\}\n\nresource "datadog_aws_wif_identity_mapping" "terraform_runner" \{/);
  assert.match(r.stdout, /resource "datadog_aws_wif_intake_mapping" "terraform_runner" \{\n  arn_pattern = "arn:aws:sts::123456789012:assumed-role\/terraform-runner\/\*"\n\}/);
  // Diff: in step, then each kind of drift.
  assert.match(r.stdout, /In step: 2 mappings declared as in the org\./);
  assert.match(r.stdout, /Only in the org \(1\)[^\n]*\n  intake +[0-9a-f-]{36}  arn:aws:sts::123456789012:assumed-role\/terraform-runner\/\*/);
  assert.match(r.stdout, /Only in code \(1\)[^\n]*\n  examples\/mappings\/drift\/mappings\.yaml:3  intake/);
  assert.match(r.stdout, /the code says deployer@example\.com, the org's [0-9a-f-]{36} acts as terraform@example\.com/);
  // The 403 step says what to do once: the pattern in its next step, and no advice repeated around it.
  // (Only that step writes a next step; the lint steps' summaries are the rest of stderr.)
  assert.equal(all.split('arn:aws:sts::123456789012:assumed-role/unmapped-role/*').length - 1, 1, `the pattern to map is named once:\n${r.stderr}`);
  const next = r.stderr.split('\n').filter((l) => l.startsWith('Next: '));
  assert.equal(next.length, 1, r.stderr);
  assert.deepEqual(sharedPhrases(r.stderr.split('\n').filter((l) => !l.startsWith('Next: ')).join('\n'), next[0]), [], r.stderr);
  for (const id of Object.values(TEST_IDENTITIES)) {
    assert.ok(!all.includes(id.secretAccessKey), `${id.name}'s secret key was printed`);
    if (id.sessionToken) assert.ok(!all.includes(id.sessionToken), `${id.name}'s session token was printed`);
  }
  assert.ok(!all.includes(EMULATOR_API_KEYS.readWrite.apiKey) && !all.includes(EMULATOR_API_KEYS.readWrite.appKey), 'a Datadog key was printed');
  assert.doesNotMatch(all, /eyJ[A-Za-z0-9_-]{10,}\./, 'a JWT was printed');
  assert.doesNotMatch(all, /Delegated [A-Za-z0-9+/=]{20,}/, 'a proof was printed');
});
