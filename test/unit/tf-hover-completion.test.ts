// Hover and completion in Terraform files.

import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService } from '../../server/src/service';
import { loadHclLanguage } from '../../server/src/shared/treeSitter';
import { marked } from '../helpers/markers';

const service = new LanguageService();
before(async () => service.setHclRuntime(await loadHclLanguage()));

test('hover on a cloud-auth attribute: what it does, its environment variables, the minimum version', () => {
  const m = marked('provider "datadog" {\n  «org_‸uuid» = var.org\n  cloud_provider_type = "aws"\n}\n');
  const h = service.hover({ path: '/h/main.tf', text: m.text }, m.cursor!);
  assert.ok(h);
  assert.deepEqual(h.range, m.ranges[0]);
  assert.match(h.contents, /DD_ORG_UUID/);
  assert.match(h.contents, /3\.70\.0 or later/);
});

test('hover on api_key says it is ignored with cloud auth; nothing on an unknown attribute', () => {
  const m = marked('provider "datadog" {\n  api_‸key = var.k\n  other = 1\n}\n');
  assert.match(service.hover({ path: '/h/a.tf', text: m.text }, m.cursor!)!.contents, /Ignored when `cloud_provider_type` is set/);
  assert.equal(service.hover({ path: '/h/a.tf', text: m.text }, { line: 2, character: 3 }), null);
});

test('hover on a mapping resource pattern shows the ARN parts', () => {
  const m = marked('resource "datadog_aws_wif_identity_mapping" "x" {\n  arn_pattern = «"arn:aws:sts::123456789012:assumed-role/de‸ploy/*"»\n}\n');
  const h = service.hover({ path: '/h/m.tf', text: m.text }, m.cursor!);
  assert.deepEqual(h?.range, m.ranges[0]);
  assert.match(h!.contents, /\| role \| `deploy` \|/);
});

test('hover on a pattern in a collection, and on one written with `$${` (literal text, not an interpolation)', () => {
  const m = marked('locals {\n  roles = [{ arn_pattern = «"arn:aws:sts::123456789012:assumed-role/de‸ploy/*"» }]\n}\n');
  const h = service.hover({ path: '/h/l.tf', text: m.text }, m.cursor!);
  assert.deepEqual(h?.range, m.ranges[0]);
  assert.match(h!.contents, /\| role \| `deploy` \|/);
  const e = marked('resource "datadog_aws_wif_intake_mapping" "x" {\n  arn_pattern = «"arn:aws:sts::123456789012:assumed-role/$${‸x}/*"»\n}\n');
  const he = service.hover({ path: '/h/e.tf', text: e.text }, e.cursor!);
  assert.deepEqual(he?.range, e.ranges[0]);
  assert.match(he!.contents, /\| role \| `\$\{x\}` \|/);
  assert.doesNotMatch(he!.contents, /interpolated/);
  const i = marked('resource "datadog_aws_wif_intake_mapping" "x" {\n  arn_pattern = «"arn:aws:sts::123456789012:assumed-role/${‸var.r}/*"»\n}\n');
  assert.match(service.hover({ path: '/h/i.tf', text: i.text }, i.cursor!)!.contents, /interpolated: unknown here/);
});

test('completion inside provider "datadog": attribute names not yet written', () => {
  const m = marked('provider "datadog" {\n  cloud_provider_type = "aws"\n  ‸\n}\nprovider "aws" {\n}\n');
  const labels = service.complete({ path: '/c/main.tf', text: m.text }, m.cursor!).map((i) => i.label);
  assert.ok(labels.includes('org_uuid') && labels.includes('cloud_provider_region'));
  assert.ok(!labels.includes('cloud_provider_type'), 'already there');
});

test('completion of cloud_provider_type and region values', () => {
  const t = marked('provider "datadog" {\n  cloud_provider_type = ‸\n}\n');
  assert.deepEqual(service.complete({ path: '/c/t.tf', text: t.text }, t.cursor!).map((i) => i.insertText), ['"aws"']);
  const r = marked('provider "datadog" {\n  cloud_provider_region = "eu-‸\n}\n');
  const items = service.complete({ path: '/c/r.tf', text: r.text }, r.cursor!);
  assert.ok(items.some((i) => i.insertText === '"eu-west-1"'));
  assert.equal(items[0].range!.start.character, '  cloud_provider_region = '.length, 'replaces the quote and the partial value');
});

test('no completion outside a datadog provider block', () => {
  const m = marked('provider "aws" {\n  ‸\n}\n');
  assert.deepEqual(service.complete({ path: '/c/x.tf', text: m.text }, m.cursor!), []);
});

test('hover on a required_providers version: what the constraint admits against the cloud-auth minimum', () => {
  const at = (constraint: string) => {
    const m = marked(`terraform {\n  required_providers {\n    datadog = { source = "DataDog/datadog", version = «"${constraint.slice(0, 1)}‸${constraint.slice(1)}"» }\n  }\n}\n`);
    const h = service.hover({ path: '/h/versions.tf', text: m.text }, m.cursor!);
    try {
      assert.ok(h, constraint);
      assert.deepEqual(h.range, m.ranges[0]);
      return h.contents;
    } finally {
      service.forget('/h/versions.tf');
    }
  };
  assert.match(at('~> 3.7'), /admits 3\.7\.0, below 3\.70\.0: those versions do not know cloud auth/);
  assert.match(at('>= 3.70.0, < 4.0.0'), /admits only versions 3\.70\.0 or later \(lowest: 3\.70\.0\): cloud auth is available/);
  assert.match(at('< 3.0'), /admits no version 3\.70\.0 or later/);
  assert.match(at('>== 3'), /is not a version constraint Terraform accepts/);
  // On the entry's name too; not on another provider's entry.
  const m = marked('terraform {\n  required_providers {\n    «da‸tadog» = { source = "DataDog/datadog" }\n    aws = { source = "hashicorp/aws", version = "~> 5.0" }\n  }\n}\n');
  const h = service.hover({ path: '/h/v2.tf', text: m.text }, m.cursor!);
  assert.match(h?.contents ?? '', /No version constraint/);
  const aws = m.text.indexOf('~> 5.0');
  const lines = m.text.slice(0, aws).split('\n');
  assert.equal(service.hover({ path: '/h/v2.tf', text: m.text }, { line: lines.length - 1, character: lines[lines.length - 1].length + 1 }), null);
  service.forget('/h/v2.tf');
});
