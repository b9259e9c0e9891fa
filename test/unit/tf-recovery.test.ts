// Error recovery on hostile input: the shapes that made it superlinear
// (a block header repeated with no closing brace, in a .tf file and in a
// .terraform.lock.hcl; blocks nested deeply; words without a block), and what
// recovery still reads from them. Work is counted (calls into tree-sitter's
// nodes), never timed: linear recovery does about four times the work for
// four times the input, quadratic recovery sixteen times.

import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, type Finding } from '../../server/src/service';
import { loadHclLanguage } from '../../server/src/shared/treeSitter';
import { extractLockModel, extractTerraformModel } from '../../server/src/service/terraform/model';
import type { HclRuntime } from '../../server/src/service/terraform/hcl';
import { countNodeCalls, withTree } from '../helpers/terraform';

let service: LanguageService;
let runtime: HclRuntime;
before(async () => {
  service = new LanguageService();
  runtime = await loadHclLanguage();
  service.setHclRuntime(runtime);
});

function lint(path: string, text: string): Finding[] {
  try {
    return service.lint({ path, text });
  } finally {
    service.forget(path);
  }
}

/** Node calls made by linting `shape(n)`, for n and 4n. */
function work(path: string, shape: (n: number) => string, n: number): [number, number] {
  lint(path, shape(8)); // warm up
  return [countNodeCalls(runtime, () => lint(path, shape(n))).calls, countNodeCalls(runtime, () => lint(path, shape(4 * n))).calls];
}

/** Four times the input: at most six times the work (quadratic work would be sixteen times). */
function assertLinear(path: string, shape: (n: number) => string, n = 400): void {
  const [small, large] = work(path, shape, n);
  assert.ok(small > 0, 'node calls are counted (none would make any ratio pass)');
  assert.ok(large <= 6 * small, `${JSON.stringify(shape(2))}: ${small} node calls for ${n} repeats, ${large} for ${4 * n} (${(large / small).toFixed(1)} times)`);
}

const HOSTILE: [string, string, (n: number) => string][] = [
  ['an unclosed provider block, repeated', '/h/main.tf', (n) => 'provider "x" {\n'.repeat(n)],
  ['an unclosed provider block, repeated, in a lock file', '/h/.terraform.lock.hcl', (n) => 'provider "registry.terraform.io/x/x" {\n'.repeat(n)],
  ['an unclosed Datadog provider with an attribute, repeated', '/h/main.tf', (n) => 'provider "datadog" {\n  org_uuid = "x"\n'.repeat(n)],
  ['an unclosed mapping resource, repeated', '/h/main.tf', (n) => 'resource "datadog_aws_wif_intake_mapping" "m" {\n'.repeat(n)],
  ['an unclosed nested block, repeated', '/h/main.tf', (n) => 'a {\n'.repeat(n)],
  ['a word without a block, repeated', '/h/main.tf', (n) => 'resour\n'.repeat(n)],
  ['an unclosed list, object and interpolation in a block, repeated', '/h/main.tf', (n) => 'provider "datadog" {\n  x = [\n  y = {\n  z = "${\n'.repeat(n)],
  ['an attribute name and "=" with no value, repeated', '/h/main.tf', (n) => 'provider "datadog" {\n' + '  a =\n'.repeat(n)],
];

describe('hostile input: recovery does work linear in the input', () => {
  for (const [what, path, shape] of HOSTILE) test(what, () => assertLinear(path, shape));
});

describe('what recovery still reads from hostile input', () => {
  test('unclosed provider blocks: every one is read, each with its own attributes, and one syntax problem', async () => {
    const text = 'provider "datadog" {\n  org_uuid = "x"\n'.repeat(300);
    await withTree(text, (tree) => {
      const m = extractTerraformModel(tree);
      assert.equal(m.providers.length, 300);
      assert.ok(m.providers.every((p) => p.closeBrace === undefined && p.attributes.length === 1 && p.attributes[0].name === 'org_uuid'));
    });
    assert.equal(lint('/h/main.tf', text).filter((f) => f.code === 'tf/hcl-syntax').length, 1);
  });

  test('a lock file of unclosed blocks: the first Datadog entry is found', async () => {
    const text = 'provider "registry.terraform.io/hashicorp/aws" {\n'.repeat(200) + 'provider "registry.terraform.io/datadog/datadog" {\n  version = "3.20.0"\n' + 'provider "registry.terraform.io/x/y" {\n'.repeat(200);
    await withTree(text, (tree) => {
      const lock = extractLockModel(tree);
      assert.equal(lock.providers.length, 401);
      assert.equal(lock.datadog?.label.value, 'registry.terraform.io/datadog/datadog');
      assert.equal(lock.datadog?.version?.value.kind === 'string' && lock.datadog.version.value.value, '3.20.0');
    });
  });
});
