// The shared corpus of real Terraform files (../shared/corpus/tf/real, listed
// in SOURCES.tsv): each lints through the language service without a throw
// and gets exactly the diagnostics listed here, judged three ways:
//   1. alone: each file its own folder (lock files too);
//   2. with its real folder-mates: the files SOURCES.tsv places in the same
//      repository folder (the `__` prefix alone does not make a folder:
//      learn-terraform-datadog-local's datadog-config/ is not its root);
//   3. in that real folder plus one more file configuring cloud auth: then
//      the version rule judges each required_providers constraint and lock
//      pin of the corpus, which is where real files would go wrong.
// None of the corpus uses cloud auth, so 1 and 2 must be clean but for real
// syntax errors: no false positive on ordinary provider blocks.
// Skips when ../shared is absent.

import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { LanguageService, type Finding, type SourceDocument } from '../../server/src/service';
import { loadHclLanguage } from '../../server/src/shared/treeSitter';
import { assertWellFormed } from '../helpers/corpus';
import { applyEdits } from '../helpers/markers';
import { NO_TF_CORPUS_MESSAGE, TF_CORPUS_DIR, readTfCorpus, tfCorpusNames } from '../helpers/terraform';

const skip = TF_CORPUS_DIR ? false : NO_TF_CORPUS_MESSAGE;

/** `[code, severity, 1-based line]`. */
type Brief = [string, string, number];

// ---------------------------------------------------------------------------
// What each file legitimately gets.

/** Alone and with its real folder-mates (no cloud auth anywhere): every file but one is clean. */
const PLAIN: Record<string, { findings: Brief[]; why: string }> = {
  '727wag+aws-terraform-datadog-sre__providers.tf': { findings: [], why: 'mixed-case source Datadog/datadog, no version' },
  'Apostolos-Daniel+terraform-datadog__.terraform.lock.hcl': { findings: [], why: 'pins 3.30.0, but nothing in its folder uses cloud auth' },
  'Apostolos-Daniel+terraform-datadog__main.tf': { findings: [], why: 'api_url = var.datadog_api_url: an expression is never judged' },
  'ArerepadeBenagha+elite-hashicorp-vault__vault__config.tf': { findings: [], why: 'alias + configuration_aliases, two terraform blocks: unusual, not a WIF mistake' },
  'DataDog+terraform-intro__datadog.tf': {
    // Terraform 0.11 syntax: `silenced { "*" = 0 }` is a block whose body has a
    // quoted attribute name, which HCL2 does not allow (an attribute name is an
    // identifier; `terraform validate` on 0.12+ refuses this file too). One
    // mistake, one finding, on the `"*"` (line 26); not the grammar's cascade
    // on the valid `{` (25) and `}` (29). The provider block above it
    // (`"${var.datadog_api_key}"`) is fine.
    findings: [['tf/hcl-syntax', 'error', 26]],
    why: 'genuinely invalid HCL2 (0.11-style `silenced { "*" = 0 }`)',
  },
  'DataDog+terraform-provider-datadog__datadog__tests__providers.tf': { findings: [], why: 'required_providers only' },
  'DataDog+terraform-provider-datadog__examples__provider__provider.tf': { findings: [], why: 'the official provider example' },
  'DataDog+terraform-provider-datadog__examples__resources__datadog_aws_wif_identity_mapping__resource.tf': {
    findings: [],
    why: 'interpolated account in arn_pattern (never arn/invalid-account), account_identifier an expression',
  },
  'DataDog+terraform-provider-datadog__examples__resources__datadog_aws_wif_intake_mapping__resource.tf': { findings: [], why: 'interpolated account; the comments show Agent YAML, not HCL' },
  'DataDog+terraform-provider-datadog__examples__resources__datadog_aws_wif_persona_mapping__resource.tf': { findings: [], why: 'the older persona name, same pattern' },
  'IaKoval+TerraformTask1.4__Datadog-Terraform__provider.tf': {
    findings: [],
    why: 'api_url https://app.datadoghq.eu: SOURCES.tsv calls it a mistake (app. for api.), but the rule deliberately accepts app.<site> (that host serves the API too); masked keys are not cloud auth',
  },
  'JasTandon+terraform-datadog-observability__examples__basic__main.tf': { findings: [], why: 'one-line empty provider block; >= 3.30.0 without cloud auth is fine' },
  'Kacperek0+cdv-devops__Monitoring__applications__iaas_nginx__provider.tf': { findings: [], why: 'EU api_url, exact pin 3.23.0 without cloud auth' },
  'Kacperek0+cdv-devops__Monitoring__modules__monitor__main.tf': { findings: [], why: 'mustache {{#is_alert}} and ${} in a message string' },
  'andriyskyy+babystep2git__datadog__terraform.tf': { findings: [], why: '~> 2.16.0 without cloud auth' },
  'aronday+observability-as-code__tf-providers.tf': { findings: [], why: 'keys from jsondecode(...), validate = false, 3-space indent' },
  'aronday+observability-as-code__tf-versions.tf': { findings: [], why: 'exact pin 3.18.0 without cloud auth; no final newline' },
  'bjd2385+datadog_dashboard_export__.terraform.lock.hcl': { findings: [], why: 'pins 3.12.0 without cloud auth' },
  'bjd2385+datadog_dashboard_export__terraform.tf': { findings: [], why: 'exact pin, no final newline' },
  'chrisleffler+mypublicrepo__terraform__datadog__child_orgs__child_org_config.tf': { findings: [], why: 'keys from module outputs, validate=false, interpolated api_url' },
  'chrisleffler+mypublicrepo__terraform__datadog__child_orgs__modules__create_child__create_child.tf': { findings: [], why: 'interpolated api_url' },
  'chrisleffler+mypublicrepo__terraform__datadog__estimated_usage__providers.tf': { findings: [], why: 'api_url from a var interpolation' },
  'chrisleffler+mypublicrepo__terraform__datadog__logs__providers.tf': { findings: [], why: 'GovCloud api_url is a known host' },
  'chrisleffler+mypublicrepo__terraform__datadog__synthetics__providers.tf': { findings: [], why: 'a commented-out api_url is not judged' },
  'cloudintegrator+datadog-terraform__provider.tf': { findings: [], why: 'US5 api_url with trailing slash, validate = false, ~> 3.39 without cloud auth' },
  'cloudposse+terraform-datadog-platform__examples__child_organization__providers.tf': { findings: [], why: 'validate = false' },
  'cloudposse+terraform-datadog-platform__examples__complete__providers.tf': { findings: [], why: 'empty provider block (keys from the environment)' },
  'cloudposse+terraform-datadog-platform__versions.tf': { findings: [], why: '>= 4.0.0' },
  'cloudposse-terraform-components+aws-datadog-child-organization__src__provider-datadog.tf': { findings: [], why: 'everything from module outputs; validate = local.enabled' },
  'cloudposse-terraform-components+aws-datadog-child-organization__src__versions.tf': { findings: [], why: '>= 3.3.0 with a comment, no cloud auth' },
  'geekeren+terraform-datadog-demos__main.tf': { findings: [], why: 'legacy "${var.x}" interpolation' },
  'gofireflyio+saas-gitops__terraform__provider.tf': { findings: [], why: 'keys from variables' },
  'hashicorp+learn-terraform-datadog-local__.terraform.lock.hcl': { findings: [], why: 'pins 3.20.0 without cloud auth' },
  'hashicorp+learn-terraform-datadog-local__datadog-config__datadog_metrics.tf': { findings: [], why: 'keys from variables, monitor_thresholds' },
  'hashicorp+learn-terraform-datadog-local__terraform.tf': { findings: [], why: '~> 3.20.0 beside aws/helm/kubernetes/tfe, no cloud auth' },
  'hashicorp+learn-terraform-datadog__terraform.tf': { findings: [], why: 'lowercase source, ~> 2.22.0, no cloud auth' },
  'hazelops+terraform-datadog-monitoring__modules__apm__provider.tf': { findings: [], why: 'a provider in a child module: an anti-pattern, not a WIF mistake' },
  'hetvi-sanghavi+datadog-terraform__provider.tf': { findings: [], why: 'EU api_url with trailing slash, no final newline' },
  'jmastio+terraform-datadog-poc__terraform__modules__datadog__main.tf': { findings: [], why: 'datadog_integration_aws role_name is not an arn_pattern' },
  'osinfra-io+terraform-datadog-google-integration__tests__fixtures__default__main.tf': { findings: [], why: 'api_key = "mock" literal without cloud auth is not this extension\'s business' },
  'uktrade+platform-tools__terraform__datadog__main.tf': { findings: [], why: 'provider = datadog.ddog; heredoc YAML' },
  'uktrade+platform-tools__terraform__datadog__providers.tf': { findings: [], why: 'configuration_aliases = [datadog.ddog]' },
  'uktrade+platform-tools__terraform__extensions__providers.tf': { findings: [], why: 'alias ddog, EU api_url, pin 4.15.0, aws assume_role with interpolation' },
  'vitorfprado+poc-terraform-datadog__root-module__providers.tf': { findings: [], why: 'US5 api_url, exact pin 3.88.0, s3 backend' },
};

/**
 * In its real folder plus a file that configures cloud auth: every Datadog
 * constraint or pin that admits versions below 3.70.0 is reported. Files not
 * listed stay as in PLAIN.
 */
const WITH_CLOUD_AUTH: Record<string, Brief[]> = {
  'Apostolos-Daniel+terraform-datadog__.terraform.lock.hcl': [['tf/provider-version-too-old', 'error', 5]], // pins 3.30.0
  'JasTandon+terraform-datadog-observability__examples__basic__main.tf': [['tf/provider-version-too-old', 'warning', 6]], // >= 3.30.0 admits 3.30.0…3.69.x
  'Kacperek0+cdv-devops__Monitoring__applications__iaas_nginx__provider.tf': [['tf/provider-version-too-old', 'error', 5]], // 3.23.0
  'Kacperek0+cdv-devops__Monitoring__modules__monitor__main.tf': [['tf/provider-version-too-old', 'error', 5]], // 3.23.0
  'andriyskyy+babystep2git__datadog__terraform.tf': [['tf/provider-version-too-old', 'error', 5]], // ~> 2.16.0
  'aronday+observability-as-code__tf-versions.tf': [['tf/provider-version-too-old', 'error', 27]], // 3.18.0
  'bjd2385+datadog_dashboard_export__.terraform.lock.hcl': [['tf/provider-version-too-old', 'error', 5]], // pins 3.12.0
  'bjd2385+datadog_dashboard_export__terraform.tf': [['tf/provider-version-too-old', 'error', 5]], // 3.12.0
  'cloudintegrator+datadog-terraform__provider.tf': [['tf/provider-version-too-old', 'warning', 5]], // ~> 3.39 admits 3.39.0…
  'cloudposse-terraform-components+aws-datadog-child-organization__src__versions.tf': [['tf/provider-version-too-old', 'warning', 13]], // >= 3.3.0
  'hashicorp+learn-terraform-datadog-local__.terraform.lock.hcl': [['tf/provider-version-too-old', 'error', 5]], // pins 3.20.0
  'hashicorp+learn-terraform-datadog-local__terraform.tf': [['tf/provider-version-too-old', 'error', 5]], // ~> 3.20.0
  'hashicorp+learn-terraform-datadog__terraform.tf': [['tf/provider-version-too-old', 'error', 5]], // ~> 2.22.0 (the trap: not "2.22 or later")
  // Fine with cloud auth: cloudposse >= 4.0.0, vitorfprado 3.88.0, uktrade 4.15.0, and every file with no constraint.
};

const CLOUD_AUTH_FILE = 'provider "datadog" {\n  alias               = "wif"\n  cloud_provider_type = "aws"\n  org_uuid            = var.datadog_org_uuid\n}\n';

// ---------------------------------------------------------------------------

interface CorpusDoc {
  name: string;
  repo: string;
  /** The path in its repository. */
  repoPath: string;
  /** A virtual path that keeps the real base name (so `.terraform.lock.hcl` is classified as one) and the real folder. */
  path: string;
  folder: string;
  text: string;
}

function loadCorpus(): CorpusDoc[] {
  if (!TF_CORPUS_DIR) return [];
  const rows = fs.readFileSync(path.join(TF_CORPUS_DIR, 'SOURCES.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = rows.shift()!.split('\t');
  const col = (name: string) => header.indexOf(name);
  const sources = new Map(rows.map((r) => r.split('\t')).map((c) => [c[col('file')], { repo: c[col('repo')], repoPath: c[col('path')] }]));
  return tfCorpusNames().map((name) => {
    const src = sources.get(name);
    assert.ok(src, `${name} is not listed in SOURCES.tsv`);
    const folder = path.posix.join('/corpus', src.repo, path.posix.dirname(src.repoPath));
    return { name, ...src, folder, path: path.posix.join(folder, path.posix.basename(src.repoPath)), text: readTfCorpus(name) };
  });
}

const corpus = loadCorpus();
let service: LanguageService;
const timings: { name: string; ms: number }[] = [];

before(async () => {
  service = new LanguageService();
  service.setHclRuntime(await loadHclLanguage());
});

function lint(doc: CorpusDoc, folder: readonly SourceDocument[], label: string): Finding[] {
  const started = performance.now();
  let found: Finding[];
  try {
    found = service.lint({ path: doc.path, text: doc.text }, folder);
  } finally {
    service.forget(doc.path);
    for (const d of folder) service.forget(d.path);
  }
  timings.push({ name: `${label} ${doc.name}`, ms: performance.now() - started });
  assertWellFormed(found, doc.text, `${label} ${doc.name}`);
  return found;
}

const brief = (found: Finding[]): Brief[] => found.map((f) => [f.code, f.severity, f.range.start.line + 1]);
const mates = (doc: CorpusDoc): SourceDocument[] => corpus.filter((d) => d.folder === doc.folder && d !== doc).map((d) => ({ path: d.path, text: d.text }));

describe('the real Terraform corpus', { skip }, () => {
  test('every corpus file has an expectation, and every expectation a file', () => {
    assert.deepEqual(corpus.map((d) => d.name).sort(), Object.keys(PLAIN).sort());
    for (const name of Object.keys(WITH_CLOUD_AUTH)) assert.ok(name in PLAIN, name);
    // The lock files are recognised by name, as the service would see them on disk.
    for (const d of corpus) assert.equal(service.kindOf(d), d.name.endsWith('.lock.hcl') ? 'terraform-lock' : 'terraform', d.name);
  });

  test('real folders: only files that share a repository folder are folder-mates', () => {
    const groups = new Map<string, string[]>();
    for (const d of corpus) groups.set(d.folder, [...(groups.get(d.folder) ?? []), d.name]);
    const shared = [...groups.values()].filter((g) => g.length > 1).map((g) => g.sort());
    assert.deepEqual(shared.sort(), [
      ['Apostolos-Daniel+terraform-datadog__.terraform.lock.hcl', 'Apostolos-Daniel+terraform-datadog__main.tf'],
      ['aronday+observability-as-code__tf-providers.tf', 'aronday+observability-as-code__tf-versions.tf'],
      ['bjd2385+datadog_dashboard_export__.terraform.lock.hcl', 'bjd2385+datadog_dashboard_export__terraform.tf'],
      ['cloudposse-terraform-components+aws-datadog-child-organization__src__provider-datadog.tf', 'cloudposse-terraform-components+aws-datadog-child-organization__src__versions.tf'],
      ['hashicorp+learn-terraform-datadog-local__.terraform.lock.hcl', 'hashicorp+learn-terraform-datadog-local__terraform.tf'],
      ['uktrade+platform-tools__terraform__datadog__main.tf', 'uktrade+platform-tools__terraform__datadog__providers.tf'],
    ]);
  });

  test('alone (each file its own folder, lock files too): exactly the listed findings', () => {
    for (const d of corpus) assert.deepEqual(brief(lint(d, [], 'alone')), PLAIN[d.name].findings, `${d.name}: ${PLAIN[d.name].why}`);
  });

  test('with its real folder-mates: the same (no file of the corpus uses cloud auth)', () => {
    for (const d of corpus) assert.deepEqual(brief(lint(d, mates(d), 'folder')), PLAIN[d.name].findings, `${d.name}: ${PLAIN[d.name].why}`);
  });

  test('with cloud auth configured in the folder: the version rule judges every real constraint and lock pin', () => {
    const extra = { path: '', text: CLOUD_AUTH_FILE };
    for (const d of corpus) {
      const cloud = { ...extra, path: path.posix.join(d.folder, 'zz_cloud_auth.tf') };
      const expected = [...PLAIN[d.name].findings, ...(WITH_CLOUD_AUTH[d.name] ?? [])].sort((a, b) => a[2] - b[2]);
      const found = lint(d, [...mates(d), cloud], 'cloud');
      assert.deepEqual(brief(found), expected, d.name);
      // Every version finding offers the raise (not the lock file: its fix is `terraform init -upgrade`).
      for (const f of found.filter((x) => x.code === 'tf/provider-version-too-old' && !d.name.endsWith('.lock.hcl'))) {
        assert.match(f.data?.fixes?.[0]?.title ?? '', /^Raise the constraint to "/, d.name);
      }
    }
  });

  test('the raise fixes of the corpus constraints, applied, leave nothing to report', () => {
    for (const d of corpus.filter((x) => x.name in WITH_CLOUD_AUTH && !x.name.endsWith('.lock.hcl'))) {
      const cloud = { path: path.posix.join(d.folder, 'zz_cloud_auth.tf'), text: CLOUD_AUTH_FILE };
      const f = lint(d, [cloud], 'fix').find((x) => x.code === 'tf/provider-version-too-old')!;
      const edits = f.data!.fixes![0].edits;
      const raised = { ...d, text: applyEdits(d.text, edits) };
      assert.deepEqual(brief(lint(raised, [cloud], 'fixed')).filter((b) => b[0] === 'tf/provider-version-too-old'), [], `${d.name}: ${edits[0].newText}`);
    }
  });

  test('timings (reported)', (t) => {
    timings.sort((a, b) => b.ms - a.ms);
    const total = timings.reduce((sum, x) => sum + x.ms, 0);
    t.diagnostic(`${timings.length} lints in ${total.toFixed(1)} ms (mean ${(total / timings.length).toFixed(2)} ms); slowest: ${timings.slice(0, 3).map((x) => `${x.name} ${x.ms.toFixed(1)} ms`).join(', ')}`);
  });
});
