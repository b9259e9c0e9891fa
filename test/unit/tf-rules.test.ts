// Every tf/* rule of RULES.md, and the arn/* rules on the WIF mapping
// resources: a case that fires (exact code, severity and range), a near miss
// that does not, and each quick fix's resulting text. Also: several aliased
// provider blocks, expressions never judged as literals, heredocs, both
// comment styles, suppression comments, the E/W splits, folder-wide judgement
// of the version rule (required_providers in one file, the provider block in
// another, the lock file), and overlaps between mappings of one file.
//
// One LanguageService serves the whole file; every lint forgets its documents
// afterwards so no tree-sitter tree (wasm memory) outlives its test.

import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, RULES, type Finding, type Range, type SourceDocument } from '../../server/src/service';
import { loadHclLanguage } from '../../server/src/shared/treeSitter';
import { applyEdits, marked, yaml as hcl } from '../helpers/markers';

const MAIN = '/proj/main.tf';
const VERSIONS = '/proj/versions.tf';
const LOCK = '/proj/.terraform.lock.hcl';
const UUID = '11111111-2222-3333-4444-555555555555';
const API_KEY = '0123456789abcdef0123456789abcdef';
const APP_KEY = '0123456789abcdef0123456789abcdef01234567';
const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

let service: LanguageService;
before(async () => {
  service = new LanguageService();
  service.setHclRuntime(await loadHclLanguage());
});

type Folder = readonly SourceDocument[];

/** Findings of `text` (at `path`) judged with its folder; every tree is freed afterwards. */
function lint(text: string, folder: Folder = [], path = MAIN): Finding[] {
  try {
    return service.lint({ path, text }, folder);
  } finally {
    service.forget(path);
    for (const d of folder) service.forget(d.path);
  }
}

/** [code, severity, range] of the findings with `code`. */
function hits(text: string, code: string, folder: Folder = [], path = MAIN): [string, string, Range][] {
  return lint(text, folder, path)
    .filter((f) => f.code === code)
    .map((f) => [f.code, f.severity, f.range]);
}

function codes(text: string, folder: Folder = [], path = MAIN): string[] {
  return lint(text, folder, path).map((f) => f.code);
}

function fixesAt(text: string, range: Range, code: string, folder: Folder = [], path = MAIN) {
  try {
    return service.quickFixes({ path, text }, range, [code], folder);
  } finally {
    service.forget(path);
    for (const d of folder) service.forget(d.path);
  }
}

/** The text after applying the one quick fix for `code` at `range`. */
function fixed(text: string, range: Range, code: string, folder: Folder = [], path = MAIN): string {
  const fixes = fixesAt(text, range, code, folder, path);
  assert.equal(fixes.length, 1, `expected one ${code} fix, got: ${fixes.map((f) => f.fix.title).join(' | ') || 'none'}`);
  return applyEdits(text, fixes[0].fix.edits);
}

const provider = (...lines: string[]) => `provider "datadog" {\n${lines.map((l) => `  ${l}\n`).join('')}}\n`;

test('every tf/* code of the catalog is covered by this file', () => {
  const covered = [
    'tf/hcl-syntax', 'tf/cloud-provider-type-invalid', 'tf/org-uuid-missing', 'tf/org-uuid-invalid', 'tf/secret-in-org-uuid',
    'tf/cloud-auth-with-keys', 'tf/hardcoded-aws-credential', 'tf/aws-credentials-incomplete', 'tf/cloud-provider-region-invalid',
    'tf/provider-version-too-old', 'tf/unknown-api-url', 'tf/account-identifier-invalid',
  ];
  assert.deepEqual(RULES.filter((r) => r.code.startsWith('tf/')).map((r) => r.code).sort(), [...covered].sort());
});

describe('tf/hcl-syntax', () => {
  test('a value missing after "=" is an error there, and the provider rules still run on what parsed', () => {
    const m = marked(hcl`
      provider "datadog" {
        cloud_provider_type = «"gcp"»
        org_uuid            = «"x"»
      }
      resource "datadog_monitor" "m" {
        «name =»
      }
    `);
    assert.deepEqual(hits(m.text, 'tf/hcl-syntax'), [['tf/hcl-syntax', 'error', m.ranges[2]]]);
    assert.match(lint(m.text).find((f) => f.code === 'tf/hcl-syntax')!.message, /^HCL syntax: Expected a value after "="/);
    assert.deepEqual(hits(m.text, 'tf/cloud-provider-type-invalid'), [['tf/cloud-provider-type-invalid', 'error', m.ranges[0]]]);
    assert.deepEqual(hits(m.text, 'tf/org-uuid-invalid'), [['tf/org-uuid-invalid', 'error', m.ranges[1]]]);
  });

  test('a block whose "}" is missing at the end of the file: a zero-width error at the end; the block is still judged', () => {
    const m = marked('provider "datadog" {\n  cloud_provider_type = «"gcp"»\n«»');
    assert.deepEqual(hits(m.text, 'tf/hcl-syntax'), [['tf/hcl-syntax', 'error', m.ranges[1]]]);
    assert.match(lint(m.text).find((f) => f.code === 'tf/hcl-syntax')!.message, /Missing "}"/);
    assert.deepEqual(hits(m.text, 'tf/cloud-provider-type-invalid'), [['tf/cloud-provider-type-invalid', 'error', m.ranges[0]]]);
  });

  test('a quoted argument name (Terraform 0.11\'s `silenced { "*" = 0 }`): one finding, on the name; the blocks around it are judged', () => {
    const m = marked(hcl`
      resource "datadog_monitor" "m" {
        silenced {
          «"*"» = 0
        }
      }
      provider "datadog" {
        cloud_provider_type = «"gcp"»
      }
    `);
    const found = lint(m.text);
    assert.deepEqual(hits(m.text, 'tf/hcl-syntax'), [['tf/hcl-syntax', 'error', m.ranges[0]]]);
    assert.equal(found.find((f) => f.code === 'tf/hcl-syntax')!.message, 'HCL syntax: Invalid argument name: argument names must not be quoted');
    assert.deepEqual(hits(m.text, 'tf/cloud-provider-type-invalid'), [['tf/cloud-provider-type-invalid', 'error', m.ranges[1]]]);
  });

  test('a number with an exponent (`5e6`, `2E+2`, `-1e3`) is no syntax error, and the next line is still read', () => {
    const m = marked(hcl`
      resource "datadog_monitor" "m" {
        threshold = 5e6
        warning   = 2E+2
        delta     = -1e3
      }
      provider "datadog" {
        org_uuid = «"x"»
      }
    `);
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.range]), [['tf/org-uuid-invalid', m.ranges[0]]]);
  });

  test('near miss: valid HCL with heredocs, templates, for expressions and every comment style has no syntax finding', () => {
    const text = hcl`
      # hash comment
      // slash comment
      /* block
         comment */
      locals {
        names = [for s in var.list : "\${s}-x" if s != ""]
        doc   = <<-EOT
          Text with \${var.env} and %{ if var.on }on%{ endif }.
        EOT
      }
      provider "datadog" { # trailing
        api_key = var.k // trailing
      }
    `;
    assert.deepEqual(codes(text), []);
  });
});

describe('tf/cloud-provider-type-invalid', () => {
  test('a literal other than "aws" is an error on the value; the fix writes "aws"', () => {
    const m = marked(hcl`
      provider "datadog" {
        cloud_provider_type = «"gcp"»
        org_uuid            = "${UUID}"
      }
    `);
    assert.deepEqual(hits(m.text, 'tf/cloud-provider-type-invalid'), [['tf/cloud-provider-type-invalid', 'error', m.ranges[0]]]);
    assert.equal(fixed(m.text, m.ranges[0], 'tf/cloud-provider-type-invalid'), m.text.replace('"gcp"', '"aws"'));
    // The empty string is a literal other than "aws" too; the fix fills it.
    const e = marked(provider('cloud_provider_type = «""»', `org_uuid = "${UUID}"`));
    assert.deepEqual(hits(e.text, 'tf/cloud-provider-type-invalid'), [['tf/cloud-provider-type-invalid', 'error', e.ranges[0]]]);
    assert.equal(fixed(e.text, e.ranges[0], 'tf/cloud-provider-type-invalid'), e.text.replace('""', '"aws"'));
  });

  test('the case matters ("AWS" is refused by the provider), and the message names the value', () => {
    const m = marked(provider('cloud_provider_type = «"AWS"»', `org_uuid = "${UUID}"`));
    const [f] = lint(m.text);
    assert.equal(f.code, 'tf/cloud-provider-type-invalid');
    assert.deepEqual(f.range, m.ranges[0]);
    assert.match(f.message, /not "AWS"/);
  });

  test('a heredoc is a literal too: `<<EOT` aws `EOT` is "aws\\n", which the provider refuses; no fix inside a heredoc', () => {
    const m = marked(`provider "datadog" {\n  cloud_provider_type = «<<EOT\naws\nEOT»\n  org_uuid = var.o\n}\n`);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), [['tf/cloud-provider-type-invalid', 'error', m.ranges[0]]]);
    assert.equal(found[0].data?.fixes, undefined);
  });

  test('near miss: "aws", and any expression (var, local, call, conditional, template) is not judged', () => {
    for (const value of ['"aws"', 'var.cloud', 'local.cloud', 'lower("AWS")', 'var.on ? "aws" : "gcp"', '"${var.cloud}"', 'data.x.y.type', '(var.c)']) {
      assert.deepEqual(codes(provider(`cloud_provider_type = ${value}`, `org_uuid = "${UUID}"`)), [], value);
    }
  });
});

describe('tf/org-uuid-missing', () => {
  test('cloud auth without org_uuid: a warning on `cloud_provider_type`; the fix inserts the variable with the attribute\'s indentation', () => {
    const m = marked(hcl`
      provider "datadog" {
        «cloud_provider_type» = "aws"
        cloud_provider_region = "us-east-1"
      }
    `);
    assert.deepEqual(hits(m.text, 'tf/org-uuid-missing'), [['tf/org-uuid-missing', 'warning', m.ranges[0]]]);
    assert.equal(
      fixed(m.text, m.ranges[0], 'tf/org-uuid-missing'),
      hcl`
        provider "datadog" {
          cloud_provider_type = "aws"
          org_uuid = var.datadog_org_uuid
          cloud_provider_region = "us-east-1"
        }
      `,
    );
  });

  test('the inserted line follows the indentation: four spaces, a tab, CRLF line ends', () => {
    const four = 'provider "datadog" {\n    cloud_provider_type = "aws"\n}\n';
    assert.equal(fixed(four, lint(four)[0].range, 'tf/org-uuid-missing'), 'provider "datadog" {\n    cloud_provider_type = "aws"\n    org_uuid = var.datadog_org_uuid\n}\n');
    const tab = 'provider "datadog" {\n\tcloud_provider_type = "aws"\n}\n';
    assert.equal(fixed(tab, lint(tab)[0].range, 'tf/org-uuid-missing'), 'provider "datadog" {\n\tcloud_provider_type = "aws"\n\torg_uuid = var.datadog_org_uuid\n}\n');
    const crlf = 'provider "datadog" {\r\n  cloud_provider_type = "aws"\r\n}\r\n';
    assert.equal(fixed(crlf, lint(crlf)[0].range, 'tf/org-uuid-missing'), 'provider "datadog" {\r\n  cloud_provider_type = "aws"\r\n  org_uuid = var.datadog_org_uuid\r\n}\r\n');
  });

  test('after a value spanning lines (a heredoc), the line goes after its closing marker', () => {
    const text = hcl`
      provider "datadog" {
        cloud_provider_type = <<EOT
      aws
      EOT
      }
    `;
    const f = lint(text).find((x) => x.code === 'tf/org-uuid-missing')!;
    assert.equal(fixed(text, f.range, 'tf/org-uuid-missing'), 'provider "datadog" {\n  cloud_provider_type = <<EOT\naws\nEOT\n  org_uuid = var.datadog_org_uuid\n}\n');
  });

  test('a one-line block is opened onto several lines, so org_uuid lands inside the block', () => {
    const m = marked('provider "datadog" { «cloud_provider_type» = "aws" }\n');
    assert.deepEqual(hits(m.text, 'tf/org-uuid-missing'), [['tf/org-uuid-missing', 'warning', m.ranges[0]]]);
    const out = fixed(m.text, m.ranges[0], 'tf/org-uuid-missing');
    assert.equal(out, 'provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid = var.datadog_org_uuid\n}\n');
    assert.deepEqual(codes(out), [], 'the result parses and has org_uuid');
    // An indented one-liner keeps its indentation; a `}` after the attribute on its last line too.
    const indented = '  provider "datadog" {cloud_provider_type = "aws"}\n';
    assert.equal(fixed(indented, lint(indented)[0].range, 'tf/org-uuid-missing'), '  provider "datadog" {\n    cloud_provider_type = "aws"\n    org_uuid = var.datadog_org_uuid\n  }\n');
    // A byte order mark before the block is not indentation (found by the fuzzer: it was copied onto every new line).
    const bom = '\uFEFFprovider "datadog" { cloud_provider_type = "aws" }\n';
    assert.equal(fixed(bom, lint(bom)[0].range, 'tf/org-uuid-missing'), '\uFEFFprovider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid = var.datadog_org_uuid\n}\n');
  });

  test('several provider blocks with `alias`: each is judged alone, and the message names the alias', () => {
    const m = marked(hcl`
      provider "datadog" {
        cloud_provider_type = "aws"
        org_uuid            = var.org
      }
      provider "datadog" {
        alias               = "eu"
        «cloud_provider_type» = "aws"
      }
      provider "datadog" {
        alias   = "keys"
        api_key = var.k
      }
    `);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.range]), [['tf/org-uuid-missing', m.ranges[0]]]);
    assert.match(found[0].message, /provider "datadog" \(alias "eu"\)/);
    assert.equal(
      fixed(m.text, m.ranges[0], 'tf/org-uuid-missing'),
      m.text.replace('  cloud_provider_type = "aws"\n}\nprovider "datadog" {\n  alias   = "keys"', '  cloud_provider_type = "aws"\n  org_uuid = var.datadog_org_uuid\n}\nprovider "datadog" {\n  alias   = "keys"'),
    );
  });

  test('`validate = false` silences it, as a bool or as the string the provider schema declares', () => {
    for (const v of ['false', '"false"']) assert.deepEqual(codes(provider('cloud_provider_type = "aws"', `validate = ${v}`)), [], v);
    for (const v of ['true', '"true"', 'var.validate']) assert.deepEqual(codes(provider('cloud_provider_type = "aws"', `validate = ${v}`)), ['tf/org-uuid-missing'], v);
  });

  test('near miss: org_uuid given (literal or expression), or no cloud_provider_type at all', () => {
    assert.deepEqual(codes(provider('cloud_provider_type = "aws"', `org_uuid = "${UUID}"`)), []);
    assert.deepEqual(codes(provider('cloud_provider_type = "aws"', 'org_uuid = var.datadog_org_uuid')), []);
    assert.deepEqual(codes(provider('cloud_provider_type = "aws"', 'org_uuid = data.vault_generic_secret.dd.data["org"]')), []);
    assert.deepEqual(codes(provider('api_key = var.k', 'app_key = var.a')), []);
    // A provider of another name is not the Datadog provider.
    assert.deepEqual(codes('provider "aws" {\n  cloud_provider_type = "aws"\n}\n'), []);
  });

  test('a commented-out org_uuid does not count, with any comment style', () => {
    for (const c of [`# org_uuid = "${UUID}"`, `// org_uuid = "${UUID}"`, `/* org_uuid = "${UUID}" */`]) {
      assert.deepEqual(codes(provider('cloud_provider_type = "aws"', c)), ['tf/org-uuid-missing'], c);
    }
  });
});

describe('tf/org-uuid-invalid', () => {
  test('a literal that is not a UUID is an error on the value, naming it', () => {
    const m = marked(provider('cloud_provider_type = "aws"', 'org_uuid = «"not-a-uuid"»'));
    assert.deepEqual(hits(m.text, 'tf/org-uuid-invalid'), [['tf/org-uuid-invalid', 'error', m.ranges[0]]]);
    assert.match(lint(m.text)[0].message, /not "not-a-uuid"/);
    // Judged also without cloud auth (a wrong value is wrong wherever it is).
    assert.deepEqual(codes(provider('org_uuid = "1234"')), ['tf/org-uuid-invalid']);
  });

  test('a heredoc value is its text with the final line break, which is not a UUID', () => {
    const m = marked(`provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid = «<<EOT\n${UUID}\nEOT»\n}\n`);
    assert.deepEqual(hits(m.text, 'tf/org-uuid-invalid'), [['tf/org-uuid-invalid', 'error', m.ranges[0]]]);
  });

  test('near miss: a UUID in any case, an expression, a template', () => {
    for (const v of [`"${UUID}"`, `"${UUID.toUpperCase().replace(/1/g, 'A')}"`, 'var.org', '"${var.org}"', 'trimspace(var.org)']) {
      assert.deepEqual(codes(provider('cloud_provider_type = "aws"', `org_uuid = ${v}`)), [], v);
    }
  });
});

describe('tf/secret-in-org-uuid', () => {
  test('an API key (32 hex) or an application key (40 hex) in org_uuid: an error that never repeats the key', () => {
    for (const [key, kind] of [[API_KEY, 'API key'], [APP_KEY, 'application key']] as const) {
      const m = marked(provider('cloud_provider_type = "aws"', `org_uuid = «"${key}"»`));
      const found = lint(m.text);
      assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), [['tf/secret-in-org-uuid', 'error', m.ranges[0]]], 'reported once, not also as org-uuid-invalid');
      assert.ok(found[0].message.includes(kind), found[0].message);
      assert.ok(!found[0].message.includes(key), 'the key is not in the message');
    }
  });

  test('near miss: 31 or 33 hex digits are merely not a UUID', () => {
    assert.deepEqual(codes(provider(`org_uuid = "${API_KEY.slice(1)}"`)), ['tf/org-uuid-invalid']);
    assert.deepEqual(codes(provider(`org_uuid = "${API_KEY}a"`)), ['tf/org-uuid-invalid']);
  });
});

describe('tf/cloud-auth-with-keys', () => {
  test('api_key and app_key beside cloud_provider_type: a warning on each name; each fix removes its line', () => {
    const m = marked(hcl`
      provider "datadog" {
        cloud_provider_type = "aws"
        org_uuid            = var.org
        «api_key»             = var.datadog_api_key # from the vault
        «app_key»             = var.datadog_app_key
        api_url             = "https://api.datadoghq.eu/"
      }
    `);
    assert.deepEqual(hits(m.text, 'tf/cloud-auth-with-keys'), [
      ['tf/cloud-auth-with-keys', 'warning', m.ranges[0]],
      ['tf/cloud-auth-with-keys', 'warning', m.ranges[1]],
    ]);
    assert.equal(fixed(m.text, m.ranges[0], 'tf/cloud-auth-with-keys'), m.text.replace('  api_key             = var.datadog_api_key # from the vault\n', ''));
    const withoutBoth = fixed(fixed(m.text, m.ranges[1], 'tf/cloud-auth-with-keys'), m.ranges[0], 'tf/cloud-auth-with-keys');
    assert.equal(withoutBoth, hcl`
      provider "datadog" {
        cloud_provider_type = "aws"
        org_uuid            = var.org
        api_url             = "https://api.datadoghq.eu/"
      }
    `);
    assert.deepEqual(codes(withoutBoth), []);
  });

  test('a key written as a heredoc is removed with all its lines', () => {
    const text = 'provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid = var.org\n  api_key = <<EOT\nsecret\nEOT\n}\n';
    const f = lint(text).find((x) => x.code === 'tf/cloud-auth-with-keys')!;
    assert.equal(fixed(text, f.range, 'tf/cloud-auth-with-keys'), 'provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid = var.org\n}\n');
  });

  test('near miss: keys without cloud auth are the usual configuration', () => {
    assert.deepEqual(codes(provider('api_key = var.k', 'app_key = var.a', 'validate = false')), []);
  });
});

describe('tf/hardcoded-aws-credential', () => {
  test('each credential written as a literal: an error on the value; the fix uses `var.<name>`; the message never shows it', () => {
    const m = marked(hcl`
      provider "datadog" {
        cloud_provider_type   = "aws"
        org_uuid              = var.org
        aws_access_key_id     = «"${ACCESS_KEY_ID}"»
        aws_secret_access_key = «"${SECRET_ACCESS_KEY}"»
        aws_session_token     = «"FwoGZXIvYXdzEBYaDHb2session"»
      }
    `);
    const found = lint(m.text).filter((f) => f.code === 'tf/hardcoded-aws-credential');
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), m.ranges.map((r) => ['tf/hardcoded-aws-credential', 'error', r]));
    for (const f of found) {
      for (const secret of [ACCESS_KEY_ID, SECRET_ACCESS_KEY, 'FwoGZXIvYXdzEBYaDHb2session']) assert.ok(!f.message.includes(secret), `the message shows a secret: ${f.message}`);
      assert.ok(!JSON.stringify(f.data?.fixes).includes(ACCESS_KEY_ID.slice(4)), 'nor the fix');
    }
    let out = m.text;
    for (const r of [...m.ranges].reverse()) out = fixed(out, r, 'tf/hardcoded-aws-credential');
    assert.equal(out, hcl`
      provider "datadog" {
        cloud_provider_type   = "aws"
        org_uuid              = var.org
        aws_access_key_id     = var.aws_access_key_id
        aws_secret_access_key = var.aws_secret_access_key
        aws_session_token     = var.aws_session_token
      }
    `);
    assert.deepEqual(codes(out), []);
  });

  test('a literal heredoc is a hard-coded credential too; the fix replaces it whole', () => {
    const m = marked(`provider "datadog" {\n  aws_access_key_id = «<<EOT\n${ACCESS_KEY_ID}\nEOT»\n  aws_secret_access_key = var.secret\n}\n`);
    assert.deepEqual(hits(m.text, 'tf/hardcoded-aws-credential'), [['tf/hardcoded-aws-credential', 'error', m.ranges[0]]]);
    assert.equal(fixed(m.text, m.ranges[0], 'tf/hardcoded-aws-credential'), 'provider "datadog" {\n  aws_access_key_id = var.aws_access_key_id\n  aws_secret_access_key = var.secret\n}\n');
  });

  test('near miss: variables, locals, function calls, conditionals, templates and templated heredocs', () => {
    for (const v of ['var.key', 'local.key', 'file("key.txt")', 'var.ci ? var.a : var.b', '"${var.key}"', 'data.aws_ssm_parameter.k.value', '<<EOT\n${var.key}\nEOT']) {
      assert.deepEqual(codes(provider(`aws_access_key_id = ${v}`, 'aws_secret_access_key = var.s')), [], v);
    }
  });
});

describe('tf/aws-credentials-incomplete', () => {
  test('an access key id without its secret, and the reverse: an error on the name', () => {
    const a = marked(provider('«aws_access_key_id» = var.id'));
    assert.deepEqual(hits(a.text, 'tf/aws-credentials-incomplete'), [['tf/aws-credentials-incomplete', 'error', a.ranges[0]]]);
    const b = marked(provider('«aws_secret_access_key» = var.secret', 'aws_session_token = var.t'));
    assert.deepEqual(hits(b.text, 'tf/aws-credentials-incomplete'), [['tf/aws-credentials-incomplete', 'error', b.ranges[0]]]);
    assert.match(lint(b.text)[0].message, /`aws_secret_access_key` without `aws_access_key_id`/);
  });

  test('near miss: both, or neither (the environment), or a session token alone', () => {
    assert.deepEqual(codes(provider('aws_access_key_id = var.id', 'aws_secret_access_key = var.secret')), []);
    assert.deepEqual(codes(provider('api_key = var.k')), []);
    assert.deepEqual(codes(provider('aws_session_token = var.t')), []);
  });
});

describe('tf/cloud-provider-region-invalid', () => {
  test('well-formed but unknown: a warning; the fix is the closest known region', () => {
    const m = marked(provider('cloud_provider_type = "aws"', 'org_uuid = var.o', 'cloud_provider_region = «"us-esat-1"»'));
    assert.deepEqual(hits(m.text, 'tf/cloud-provider-region-invalid'), [['tf/cloud-provider-region-invalid', 'warning', m.ranges[0]]]);
    assert.equal(fixed(m.text, m.ranges[0], 'tf/cloud-provider-region-invalid'), m.text.replace('us-esat-1', 'us-east-1'));
    const eu = marked(provider('cloud_provider_region = «"eu-west-9"»'));
    assert.deepEqual(hits(eu.text, 'tf/cloud-provider-region-invalid'), [['tf/cloud-provider-region-invalid', 'warning', eu.ranges[0]]]);
    assert.equal(fixed(eu.text, eu.ranges[0], 'tf/cloud-provider-region-invalid'), eu.text.replace('eu-west-9', 'eu-west-1'));
  });

  test('malformed: an error, with the closest known region as the fix', () => {
    for (const [bad, good] of [['useast1', 'us-east-1'], ['US-EAST-1', 'us-east-1'], ['eu_west_1', 'eu-west-1']]) {
      const m = marked(provider(`cloud_provider_region = «"${bad}"»`));
      assert.deepEqual(hits(m.text, 'tf/cloud-provider-region-invalid'), [['tf/cloud-provider-region-invalid', 'error', m.ranges[0]]], bad);
      assert.equal(fixed(m.text, m.ranges[0], 'tf/cloud-provider-region-invalid'), m.text.replace(bad, good), bad);
    }
  });

  test('a region of another partition: a warning that says so, without a fix', () => {
    const m = marked(provider('cloud_provider_region = «"us-gov-west-1"»'));
    const [f] = lint(m.text);
    assert.deepEqual([f.code, f.severity, f.range], ['tf/cloud-provider-region-invalid', 'warning', m.ranges[0]]);
    assert.match(f.message, /another AWS partition/);
    assert.equal(f.data?.fixes, undefined);
  });

  test('near miss: a known region, the empty string (global STS), an expression', () => {
    for (const v of ['"us-east-1"', '"ap-southeast-7"', '""', 'var.region', '"${var.region}"', 'data.aws_region.current.name']) {
      assert.deepEqual(codes(provider(`cloud_provider_region = ${v}`)), [], v);
    }
  });
});

describe('tf/provider-version-too-old', () => {
  const CLOUD = provider('cloud_provider_type = "aws"', 'org_uuid = var.org');
  const requiring = (constraint: string) => `terraform {\n  required_providers {\n    datadog = {\n      source  = "DataDog/datadog"\n      version = «"${constraint}"»\n    }\n  }\n}\n`;

  test('admits some versions below 3.70.0: a warning; `~> 3.7` is raised to `>= 3.70.0, < 4.0.0`', () => {
    const m = marked(requiring('~> 3.7') + CLOUD);
    assert.deepEqual(hits(m.text, 'tf/provider-version-too-old'), [['tf/provider-version-too-old', 'warning', m.ranges[0]]]);
    assert.match(lint(m.text)[0].message, /e\.g\. 3\.7\.0/);
    assert.equal(fixed(m.text, m.ranges[0], 'tf/provider-version-too-old'), m.text.replace('"~> 3.7"', '">= 3.70.0, < 4.0.0"'));
  });

  test('admits nothing at or above 3.70.0: an error; the fix raises the floor', () => {
    for (const [c, raised] of [['~> 3.69.0', '>= 3.70.0'], ['3.18.0', '>= 3.70.0'], ['~> 2.22.0', '>= 3.70.0'], ['< 3.70', '>= 3.70.0'], ['~> 3.7.0', '>= 3.70.0'], ['= 3.70.0-beta1', '>= 3.70.0']]) {
      const m = marked(requiring(c) + CLOUD);
      assert.deepEqual(hits(m.text, 'tf/provider-version-too-old'), [['tf/provider-version-too-old', 'error', m.ranges[0]]], c);
      assert.equal(fixed(m.text, m.ranges[0], 'tf/provider-version-too-old'), m.text.replace(`"${c}"`, `"${raised}"`), c);
    }
  });

  test('other warnings and their fixes: an open floor, `~> 3`, a `>` just below, `!=` kept', () => {
    for (const [c, raised] of [['>= 3.0', '>= 3.70.0'], ['~> 3', '>= 3.70.0, < 4.0.0'], ['> 3.69', '>= 3.70.0'], ['>= 3.0, < 5, != 4.1.0', '>= 3.70.0, < 5, != 4.1.0'], ['!= 3.70.0', '>= 3.70.1']]) {
      const m = marked(requiring(c) + CLOUD);
      assert.deepEqual(hits(m.text, 'tf/provider-version-too-old'), [['tf/provider-version-too-old', 'warning', m.ranges[0]]], c);
      assert.equal(fixed(m.text, m.ranges[0], 'tf/provider-version-too-old'), m.text.replace(`"${c}"`, `"${raised}"`), c);
    }
  });

  test('`~>` traps that are fine: ~> 3.70, ~> 3.70.0, ~> 3.100, ~> 4.0, ~> 4, >= 3.70, exact 3.88.0', () => {
    for (const c of ['~> 3.70', '~> 3.70.0', '~> 3.100', '~> 4.0', '~> 4', '>= 3.70', '3.88.0', '>= 3.70.0, < 4.0.0', '> 3.69.99, >= 3.70']) {
      assert.deepEqual(codes(marked(requiring(c) + CLOUD).text), [], c);
    }
  });

  test('the pre-0.13 string form `datadog = "~> 2.0"` is judged too', () => {
    const m = marked(`terraform {\n  required_providers {\n    datadog = «"~> 2.0"»\n  }\n}\n${CLOUD}`);
    assert.deepEqual(hits(m.text, 'tf/provider-version-too-old'), [['tf/provider-version-too-old', 'error', m.ranges[0]]]);
  });

  test('the source in any casing and registry host, under another local name', () => {
    for (const source of ['datadog/datadog', 'DATADOG/DATADOG', 'registry.terraform.io/DataDog/datadog', 'registry.opentofu.org/datadog/Datadog']) {
      const m = marked(`terraform {\n  required_providers {\n    dd = {\n      source  = "${source}"\n      version = «"~> 3.7"»\n    }\n  }\n}\nprovider "dd" {\n  cloud_provider_type = "aws"\n  org_uuid = var.o\n}\n`);
      assert.deepEqual(hits(m.text, 'tf/provider-version-too-old'), [['tf/provider-version-too-old', 'warning', m.ranges[0]]], source);
    }
  });

  test('near miss: another provider with an old constraint; no cloud auth anywhere; an expression; a malformed constraint', () => {
    assert.deepEqual(codes(`terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 1.0"\n    }\n  }\n}\n${CLOUD}`), []);
    assert.deepEqual(codes(marked(requiring('~> 2.22.0')).text + provider('api_key = var.k')), []);
    assert.deepEqual(codes(`terraform {\n  required_providers {\n    datadog = {\n      source  = "DataDog/datadog"\n      version = var.v\n    }\n  }\n}\n${CLOUD}`), []);
    assert.deepEqual(codes(marked(requiring('>= 3.70 < 4')).text + CLOUD), [], 'not a constraint Terraform reads: not this rule');
  });

  describe('judged with the folder: required_providers in versions.tf, the provider block in main.tf', () => {
    const versions = marked(requiring('~> 3.7'));
    const main = CLOUD;

    test('fires in versions.tf only when main.tf with cloud auth is a folder document', () => {
      assert.deepEqual(hits(versions.text, 'tf/provider-version-too-old', [{ path: MAIN, text: main }], VERSIONS), [['tf/provider-version-too-old', 'warning', versions.ranges[0]]]);
      assert.deepEqual(codes(versions.text, [], VERSIONS), [], 'alone: no cloud auth in sight');
      assert.deepEqual(codes(versions.text, [{ path: MAIN, text: provider('api_key = var.k') }], VERSIONS), [], 'a folder without cloud auth');
      // main.tf itself has no constraint to report.
      assert.deepEqual(codes(main, [{ path: VERSIONS, text: versions.text }]), []);
    });

    test('the fix is offered with the folder too', () => {
      assert.equal(fixed(versions.text, versions.ranges[0], 'tf/provider-version-too-old', [{ path: MAIN, text: main }], VERSIONS), versions.text.replace('"~> 3.7"', '">= 3.70.0, < 4.0.0"'));
    });

    test('a folder document of another kind (not .tf) is not part of the folder', () => {
      assert.deepEqual(codes(versions.text, [{ path: '/proj/notes.txt', text: main }], VERSIONS), []);
    });

    test('cloud auth in an aliased provider block counts as well', () => {
      const aliased = provider('alias = "wif"', 'cloud_provider_type = "aws"', 'org_uuid = var.o');
      assert.deepEqual(codes(versions.text, [{ path: MAIN, text: aliased }], VERSIONS), ['tf/provider-version-too-old']);
    });
  });

  describe('.terraform.lock.hcl', () => {
    const lock = (address: string, version: string) => `# This file is maintained automatically by "terraform init".\n\nprovider "${address}" {\n  version     = «"${version}"»\n  constraints = "~> 3.0"\n  hashes = [\n    "h1:abc=",\n  ]\n}\n`;

    test('pins a version below 3.70.0 while the folder uses cloud auth: an error on the version', () => {
      const m = marked(lock('registry.terraform.io/datadog/datadog', '3.69.1'));
      assert.deepEqual(hits(m.text, 'tf/provider-version-too-old', [{ path: MAIN, text: CLOUD }], LOCK), [['tf/provider-version-too-old', 'error', m.ranges[0]]]);
      assert.match(lint(m.text, [{ path: MAIN, text: CLOUD }], LOCK)[0].message, /pins the Datadog provider at 3\.69\.1/);
    });

    test('the source in any casing; a prerelease of 3.70.0 is below it', () => {
      for (const [address, version] of [['registry.terraform.io/DataDog/datadog', '3.20.0'], ['REGISTRY.TERRAFORM.IO/DATADOG/DATADOG', '3.12.0'], ['registry.opentofu.org/Datadog/Datadog', '3.70.0-beta1']]) {
        const m = marked(lock(address, version));
        assert.deepEqual(hits(m.text, 'tf/provider-version-too-old', [{ path: MAIN, text: CLOUD }], LOCK), [['tf/provider-version-too-old', 'error', m.ranges[0]]], address);
      }
    });

    test('near miss: no cloud auth in the folder; 3.70.0 or later; another provider pinned low', () => {
      assert.deepEqual(codes(marked(lock('registry.terraform.io/datadog/datadog', '3.20.0')).text, [], LOCK), []);
      assert.deepEqual(codes(marked(lock('registry.terraform.io/datadog/datadog', '3.20.0')).text, [{ path: MAIN, text: provider('api_key = var.k') }], LOCK), []);
      for (const v of ['3.70.0', '3.88.0', '4.15.0']) assert.deepEqual(codes(marked(lock('registry.terraform.io/datadog/datadog', v)).text, [{ path: MAIN, text: CLOUD }], LOCK), [], v);
      assert.deepEqual(codes(marked(lock('registry.terraform.io/hashicorp/aws', '1.0.0')).text, [{ path: MAIN, text: CLOUD }], LOCK), []);
    });

    test('the lock file, versions.tf and main.tf judged together, each from its own point of view', () => {
      const l = marked(lock('registry.terraform.io/datadog/datadog', '3.30.0'));
      const v = marked(requiring('~> 3.7'));
      const folder = [
        { path: MAIN, text: CLOUD },
        { path: VERSIONS, text: v.text },
        { path: LOCK, text: l.text },
      ];
      assert.deepEqual(hits(l.text, 'tf/provider-version-too-old', folder, LOCK), [['tf/provider-version-too-old', 'error', l.ranges[0]]]);
      assert.deepEqual(hits(v.text, 'tf/provider-version-too-old', folder, VERSIONS), [['tf/provider-version-too-old', 'warning', v.ranges[0]]]);
      assert.deepEqual(codes(CLOUD, folder, MAIN), []);
    });
  });
});

describe('tf/unknown-api-url', () => {
  test('a literal whose host is not a Datadog API host: a warning on the value', () => {
    const m = marked(provider('api_url = «"https://api.datadoghq.example.com/"»'));
    assert.deepEqual(hits(m.text, 'tf/unknown-api-url'), [['tf/unknown-api-url', 'warning', m.ranges[0]]]);
    assert.deepEqual(codes(provider('api_url = "https://api.datadohq.com"')), ['tf/unknown-api-url'], 'a typo');
  });

  test('near miss: every real site host, with or without scheme and trailing slash; expressions; templates', () => {
    for (const v of ['"https://api.datadoghq.com"', '"https://api.datadoghq.eu/"', '"https://api.us5.datadoghq.com/"', '"https://api.ddog-gov.com/"', '"api.us3.datadoghq.com"', '"https://api.ap1.datadoghq.com"', 'var.api_url', '"https://api.${var.site}/"', '""']) {
      assert.deepEqual(codes(provider(`api_url = ${v}`)), [], v);
    }
  });
});

describe('tf/account-identifier-invalid', () => {
  test('on an identity or persona mapping, a literal that is neither email, UUID nor handle: an error on the value', () => {
    for (const type of ['datadog_aws_wif_identity_mapping', 'datadog_aws_wif_persona_mapping']) {
      const m = marked(`resource "${type}" "r" {\n  account_identifier = «"bad id!"»\n  arn_pattern        = "arn:aws:sts::123456789012:assumed-role/ci/*"\n}\n`);
      assert.deepEqual(hits(m.text, 'tf/account-identifier-invalid'), [['tf/account-identifier-invalid', 'error', m.ranges[0]]], type);
    }
    const empty = marked('resource "datadog_aws_wif_identity_mapping" "r" {\n  account_identifier = «""»\n}\n');
    assert.deepEqual(hits(empty.text, 'tf/account-identifier-invalid'), [['tf/account-identifier-invalid', 'error', empty.ranges[0]]]);
  });

  test('near miss: an email, a UUID, a handle, an expression', () => {
    for (const v of ['"terraform@example.com"', `"${UUID}"`, '"svc.terraform-runner_1"', 'datadog_service_account.terraform.id', '"${var.user}@example.com"']) {
      assert.deepEqual(codes(`resource "datadog_aws_wif_identity_mapping" "r" {\n  account_identifier = ${v}\n  arn_pattern = "arn:aws:sts::123456789012:assumed-role/ci/*"\n}\n`), [], v);
    }
  });
});

describe('expressions are never judged as literals', () => {
  test('every judged attribute of the provider, given as var/local/call/conditional/template/index: no finding', () => {
    const forms = ['var.x', 'local.x', 'lookup(var.m, "k", "d")', 'var.a == "" ? null : var.a', '"${var.x}"', 'var.m["k"]', '(local.x)', 'module.m.out[0]'];
    for (const form of forms) {
      const text = provider(
        `cloud_provider_type = ${form}`,
        `org_uuid = ${form}`,
        `cloud_provider_region = ${form}`,
        `api_url = ${form}`,
        `aws_access_key_id = ${form}`,
        `aws_secret_access_key = ${form}`,
        `aws_session_token = ${form}`,
      );
      assert.deepEqual(codes(text), [], form);
    }
  });
});

describe('comments', () => {
  test('a provider block inside a block comment or behind line comments is not judged', () => {
    const text = hcl`
      /*
      provider "datadog" {
        cloud_provider_type = "gcp"
      }
      */
      # provider "datadog" { cloud_provider_type = "gcp" }
      // provider "datadog" { cloud_provider_type = "gcp" }
    `;
    assert.deepEqual(codes(text), []);
  });

  test('trailing comments of either style leave the value\'s range alone', () => {
    const m = marked(hcl`
      provider "datadog" {
        cloud_provider_type = «"gcp"» # hash
        org_uuid = «"nope"» // slash
        cloud_provider_region = «"us-esat-1"» /* block */
      }
    `);
    assert.deepEqual(lint(m.text).map((f) => f.range), m.ranges);
  });
});

describe('suppression comments', () => {
  const body = (line: string, above = '') => `provider "datadog" {\n${above ? `  ${above}\n` : ''}  ${line}\n  org_uuid = var.o\n}\n`;

  test('`# datadog-wif-ignore <code>` and `// datadog-wif-ignore <code>` on the line itself', () => {
    assert.deepEqual(codes(body('cloud_provider_type = "gcp"')), ['tf/cloud-provider-type-invalid']);
    assert.deepEqual(codes(body('cloud_provider_type = "gcp" # datadog-wif-ignore tf/cloud-provider-type-invalid')), []);
    assert.deepEqual(codes(body('cloud_provider_type = "gcp" // datadog-wif-ignore tf/cloud-provider-type-invalid')), []);
  });

  test('on the line above, either style; without codes it silences every code of the line', () => {
    assert.deepEqual(codes(body('cloud_provider_type = "gcp"', '# datadog-wif-ignore tf/cloud-provider-type-invalid')), []);
    assert.deepEqual(codes(body('cloud_provider_type = "gcp"', '// datadog-wif-ignore')), []);
    assert.deepEqual(codes(body('cloud_provider_type = "gcp"', '# datadog-wif-ignore tf/*')), []);
  });

  test('near miss: another code, a misspelt code, or two lines above silence nothing', () => {
    assert.deepEqual(codes(body('cloud_provider_type = "gcp" # datadog-wif-ignore tf/org-uuid-invalid')), ['tf/cloud-provider-type-invalid']);
    assert.deepEqual(codes(body('cloud_provider_type = "gcp" // datadog-wif-ignore tf/cloud-provider-typo')), ['tf/cloud-provider-type-invalid']);
    const twoAbove = 'provider "datadog" {\n  # datadog-wif-ignore\n  alias = "x"\n  cloud_provider_type = "gcp"\n  org_uuid = var.o\n}\n';
    assert.deepEqual(codes(twoAbove), ['tf/cloud-provider-type-invalid']);
  });

  test('only the codes named are silenced on a line that has several findings', () => {
    const text = body('cloud_provider_type = "gcp"', '# datadog-wif-ignore tf/cloud-provider-type-invalid').replace('  org_uuid = var.o\n', '');
    assert.deepEqual(codes(text), ['tf/org-uuid-missing']);
  });

  test('an arn/* finding inside a mapping resource, and a lock-file finding, are silenced the same way', () => {
    const mapping = 'resource "datadog_aws_wif_intake_mapping" "a" {\n  arn_pattern = "arn:aws:sts::12345:assumed-role/x/*" // datadog-wif-ignore arn/invalid-account\n}\n';
    assert.deepEqual(codes(mapping), []);
    assert.deepEqual(codes(mapping.replace(/ \/\/.*/, '')), ['arn/invalid-account']);
    const cloud = [{ path: MAIN, text: provider('cloud_provider_type = "aws"', 'org_uuid = var.o') }];
    const lock = 'provider "registry.terraform.io/datadog/datadog" {\n  # datadog-wif-ignore tf/provider-version-too-old\n  version = "3.1.0"\n}\n';
    assert.deepEqual(codes(lock, cloud, LOCK), []);
    assert.deepEqual(codes(lock.replace(/ {2}#.*\n/, ''), cloud, LOCK), ['tf/provider-version-too-old']);
  });
});

// ---------------------------------------------------------------------------
// Mapping resources

const mapping = (type: string, name: string, pattern: string, extra = '') => `resource "${type}" "${name}" {\n${extra ? `  ${extra}\n` : ''}  arn_pattern = ${pattern}\n}\n`;
const INTAKE = 'datadog_aws_wif_intake_mapping';
const IDENTITY = 'datadog_aws_wif_identity_mapping';
const PERSONA = 'datadog_aws_wif_persona_mapping';

describe('arn/* on arn_pattern of the mapping resources', () => {
  test('findings are placed on the exact characters inside the string, for each resource type', () => {
    for (const type of [INTAKE, IDENTITY, PERSONA]) {
      const extra = type === INTAKE ? '' : 'account_identifier = "a@example.com"';
      const m = marked(mapping(type, 'r', '"arn:aws:sts::«12345»:assumed-role/ci/*"', extra));
      assert.deepEqual(lint(m.text).map((f) => [f.code, f.severity, f.range]), [['arn/invalid-account', 'error', m.ranges[0]]], type);
    }
    const m = marked(mapping(INTAKE, 'r', '"arn:«aws-cn»:sts:«us-east-1»:123456789012:assumed-role/ci/*"'));
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.range]), [['arn/unsupported-partition', m.ranges[0]], ['arn/region-not-empty', m.ranges[1]]]);
  });

  test('an interpolated account is unknown: no arn/invalid-account, while the literal parts are still judged', () => {
    const ok = mapping(INTAKE, 'a', '"arn:aws:sts::${data.aws_caller_identity.current.account_id}:assumed-role/DatadogAgentRole/*"');
    assert.deepEqual(codes(ok), []);
    const m = marked(mapping(INTAKE, 'a', '"arn:aws:sts::${data.aws_caller_identity.current.account_id}:assumed-role/«my-role»"'));
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.severity, f.range]), [['arn/missing-session', 'warning', m.ranges[0]]]);
    assert.equal(fixed(m.text, m.ranges[0], 'arn/missing-session'), m.text.replace('my-role"', 'my-role/*"'));
    const p = marked(mapping(INTAKE, 'a', '"arn:«aws-cn»:sts::${var.account}:assumed-role/ci/*"'));
    assert.deepEqual(lint(p.text).map((f) => [f.code, f.range]), [['arn/unsupported-partition', p.ranges[0]]]);
    // Literal text beside the interpolation in the account is judged, the interpolation never.
    const a = marked(mapping(INTAKE, 'a', '"arn:aws:sts::${var.a}«x»:assumed-role/ci/*"'));
    assert.deepEqual(lint(a.text).map((f) => [f.code, f.range]), [['arn/invalid-account', a.ranges[0]]]);
    assert.deepEqual(codes(mapping(INTAKE, 'a', '"arn:aws:sts::${var.a}1:assumed-role/ci/*"')), [], 'digits beside it may complete an account');
  });

  test('white space outside an interpolation is found; inside one it is part of the expression', () => {
    const m = marked(mapping(INTAKE, 'a', '"arn:aws:sts::${var.account}:assumed-role/my« »role/*"'));
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.range]), [['arn/whitespace', m.ranges[0]]]);
    assert.equal(fixed(m.text, m.ranges[0], 'arn/whitespace'), m.text.replace('my role', 'myrole'));
    assert.deepEqual(codes(mapping(INTAKE, 'a', '"arn:aws:sts::${ var.account }:assumed-role/ci/*"')), []);
  });

  test('a pure expression, a directive: not judged', () => {
    // (`"${var.pattern}"` is `var.pattern` written the old way; `"${local.prefix}:assumed-role/x/*"` may start with anything.)
    for (const v of ['var.pattern', '"${var.pattern}"', '"${local.prefix}:assumed-role/x/*"', 'local.patterns["ci"]', 'format("arn:aws:sts::%s:role/x", var.a)', 'var.on ? "x" : "y"', '"arn:aws:sts::123456789012:assumed-role/%{ if var.ci }ci%{ else }dev%{ endif }/*"']) {
      assert.deepEqual(codes(mapping(INTAKE, 'a', v)), [], v);
    }
  });

  test('an escape in the string: findings land on the characters as written, and a fix writes the string anew', () => {
    const m = marked(mapping(INTAKE, 'a', '"arn:aws:sts::«12345»:assumed-role/\\u0041bc/*"'));
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.range]), [['arn/invalid-account', m.ranges[0]]]);
    const s = marked(mapping(INTAKE, 'a', '"arn:aws:sts::123456789012:assumed-role/«\\u0041bc»"'));
    assert.deepEqual(lint(s.text).map((f) => [f.code, f.range]), [['arn/missing-session', s.ranges[0]]]);
    assert.equal(fixed(s.text, s.ranges[0], 'arn/missing-session'), s.text.replace('\\u0041bc"', 'Abc/*"'));
  });

  test('an IAM role ARN: the fix writes the assumed-role pattern, path dropped, interpolated account kept', () => {
    const m = marked(mapping(IDENTITY, 'r', '"arn:aws:«iam::123456789012:role/path/to/deploy»"', 'account_identifier = "a@example.com"'));
    assert.deepEqual(hits(m.text, 'arn/iam-role-arn'), [['arn/iam-role-arn', 'error', m.ranges[0]]]);
    assert.deepEqual(codes(m.text), ['arn/iam-role-arn'], 'not also arn/wrong-service');
    assert.equal(fixed(m.text, m.ranges[0], 'arn/iam-role-arn'), m.text.replace('arn:aws:iam::123456789012:role/path/to/deploy', 'arn:aws:sts::123456789012:assumed-role/deploy/*'));
    const t = marked(mapping(INTAKE, 'a', '"arn:aws:«iam::${var.acct}:role/agent»"'));
    assert.deepEqual(hits(t.text, 'arn/iam-role-arn'), [['arn/iam-role-arn', 'error', t.ranges[0]]]);
    const out = fixed(t.text, t.ranges[0], 'arn/iam-role-arn');
    assert.equal(out, t.text.replace('arn:aws:iam::${var.acct}:role/agent', 'arn:aws:sts::${var.acct}:assumed-role/agent/*'));
    assert.deepEqual(codes(out), []);
  });

  test('the other fixes apply inside the string: remove the region, replace a partial wildcard', () => {
    const r = marked(mapping(INTAKE, 'a', '"arn:aws:sts:«eu-west-1»:123456789012:assumed-role/ci/*"'));
    assert.equal(fixed(r.text, r.ranges[0], 'arn/region-not-empty'), r.text.replace('sts:eu-west-1:', 'sts::'));
    const w = marked(mapping(INTAKE, 'a', '"arn:aws:sts::123456789012:assumed-role/ci/«run-*»"'));
    assert.deepEqual(hits(w.text, 'arn/partial-wildcard'), [['arn/partial-wildcard', 'error', w.ranges[0]]]);
    assert.equal(fixed(w.text, w.ranges[0], 'arn/partial-wildcard'), w.text.replace('run-*', '*'));
  });

  test('near miss: the official examples\' patterns, and resources that are not WIF mappings', () => {
    assert.deepEqual(codes(mapping(IDENTITY, 'r', '"arn:aws:sts::${data.aws_caller_identity.current.account_id}:assumed-role/terraform-runner/*"', 'account_identifier = datadog_service_account.terraform.id')), []);
    assert.deepEqual(codes(mapping('datadog_integration_aws', 'x', '"not an arn"')), []);
    assert.deepEqual(codes('data "datadog_aws_wif_intake_mapping" "x" {\n  arn_pattern = "nope"\n}\n'), []);
  });
});

describe('arn/* on patterns written as heredocs and with `$${`', () => {
  test('a heredoc: its final line break is part of the value Terraform sends, so arn/whitespace on the heredoc, fixed by a quoted string', () => {
    const m = marked(`resource "${INTAKE}" "a" {\n  arn_pattern = «<<EOT\narn:aws:sts::123456789012:assumed-role/ci/*\nEOT»\n}\n`);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), [['arn/whitespace', 'error', m.ranges[0]]]);
    assert.match(found[0].message, /heredoc ends with a line break/);
    const out = fixed(m.text, m.ranges[0], 'arn/whitespace');
    assert.equal(out, `resource "${INTAKE}" "a" {\n  arn_pattern = "arn:aws:sts::123456789012:assumed-role/ci/*"\n}\n`);
    assert.deepEqual(codes(out), []);
    // `<<-`: the indentation is not part of the value; the fix drops it too.
    const d = marked(`resource "${INTAKE}" "a" {\n  arn_pattern = «<<-EOT\n    arn:aws:sts::123456789012:assumed-role/ci/*\n  EOT»\n}\n`);
    assert.deepEqual(hits(d.text, 'arn/whitespace'), [['arn/whitespace', 'error', d.ranges[0]]]);
    assert.match(fixed(d.text, d.ranges[0], 'arn/whitespace'), /arn_pattern = "arn:aws:sts::123456789012:assumed-role\/ci\/\*"\n/);
  });

  test('a heredoc: the other rules judge its text, findings on the characters in its body; an interpolation in it is unknown', () => {
    const m = marked(`resource "${INTAKE}" "a" {\n  arn_pattern = <<-EOT\n    arn:aws:sts::«12345»:assumed-role/ci/*\n  EOT\n}\n`);
    assert.deepEqual(lint(m.text).map((f) => f.code).sort(), ['arn/invalid-account', 'arn/whitespace']);
    assert.deepEqual(hits(m.text, 'arn/invalid-account'), [['arn/invalid-account', 'error', m.ranges[0]]]);
    assert.deepEqual(codes(`resource "${INTAKE}" "a" {\n  arn_pattern = <<EOT\narn:aws:sts::\${var.account}:assumed-role/ci/*\nEOT\n}\n`), ['arn/whitespace']);
    // chomp() and a directive make it an expression or unknown: not judged.
    assert.deepEqual(codes(`resource "${INTAKE}" "a" {\n  arn_pattern = chomp(<<EOT\narn:aws:sts::12345:assumed-role/ci/*\nEOT\n)\n}\n`), []);
  });

  test('`$${` is the literal text `${`, not an interpolation: judged as written (a role name cannot hold it)', () => {
    const m = marked(mapping(INTAKE, 'a', '"arn:aws:sts::123456789012:assumed-role/«$${aws:username}»/*"'));
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.range]), [['arn/invalid-role-name', m.ranges[0]]]);
    assert.match(found[0].message, /`\$\{aws:username\}` is not a role name/);
    // Beside a real interpolation: that one stays unknown (no arn/invalid-account), the escaped one is judged.
    const b = marked(mapping(INTAKE, 'a', '"arn:aws:sts::${var.account}:assumed-role/«$${x}»/*"'));
    assert.deepEqual(lint(b.text).map((f) => [f.code, f.range]), [['arn/invalid-role-name', b.ranges[0]]]);
    // The same in a heredoc.
    assert.ok(codes(`resource "${INTAKE}" "a" {\n  arn_pattern = <<EOT\narn:aws:sts::123456789012:assumed-role/$\${x}/*\nEOT\n}\n`).includes('arn/invalid-role-name'));
    // Near miss: a real interpolation there is unknown.
    assert.deepEqual(codes(mapping(INTAKE, 'a', '"arn:aws:sts::123456789012:assumed-role/${var.role}/*"')), []);
  });
});

describe('arn/* on arn_pattern keys in collections (locals, variables, for_each)', () => {
  const ci = 'arn:aws:sts::123456789012:assumed-role/ci/*';

  test('a list of objects in locals: each pattern judged where it is; two entries that overlap', () => {
    const m = marked(hcl`
      locals {
        roles = [
          { name = "ci", arn_pattern = "${ci}" },
          { name = "cd", arn_pattern = "arn:aws:sts::«12345»:assumed-role/cd/*" },
          { name = "x", arn_pattern = «"arn:aws:sts::123456789012:assumed-role/ci/deploy"» },
        ]
      }
    `);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.range]), [['arn/invalid-account', m.ranges[0]], ['arn/overlapping-patterns', m.ranges[1]]]);
    assert.match(found[1].message, /the pattern on line 3 \(local\.roles\)/);
    assert.match(found[1].message, /in `local\.roles`/);
  });

  test('a variable default, a map of maps, a quoted key, jsonencode: judged, with fixes', () => {
    const m = marked(hcl`
      variable "mappings" {
        default = {
          deploy = { "arn_pattern" = "arn:aws:«iam::123456789012:role/deploy»" }
        }
      }
      locals {
        policy = jsonencode({ arn_pattern = "arn:aws:sts::123456789012:assumed-role/«ci»" })
      }
    `);
    assert.deepEqual(lint(m.text).map((f) => [f.code, f.range]), [['arn/iam-role-arn', m.ranges[0]], ['arn/missing-session', m.ranges[1]]]);
    assert.equal(fixed(m.text, m.ranges[0], 'arn/iam-role-arn'), m.text.replace('arn:aws:iam::123456789012:role/deploy', 'arn:aws:sts::123456789012:assumed-role/deploy/*'));
  });

  test('a mapping resource\'s for_each: its entries are mappings of its kind, compared with the other mappings of that kind; each.value.arn_pattern is unknown', () => {
    const m = marked(hcl`
      resource "datadog_aws_wif_identity_mapping" "team" {
        for_each = {
          ci = { arn_pattern = "${ci}", account = "ci@example.com" }
        }
        account_identifier = each.value.account
        arn_pattern        = each.value.arn_pattern
      }
      resource "datadog_aws_wif_identity_mapping" "runner" {
        account_identifier = "runner@example.com"
        arn_pattern        = «"${ci}"»
      }
      resource "datadog_aws_wif_intake_mapping" "agent" {
        arn_pattern = "${ci}"
      }
    `);
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.range]), [['arn/overlapping-patterns', m.ranges[0]]]);
    assert.match(found[0].message, /This identity mapping can match the same caller as the pattern on line 3 \(datadog_aws_wif_identity_mapping\.team's for_each\)/);
  });

  test('near miss: different collections, different keys above the entries, a different sibling type, expressions, other resources\' attributes', () => {
    const other = 'arn:aws:sts::123456789012:assumed-role/ci/deploy';
    assert.deepEqual(codes(`locals {\n  a = [{ arn_pattern = "${ci}" }]\n  b = [{ arn_pattern = "${other}" }]\n}\n`), []);
    assert.deepEqual(codes(`locals {\n  m = {\n    intake   = [{ arn_pattern = "${ci}" }]\n    identity = [{ arn_pattern = "${other}" }]\n  }\n}\n`), []);
    assert.deepEqual(codes(`locals {\n  m = [\n    { type = "intake", arn_pattern = "${ci}" },\n    { type = "identity", arn_pattern = "${other}" },\n  ]\n}\n`), []);
    assert.deepEqual(codes(`locals {\n  m = [{ arn_pattern = var.p }, { arn_pattern = "\${var.a}" }, { arn_pattern = local.x.arn_pattern }]\n}\n`), []);
    assert.deepEqual(codes('resource "aws_something" "x" {\n  arn_pattern = "nope"\n  tags = { arn_pattern_note = "nope" }\n}\n'), []);
  });

  test('near miss: the same collection compared with itself only in one file', () => {
    const text = `locals {\n  roles = [{ arn_pattern = "${ci}" }]\n}\n`;
    assert.deepEqual(codes(text, [{ path: '/proj/other.tf', text }]), []);
  });
});

describe('arn/overlapping-patterns', () => {
  const ci = '"arn:aws:sts::123456789012:assumed-role/ci/*"';

  test('identity and persona mappings are one kind: an overlap is a warning on the later pattern, naming the first', () => {
    const m = marked(mapping(IDENTITY, 'a', ci, 'account_identifier = "a@example.com"') + mapping(PERSONA, 'b', '«"arn:aws:sts::123456789012:assumed-role/ci/deploy"»', 'account_identifier = "b@example.com"'));
    const found = lint(m.text);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range]), [['arn/overlapping-patterns', 'warning', m.ranges[0]]]);
    assert.match(found[0].message, /datadog_aws_wif_identity_mapping\.a/);
    assert.match(found[0].message, /arn:aws:sts::123456789012:assumed-role\/ci\/deploy/);
  });

  test('two intake mappings with the same pattern overlap', () => {
    const m = marked(mapping(INTAKE, 'a', ci) + mapping(INTAKE, 'b', `«${ci}»`));
    assert.deepEqual(hits(m.text, 'arn/overlapping-patterns'), [['arn/overlapping-patterns', 'warning', m.ranges[0]]]);
  });

  test('three patterns under one role: one finding per later pattern, naming the first and counting the rest', () => {
    const m = marked(mapping(INTAKE, 'a', ci) + mapping(INTAKE, 'b', `«${ci}»`) + mapping(INTAKE, 'c', '«"arn:aws:sts::123456789012:assumed-role/ci/s1"»'));
    const found = lint(m.text).filter((f) => f.code === 'arn/overlapping-patterns');
    assert.deepEqual(found.map((f) => f.range), m.ranges);
    for (const f of found) assert.match(f.message, /as datadog_aws_wif_intake_mapping\.a \(both match .*\), and 1 more mapping of this file overlaps it:/);
    // The related information points at the others: for b, a and c; for c, a and b.
    const lineOf = (name: string) => m.text.split('\n').findIndex((l) => l.includes(`"${name}"`)) + 2;
    assert.deepEqual(found.map((f) => f.related!.map((r) => r.range.start.line + 1)), [[lineOf('a'), lineOf('c')], [lineOf('a'), lineOf('b')]]);
    assert.match(found[0].related![1].message, /datadog_aws_wif_intake_mapping\.c overlaps it: both match `arn:aws:sts::123456789012:assumed-role\/ci\/s1`/);
  });

  test('1,000 identical mapping resources: 999 findings (not 499,500), each naming the first', () => {
    const n = 1_000;
    const text = Array.from({ length: n }, (_, i) => mapping(INTAKE, `m${i}`, ci)).join('');
    const found = lint(text).filter((f) => f.code === 'arn/overlapping-patterns');
    assert.equal(found.length, n - 1);
    for (const f of found) {
      assert.match(f.message, /as datadog_aws_wif_intake_mapping\.m0 \(both match `arn:aws:sts::123456789012:assumed-role\/ci\/session`\), and 998 more mappings of this file overlap it:/);
      assert.equal(f.related!.length, 10);
    }
  });

  test('near miss: the same pattern in an intake and an identity mapping (different kinds); different roles; different files', () => {
    assert.deepEqual(codes(mapping(INTAKE, 'a', ci) + mapping(IDENTITY, 'b', ci, 'account_identifier = "a@example.com"')), []);
    assert.deepEqual(codes(mapping(INTAKE, 'a', ci) + mapping(INTAKE, 'b', '"arn:aws:sts::123456789012:assumed-role/cd/*"')), []);
    assert.deepEqual(codes(mapping(INTAKE, 'a', ci), [{ path: '/proj/other.tf', text: mapping(INTAKE, 'b', ci) }]), []);
    // Interpolated accounts of different expressions are not known to be equal.
    assert.deepEqual(codes(mapping(INTAKE, 'a', '"arn:aws:sts::${var.a}:assumed-role/ci/*"') + mapping(INTAKE, 'b', '"arn:aws:sts::${var.b}:assumed-role/ci/*"')), []);
  });
});

test('an empty string is "unset" to the provider: cloud_provider_type = "" is not cloud auth, aws_access_key_id = "" is no credential', () => {
  const found = codes(['provider "datadog" {', '  cloud_provider_type = ""', '  api_key = var.k', '  aws_access_key_id = ""', '  aws_secret_access_key = ""', '}', 'terraform {', '  required_providers {', '    datadog = { source = "DataDog/datadog", version = "3.60.0" }', '  }', '}'].join('\n'));
  assert.ok(found.includes('tf/cloud-provider-type-invalid'), 'the empty value is still named');
  for (const code of ['tf/org-uuid-missing', 'tf/cloud-auth-with-keys', 'tf/hardcoded-aws-credential', 'tf/provider-version-too-old']) {
    assert.ok(!found.includes(code), `${code} should not fire: ${found.join(', ')}`);
  }
});

test('folder-mates read only for the folder facts keep their model, not their parse tree (wasm memory); the same file linted itself later is judged from that model, not parsed again', () => {
  const cache = () => (service as unknown as { cache: Map<string, { terraform?: { tree: { deleted: boolean } } }> }).cache;
  const mates: SourceDocument[] = Array.from({ length: 20 }, (_, i) => ({ path: `/mono/m${i}.tf`, text: `resource "x" "y${i}" {}\n` }));
  mates.push({ path: '/mono/providers.tf', text: 'provider "datadog" {\n  cloud_provider_type = "aws"\n}\n' });
  const main = { path: '/mono/main.tf', text: 'terraform {\n  required_providers {\n    datadog = { source = "DataDog/datadog", version = "3.60.0" }\n  }\n}\n' };
  try {
    const first = service.lint(main, mates).map((f) => f.code);
    assert.ok(first.includes('tf/provider-version-too-old'), 'cloud auth in a folder-mate still counts');
    for (const m of mates) assert.equal(cache().get(m.path)?.terraform?.tree.deleted, true, `${m.path}: tree kept`);
    assert.equal(cache().get(main.path)?.terraform?.tree.deleted, false, 'the linted file keeps its tree (incremental re-parse)');
    // Linted itself, a folder-mate gets its own findings from its model and syntax problems, with no new tree.
    const own = service.lint(mates[20], [main, ...mates.slice(0, 20)]).map((f) => f.code);
    assert.ok(own.includes('tf/org-uuid-missing'), own.join(', '));
    assert.equal(cache().get(mates[20].path)?.terraform?.tree.deleted, true);
    assert.equal(cache().get(main.path)?.terraform?.tree.deleted, false, 'the tree kept is still the edited file\'s');
    assert.deepEqual(service.lint(main, mates).map((f) => f.code), first, 'the same findings from cached models');
  } finally {
    service.forget(main.path);
    for (const m of mates) service.forget(m.path);
  }
});

test('a provider under another local name declared in another file of the folder is judged (Terraform reads a module as one)', () => {
  const versions: SourceDocument = { path: VERSIONS, text: 'terraform {\n  required_providers {\n    dd = { source = "DataDog/datadog", version = ">= 3.70.0" }\n    other = { source = "hashicorp/aws" }\n  }\n}\n' };
  const main = 'provider "dd" {\n  cloud_provider_type = "aws"\n}\nprovider "other" {\n  cloud_provider_type = "gcp"\n}\nprovider "stranger" {\n  cloud_provider_type = "aws"\n}\n';
  const found = hits(main, 'tf/org-uuid-missing', [versions]);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0][2].start.line, 1, 'the dd block (line 2) is judged; "other" maps to hashicorp/aws and "stranger" to nothing Datadog');
  assert.deepEqual(codes(main, []).filter((c) => c.startsWith('tf/')), [], 'without versions.tf, "dd" is not known to be Datadog');
  // The folder's cloud auth comes from the dd block: the version rule applies to versions.tf.
  assert.deepEqual(codes(versions.text.replace('>= 3.70.0', '~> 3.60.0'), [{ path: MAIN, text: main }], VERSIONS), ['tf/provider-version-too-old']);
});
