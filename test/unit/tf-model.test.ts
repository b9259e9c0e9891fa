// The Terraform model: provider "datadog" blocks and their attributes, every
// kind of value with its spans (caret markers), required_providers in both
// forms, the WIF mapping resources, .terraform.lock.hcl, comments, what still
// parses around syntax errors, non-ASCII offsets, and every file of the shared
// corpus (../shared/corpus/tf/real) with what it really holds.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { lintArnPattern } from '../../server/src/service/arn';
import { syntaxProblems, type Span } from '../../server/src/service/terraform/hcl';
import {
  attributeNamed,
  extractLockModel,
  extractTerraformModel,
  isDatadogSource,
  literalString,
  unescapeQuoted,
  type HclAttribute,
  type HclValue,
  type TerraformLockModel,
  type TerraformModel,
} from '../../server/src/service/terraform/model';
import { TextIndex } from '../../server/src/service/common/textIndex';
import { Rng } from '../helpers/corpus';
import { marked, type Marked } from '../helpers/markers';
import { NO_TF_CORPUS_MESSAGE, TF_CORPUS_DIR, generateTerraform, readTfCorpus, tfCorpusNames, withTree } from '../helpers/terraform';

function model(text: string): Promise<TerraformModel> {
  return withTree(text, (tree) => extractTerraformModel(tree));
}

function lockModel(text: string): Promise<TerraformLockModel> {
  return withTree(text, (tree) => extractLockModel(tree));
}

/** The marked ranges as offsets, in order. */
function spans(m: Marked): Span[] {
  const index = new TextIndex(m.text);
  return m.ranges.map((r) => ({ start: index.offsetAt(r.start), end: index.offsetAt(r.end) }));
}

function slice(text: string, span: Span | undefined): string | undefined {
  return span && text.slice(span.start, span.end);
}

function attr(block: { attributes: readonly HclAttribute[] }, name: string): HclAttribute {
  const a = attributeNamed(block, name);
  assert.ok(a, `attribute ${name}`);
  return a;
}

function valueOf(block: { attributes: readonly HclAttribute[] }, name: string): HclValue {
  return attr(block, name).value;
}

// ---------------------------------------------------------------------------
// Provider blocks and attributes

describe('provider "datadog" blocks', () => {
  test('each attribute: name, name span, whole span, value span', async () => {
    const m = marked('provider "datadog" {\n  «org_uuid» = «"3c7b2a10-4d5e-4f60-8a9b-0c1d2e3f4a5b"»\n  «cloud_provider_type»   = «"aws"»\n}\n');
    const [p] = (await model(m.text)).providers;
    const s = spans(m);
    assert.deepEqual(
      p.attributes.map((a) => [a.name, a.nameSpan, a.value.span]),
      [
        ['org_uuid', s[0], s[1]],
        ['cloud_provider_type', s[2], s[3]],
      ],
    );
    assert.equal(slice(m.text, p.attributes[0].span), 'org_uuid = "3c7b2a10-4d5e-4f60-8a9b-0c1d2e3f4a5b"');
    assert.equal(slice(m.text, p.typeSpan), 'provider');
    assert.equal(slice(m.text, p.label.span), '"datadog"');
    assert.equal(slice(m.text, p.openBrace), '{');
    assert.equal(slice(m.text, p.closeBrace), '}');
    assert.equal(p.localName, 'datadog');
  });

  test('several blocks, with and without alias; other providers are not datadog', async () => {
    const text = [
      'provider "aws" {\n  region = "us-east-1"\n}',
      'provider "datadog" {\n  api_url = "https://api.datadoghq.com/"\n}',
      'provider "datadog" {\n  alias   = "eu"\n  api_url = "https://api.datadoghq.eu/"\n}',
      'provider "datadog" {\n  alias = var.alias_name\n}',
      'provider datadog {\n  alias = "bare_label"\n}',
    ].join('\n\n');
    const { providers } = await model(text);
    assert.deepEqual(
      providers.map((p) => [p.alias, literalString(attributeNamed(p, 'api_url')?.value)]),
      [
        [undefined, 'https://api.datadoghq.com/'],
        ['eu', 'https://api.datadoghq.eu/'],
        [undefined, undefined],
        ['bare_label', undefined],
      ],
    );
    assert.equal(valueOf(providers[2], 'alias').kind, 'expression', 'an alias that is not a literal is kept as an attribute');
  });

  test('an empty block, and one written on one line', async () => {
    const { providers } = await model('provider "datadog" {}\nprovider "datadog" { validate = false }\n');
    assert.equal(providers.length, 2);
    assert.deepEqual(providers[0].attributes, []);
    assert.deepEqual(valueOf(providers[1], 'validate'), { kind: 'bool', span: providers[1].attributes[0].value.span, value: false });
  });

  test('nested blocks in a provider are ignored; their attributes are not the provider\'s', async () => {
    const { providers } = await model('provider "datadog" {\n  default_tags {\n    org_uuid = "nested"\n  }\n  api_key = var.k\n}\n');
    assert.deepEqual(
      providers[0].attributes.map((a) => a.name),
      ['api_key'],
    );
  });

  test('comments of every style are not attributes, wherever they are', async () => {
    const text = [
      'provider "datadog" {',
      '  # org_uuid = "hash"',
      '  // org_uuid = "slashes"',
      '  /* org_uuid = "block" */',
      '  /*',
      '  api_key = "multi-line block"',
      '  */',
      '  api_url = "https://api.datadoghq.com/" # trailing',
      '  validate = /* inline */ true // trailing',
      '}',
      '# provider "datadog" { org_uuid = "commented out block" }',
      '/* provider "datadog" {',
      '  org_uuid = "x"',
      '} */',
    ].join('\n');
    const { providers } = await model(text);
    assert.equal(providers.length, 1);
    assert.deepEqual(
      providers[0].attributes.map((a) => [a.name, a.value.kind]),
      [
        ['api_url', 'string'],
        ['validate', 'bool'],
      ],
    );
  });

  test('a duplicated attribute is kept twice; attributeNamed gives the last', async () => {
    const { providers } = await model('provider "datadog" {\n  org_uuid = "a"\n  org_uuid = "b"\n}\n');
    assert.deepEqual(
      providers[0].attributes.map((a) => literalString(a.value)),
      ['a', 'b'],
    );
    assert.equal(literalString(attributeNamed(providers[0], 'org_uuid')?.value), 'b');
  });

  test('a provider under another local name mapped to datadog/datadog', async () => {
    const text = 'terraform {\n  required_providers {\n    dd = {\n      source = "DataDog/datadog"\n    }\n  }\n}\nprovider "dd" {\n  org_uuid = "x"\n}\nprovider "other" {}\n';
    const { providers, datadogRequirements } = await model(text);
    assert.deepEqual(datadogRequirements.map((r) => r.localName), ['dd']);
    assert.deepEqual(providers.map((p) => p.localName), ['dd']);
  });
});

// ---------------------------------------------------------------------------
// Values

describe('values', () => {
  test('a string literal: value, span with quotes, inner span without', async () => {
    const m = marked('provider "datadog" {\n  org_uuid = «"«abc»"»\n}\n');
    const v = valueOf((await model(m.text)).providers[0], 'org_uuid');
    const s = spans(m);
    assert.deepEqual(v, { kind: 'string', span: s[0], value: 'abc', innerSpan: s[1], verbatim: true });
  });

  test('an empty string', async () => {
    const m = marked('provider "datadog" {\n  org_uuid = «"«»"»\n}\n');
    const s = spans(m);
    assert.deepEqual(valueOf((await model(m.text)).providers[0], 'org_uuid'), { kind: 'string', span: s[0], value: '', innerSpan: s[1], verbatim: true });
  });

  test('escapes are resolved; the value is then not verbatim', async () => {
    const text = 'provider "datadog" {\n  api_key = "a\\"b\\\\c\\u00e9\\n\\U0001F600$${x}%%{y}"\n}\n';
    const v = valueOf((await model(text)).providers[0], 'api_key');
    assert.equal(v.kind, 'string');
    if (v.kind !== 'string') return;
    assert.equal(v.value, 'a"b\\cé\n😀${x}%{y}');
    assert.equal(v.verbatim, false);
    assert.equal(slice(text, v.innerSpan), 'a\\"b\\\\c\\u00e9\\n\\U0001F600$${x}%%{y}');
  });

  test('unescapeQuoted on its own', () => {
    assert.equal(unescapeQuoted('plain'), 'plain');
    assert.equal(unescapeQuoted('\\t\\r\\n'), '\t\r\n');
    assert.equal(unescapeQuoted('\\U00110000'), '\\U00110000', 'beyond Unicode: kept');
    assert.equal(unescapeQuoted('$$${a}'), '$${a}');
    assert.equal(unescapeQuoted('\\q'), '\\q', 'an unknown escape (a syntax error to HCL) is kept');
  });

  test('a template: literal parts with spans, interpolation spans, the raw text for the ARN engine', async () => {
    const m = marked('resource "datadog_aws_wif_intake_mapping" "agent" {\n  arn_pattern = «"«arn:aws:sts::»«${data.aws_caller_identity.current.account_id}»«:assumed-role/DatadogAgentRole/*»"»\n}\n');
    const [mapping] = (await model(m.text)).mappings;
    const v = mapping.arnPattern!.value;
    const s = spans(m);
    assert.equal(v.kind, 'template');
    if (v.kind !== 'template') return;
    assert.deepEqual(v.span, s[0]);
    assert.deepEqual(v.innerSpan, { start: s[1].start, end: s[3].end });
    assert.deepEqual(v.parts, [
      { kind: 'literal', value: 'arn:aws:sts::', span: s[1], verbatim: true },
      { kind: 'interpolation', span: s[2], source: '${data.aws_caller_identity.current.account_id}' },
      { kind: 'literal', value: ':assumed-role/DatadogAgentRole/*', span: s[3], verbatim: true },
    ]);
    assert.equal(v.raw, 'arn:aws:sts::${data.aws_caller_identity.current.account_id}:assumed-role/DatadogAgentRole/*');
    assert.equal(v.verbatim, true);
    assert.equal(v.hasDirective, false);
    // The ARN engine judges the literal parts and never the interpolated account.
    assert.deepEqual(lintArnPattern(v.raw), []);
  });

  test('a template with escapes: value resolves them, raw keeps the source', async () => {
    const text = 'provider "datadog" {\n  api_url = "https://\\"${var.host}\\"/"\n}\n';
    const v = valueOf((await model(text)).providers[0], 'api_url');
    assert.equal(v.kind, 'template');
    if (v.kind !== 'template') return;
    assert.equal(v.raw, 'https://\\"${var.host}\\"/');
    assert.equal(v.value, 'https://"${var.host}"/');
    assert.equal(v.verbatim, false);
    assert.deepEqual(
      v.parts.map((p) => [p.kind, slice(text, p.span)]),
      [
        ['literal', 'https://\\"'],
        ['interpolation', '${var.host}'],
        ['literal', '\\"/'],
      ],
    );
  });

  test('a template that is only an interpolation, and white space around interpolations', async () => {
    const text = 'provider "datadog" {\n  api_key = "${var.key}"\n  app_key = "  a  ${x}  b  "\n}\n';
    const p = (await model(text)).providers[0];
    const key = valueOf(p, 'api_key');
    assert.ok(key.kind === 'template' && key.parts.length === 1 && key.parts[0].kind === 'interpolation');
    const app = valueOf(p, 'app_key');
    assert.ok(app.kind === 'template');
    if (app.kind !== 'template') return;
    // tree-sitter's template_literal nodes leave out white space; the parts keep it.
    assert.deepEqual(
      app.parts.map((x) => (x.kind === 'literal' ? x.value : x.source)),
      ['  a  ', '${x}', '  b  '],
    );
  });

  test('a template directive marks the whole text unknown', async () => {
    const v = valueOf((await model('provider "datadog" {\n  api_url = "%{ if var.eu }https://api.datadoghq.eu%{ else }https://api.datadoghq.com%{ endif }/"\n}\n')).providers[0], 'api_url');
    assert.ok(v.kind === 'template' && v.hasDirective);
  });

  test('numbers, signed numbers, booleans, null', async () => {
    const m = marked('provider "datadog" {\n  a = «42»\n  b = «1.5e3»\n  c = «-7»\n  d = «true»\n  e = «false»\n  f = «null»\n}\n');
    const p = (await model(m.text)).providers[0];
    const s = spans(m);
    assert.deepEqual(
      p.attributes.map((a) => a.value),
      [
        { kind: 'number', span: s[0], value: 42, source: '42' },
        { kind: 'number', span: s[1], value: 1500, source: '1.5e3' },
        { kind: 'number', span: s[2], value: -7, source: '-7' },
        { kind: 'bool', span: s[3], value: true },
        { kind: 'bool', span: s[4], value: false },
        { kind: 'null', span: s[5] },
      ],
    );
  });

  test('numbers with an exponent and no fraction are numbers, read from the text as written (the grammar alone would not parse them)', async () => {
    const m = marked('provider "datadog" {\n  a = «5e6»\n  b = «2E+2»\n  c = «-1e3»\n  d = «1e-2»\n  e = «"5e6"»\n  a5e6 = «var.b5e6»\n}\n');
    const p = (await model(m.text)).providers[0];
    const s = spans(m);
    assert.deepEqual(p.attributes.map((a) => a.name), ['a', 'b', 'c', 'd', 'e', 'a5e6']);
    assert.deepEqual(p.attributes.map((a) => a.value), [
      { kind: 'number', span: s[0], value: 5_000_000, source: '5e6' },
      { kind: 'number', span: s[1], value: 200, source: '2E+2' },
      { kind: 'number', span: s[2], value: -1000, source: '-1e3' },
      { kind: 'number', span: s[3], value: 0.01, source: '1e-2' },
      { kind: 'string', span: s[4], value: '5e6', innerSpan: { start: s[4].start + 1, end: s[4].end - 1 }, verbatim: true },
      { kind: 'expression', form: 'reference', span: s[5], source: 'var.b5e6' },
    ]);
  });

  test('signs: -1 and --1 are numbers, -var.x an operation; twenty thousand signs are read without running out of stack', async () => {
    const p = (await model('provider "datadog" {\n  a = -1\n  b = --1\n  c = - -2.5\n  d = -var.x\n  e = ---3\n}\n')).providers[0];
    assert.deepEqual(p.attributes.map((a) => (a.value.kind === 'number' ? a.value.value : a.value.kind)), [-1, 1, 2.5, 'expression', -3]);
    const deep = (await model(`provider "datadog" {\n  a = ${'-'.repeat(20_000)}7\n}\n`)).providers[0];
    assert.deepEqual(deep.attributes[0].value.kind === 'number' && deep.attributes[0].value.value, 7);
  });

  test('expressions are never literals: references, functions, conditionals, operations, collections, for, parentheses', async () => {
    const cases: [string, string][] = [
      ['var.datadog_org_uuid', 'reference'],
      ['local.dd.org', 'reference'],
      ['data.aws_ssm_parameter.uuid.value', 'reference'],
      ['module.m.out[0]', 'reference'],
      ['each.value', 'reference'],
      ['lower("AWS")', 'function'],
      ['var.eu ? "x" : "y"', 'conditional'],
      ['"a" == var.b', 'operation'],
      ['!var.x', 'operation'],
      ['["aws"]', 'collection'],
      ['{ a = 1 }', 'collection'],
      ['[for s in var.l : upper(s)]', 'for'],
      ['("aws")', 'parenthesized'],
    ];
    const text = `provider "datadog" {\n${cases.map(([src], i) => `  a${i} = ${src}`).join('\n')}\n}\n`;
    const p = (await model(text)).providers[0];
    assert.deepEqual(
      p.attributes.map((a) => (a.value.kind === 'expression' ? [a.value.source, a.value.form] : [a.value.kind])),
      cases,
    );
    for (const a of p.attributes) assert.equal(literalString(a.value), undefined);
  });

  test('heredocs: plain, indented, templated; value, body span, marker', async () => {
    const text = [
      'provider "datadog" {',
      '  a = <<EOT',
      'line one',
      '  line two',
      'EOT',
      '  b = <<-EOF',
      '    first',
      '      second',
      '',
      '    third',
      '    EOF',
      '  c = <<EOT',
      'arn:aws:sts::${var.account}:assumed-role/x/*',
      'EOT',
      '}',
      '',
    ].join('\n');
    const p = (await model(text)).providers[0];
    const a = valueOf(p, 'a');
    const b = valueOf(p, 'b');
    const c = valueOf(p, 'c');
    assert.ok(a.kind === 'heredoc' && b.kind === 'heredoc' && c.kind === 'heredoc');
    if (a.kind !== 'heredoc' || b.kind !== 'heredoc' || c.kind !== 'heredoc') return;
    assert.deepEqual([a.marker, a.indented, a.value, a.templated, a.unterminated], ['EOT', false, 'line one\n  line two\n', false, false]);
    assert.equal(slice(text, a.bodySpan), 'line one\n  line two\n');
    assert.equal(slice(text, a.span), '<<EOT\nline one\n  line two\nEOT');
    assert.deepEqual([b.marker, b.indented, b.value], ['EOF', true, 'first\n  second\n\nthird\n']);
    assert.equal(slice(text, b.bodySpan), '    first\n      second\n\n    third\n');
    assert.equal(literalString(b), 'first\n  second\n\nthird\n');
    assert.equal(c.templated, true);
    assert.equal(literalString(c), undefined, 'a templated heredoc is not a literal');
    assert.deepEqual(
      c.parts.map((x) => [x.kind, slice(text, x.span)]),
      [
        ['literal', 'arn:aws:sts::'],
        ['interpolation', '${var.account}'],
        ['literal', ':assumed-role/x/*\n'],
      ],
    );
  });

  test('a heredoc with CRLF line ends keeps them in its value', async () => {
    const text = 'provider "datadog" {\r\n  a = <<EOT\r\nx\r\nEOT\r\n}\r\n';
    const v = valueOf((await model(text)).providers[0], 'a');
    assert.ok(v.kind === 'heredoc');
    if (v.kind !== 'heredoc') return;
    assert.equal(v.value, 'x\r\n');
  });

  test('hexadecimal (which the grammar takes and HCL does not) is invalid', async () => {
    const v = valueOf((await model('provider "datadog" {\n  a = 0x10\n}\n')).providers[0], 'a');
    assert.equal(v.kind, 'invalid');
  });
});

// ---------------------------------------------------------------------------
// required_providers

describe('required_providers', () => {
  test('the object form: source and version with spans', async () => {
    const m = marked('terraform {\n  required_providers {\n    «datadog» = {\n      «source»  = "DataDog/datadog"\n      version = «"«>= 3.70.0»"»\n    }\n  }\n}\n');
    const { datadogRequirements } = await model(m.text);
    const s = spans(m);
    assert.equal(datadogRequirements.length, 1);
    const r = datadogRequirements[0];
    assert.deepEqual([r.localName, r.form, r.keySpan, r.source?.nameSpan, literalString(r.source?.value)], ['datadog', 'object', s[0], s[1], 'DataDog/datadog']);
    assert.deepEqual(r.version?.value, { kind: 'string', span: s[2], value: '>= 3.70.0', innerSpan: s[3], verbatim: true });
  });

  test('the legacy string form', async () => {
    const m = marked('terraform {\n  required_providers {\n    datadog = «"«~> 3.0»"»\n  }\n}\n');
    const [r] = (await model(m.text)).datadogRequirements;
    const s = spans(m);
    assert.equal(r.form, 'string');
    assert.equal(r.source, undefined);
    assert.deepEqual(r.version?.value, { kind: 'string', span: s[0], value: '~> 3.0', innerSpan: s[1], verbatim: true });
  });

  test('the datadog one is found by source in any casing and registry prefix, or by name without a source', async () => {
    const text = [
      'terraform {',
      '  required_providers {',
      '    aws = { source = "hashicorp/aws", version = "~> 5.0" }',
      '    a = { source = "DATADOG/DataDog", version = "3.70.0" }',
      '    b = { source = "registry.terraform.io/datadog/datadog" }',
      '    c = { source = "registry.opentofu.org/DataDog/datadog" }',
      '    d = { source = "someone/datadog" }',
      '    datadog = { version = ">= 4" }',
      '  }',
      '}',
    ].join('\n');
    const m = await model(text);
    assert.deepEqual(
      m.requiredProviders.map((r) => [r.localName, r.isDatadog]),
      [
        ['aws', false],
        ['a', true],
        ['b', true],
        ['c', true],
        ['d', false],
        ['datadog', true],
      ],
    );
    assert.deepEqual(
      m.datadogRequirements.map((r) => literalString(r.version?.value)),
      ['3.70.0', undefined, undefined, '>= 4'],
    );
  });

  test('named datadog but another source is not datadog', async () => {
    const { datadogRequirements } = await model('terraform {\n  required_providers {\n    datadog = { source = "myorg/datadog-fork" }\n  }\n}\n');
    assert.deepEqual(datadogRequirements, []);
  });

  test('several terraform blocks, and quoted object keys', async () => {
    const text = 'terraform {\n  required_version = ">= 1.0"\n}\nterraform {\n  required_providers {\n    datadog = {\n      "source" = "datadog/datadog"\n      version: "3.80.0"\n    }\n  }\n}\n';
    const [r] = (await model(text)).datadogRequirements;
    assert.deepEqual([literalString(r.source?.value), literalString(r.version?.value)], ['datadog/datadog', '3.80.0']);
  });

  test('isDatadogSource', () => {
    for (const s of ['datadog/datadog', 'DataDog/datadog', 'registry.terraform.io/DataDog/datadog', ' datadog/datadog ']) assert.ok(isDatadogSource(s), s);
    for (const s of ['datadog', 'hashicorp/datadog', 'datadog/datadog-x', 'a/b/datadog/datadog', '/datadog/datadog', '']) assert.ok(!isDatadogSource(s), s);
  });
});

// ---------------------------------------------------------------------------
// Mapping resources

describe('WIF mapping resources', () => {
  test('all three types, with names, arn_pattern and account_identifier', async () => {
    const m = marked(
      [
        'resource «"datadog_aws_wif_intake_mapping"» «"agent"» {',
        '  arn_pattern = «"arn:aws:sts::123456789012:assumed-role/DatadogAgentRole/*"»',
        '}',
        'resource "datadog_aws_wif_identity_mapping" "runner" {',
        '  account_identifier = «"runner@example.com"»',
        '  arn_pattern        = var.pattern',
        '}',
        'resource "datadog_aws_wif_persona_mapping" "old" {',
        '  account_identifier = datadog_service_account.t.id',
        '  arn_pattern        = <<EOT',
        'arn:aws:sts::123456789012:assumed-role/x/*',
        'EOT',
        '}',
        'resource "datadog_monitor" "not_a_mapping" {',
        '  arn_pattern = "arn:aws:iam::123456789012:role/x"',
        '}',
      ].join('\n'),
    );
    const { mappings } = await model(m.text);
    const s = spans(m);
    assert.deepEqual(
      mappings.map((x) => [x.type, x.name, x.arnPattern?.value.kind, x.accountIdentifier?.value.kind]),
      [
        ['datadog_aws_wif_intake_mapping', 'agent', 'string', undefined],
        ['datadog_aws_wif_identity_mapping', 'runner', 'expression', 'string'],
        ['datadog_aws_wif_persona_mapping', 'old', 'heredoc', 'expression'],
      ],
    );
    assert.deepEqual([mappings[0].typeLabel.span, mappings[0].nameLabel?.span, mappings[0].arnPattern?.value.span], [s[0], s[1], s[2]]);
    assert.deepEqual(mappings[1].accountIdentifier?.value.span, s[3]);
    assert.equal(literalString(mappings[0].arnPattern?.value), 'arn:aws:sts::123456789012:assumed-role/DatadogAgentRole/*');
  });

  test('every arn_pattern, with the group it is compared in: the mappings\' by kind (with their for_each), collections by where they are', async () => {
    const text = [
      'resource "datadog_aws_wif_intake_mapping" "agent" {',
      '  arn_pattern = "a"',
      '}',
      'resource "datadog_aws_wif_persona_mapping" "team" {',
      '  for_each    = { ci = { arn_pattern = "b" } }',
      '  arn_pattern = each.value.arn_pattern',
      '}',
      'locals {',
      '  roles = [{ arn_pattern = "c" }, { "arn_pattern" = <<EOT',
      'd',
      'EOT',
      '  }]',
      '  by_kind = { intake = { x = { arn_pattern = "e" } }, other = [{ type = "identity", arn_pattern = "f" }] }',
      '  arn_pattern = "g"',
      '}',
      'variable "v" {',
      '  default = { a = { arn_pattern = "h" } }',
      '}',
      'module "m" {',
      '  source = "./m"',
      '  list   = jsonencode([{ arn_pattern = "i" }])',
      '}',
      'resource "other_thing" "o" {',
      '  arn_pattern = "not ours"',
      '  nested {',
      '    inner = { arn_pattern = "j" }',
      '  }',
      '}',
      '',
    ].join('\n');
    const m = await model(text);
    assert.deepEqual(
      m.arnPatterns.map((p) => [literalString(p.value) ?? (p.value.kind === 'expression' ? p.value.source : p.value.kind), p.group, p.owner, p.direct, p.kind ?? null]),
      [
        ['a', 'intake mappings', 'datadog_aws_wif_intake_mapping.agent', true, 'intake'],
        ['b', 'identity mappings', "datadog_aws_wif_persona_mapping.team's for_each", false, 'identity'],
        ['each.value.arn_pattern', 'identity mappings', 'datadog_aws_wif_persona_mapping.team', true, 'identity'],
        ['c', 'local.roles', 'local.roles', false, null],
        ['d\n', 'local.roles', 'local.roles', false, null],
        ['e', 'local.by_kind.intake', 'local.by_kind', false, null],
        ['f', 'local.by_kind.other (type "identity")', 'local.by_kind', false, null],
        ['g', 'local.arn_pattern', 'local.arn_pattern', false, null],
        ['h', 'var.v', 'var.v', false, null],
        ['i', 'module.m.list', 'module.m.list', false, null],
        ['j', 'other_thing.o.nested.inner', 'other_thing.o.nested.inner', false, null],
      ],
    );
    assert.deepEqual(m.arnPatterns.map((p) => slice(text, p.keySpan)), ['arn_pattern', 'arn_pattern', 'arn_pattern', 'arn_pattern', '"arn_pattern"', 'arn_pattern', 'arn_pattern', 'arn_pattern', 'arn_pattern', 'arn_pattern', 'arn_pattern']);
  });

  test('a heredoc reads `$${` as the literal `${`, as a quoted string does', async () => {
    const p = (await model('provider "datadog" {\n  a = <<EOT\nx$${y}z\nEOT\n  b = "x$${y}z"\n}\n')).providers[0];
    assert.deepEqual([literalString(valueOf(p, 'a')), literalString(valueOf(p, 'b'))], ['x${y}z\n', 'x${y}z']);
  });

  test('a mapping nested in another block is not a resource', async () => {
    const { mappings } = await model('module "m" {\n  resource "datadog_aws_wif_intake_mapping" "x" {\n    arn_pattern = "a"\n  }\n}\n');
    assert.deepEqual(mappings, []);
  });
});

// ---------------------------------------------------------------------------
// The lock file

describe('.terraform.lock.hcl', () => {
  test('the pinned datadog version with its span, in any casing of the source', async () => {
    const m = marked(
      [
        '# This file is maintained automatically by "terraform init".',
        'provider "registry.terraform.io/hashicorp/aws" {',
        '  version = "5.0.0"',
        '}',
        'provider «"registry.terraform.io/DataDog/datadog"» {',
        '  version     = «"«3.69.1»"»',
        '  constraints = ">= 3.0.0"',
        '  hashes = [',
        '    "h1:abc=",',
        '  ]',
        '}',
      ].join('\n'),
    );
    const lock = await lockModel(m.text);
    const s = spans(m);
    assert.equal(lock.providers.length, 2);
    assert.ok(lock.datadog);
    assert.deepEqual([lock.datadog.address, lock.datadog.label.span], ['registry.terraform.io/DataDog/datadog', s[0]]);
    assert.deepEqual(lock.datadog.version?.value, { kind: 'string', span: s[1], value: '3.69.1', innerSpan: s[2], verbatim: true });
    assert.equal(literalString(lock.datadog.constraints?.value), '>= 3.0.0');
  });

  test('no datadog entry', async () => {
    const lock = await lockModel('provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.0.0"\n}\n');
    assert.equal(lock.datadog, undefined);
  });
});

// ---------------------------------------------------------------------------
// Syntax errors: what parsed is still there

describe('syntax errors', () => {
  test('a value being typed: the attribute has an invalid value, the next one is still read', async () => {
    const m = marked('provider "datadog" {\n  api_key =«»\n  «org_uuid» = «"x"»\n}\n');
    const p = (await model(m.text)).providers[0];
    const s = spans(m);
    assert.deepEqual(
      p.attributes.map((a) => [a.name, a.value.kind]),
      [
        ['api_key', 'invalid'],
        ['org_uuid', 'string'],
      ],
    );
    assert.deepEqual(p.attributes[0].value, { kind: 'invalid', span: s[0], reason: 'missing' });
    assert.deepEqual([p.attributes[1].nameSpan, p.attributes[1].value.span], [s[1], s[2]]);
  });

  test('a missing closing brace: the block and the top-level blocks it swallowed are read', async () => {
    const text = [
      'provider "datadog" {',
      '  org_uuid = "x"',
      '',
      'resource "datadog_aws_wif_intake_mapping" "a" {',
      '  arn_pattern = "arn:aws:sts::123456789012:assumed-role/r/*"',
      '}',
      '',
    ].join('\n');
    const m = await model(text);
    assert.equal(m.providers.length, 1);
    assert.equal(m.providers[0].closeBrace, undefined);
    assert.deepEqual(m.providers[0].attributes.map((a) => a.name), ['org_uuid']);
    assert.deepEqual(m.mappings.map((x) => x.name), ['a']);
  });

  test('an unterminated string: its value is invalid, the block is still found', async () => {
    const text = 'provider "datadog" {\n  api_key = "abc\n  org_uuid = "x"\n}\n';
    const [p] = (await model(text)).providers;
    assert.equal(p.attributes[0].name, 'api_key');
    assert.deepEqual(p.attributes[0].value.kind === 'invalid' && p.attributes[0].value.reason, 'unterminated-string');
  });

  test('garbage before and after: the provider between is read whole', async () => {
    const text = 'this is not hcl {{{\n\nprovider "datadog" {\n  org_uuid = "x"\n  cloud_provider_type = "aws"\n}\n\n]]] more = = garbage\n';
    const { providers } = await model(text);
    assert.ok(providers.length >= 1);
    const p = providers[providers.length - 1];
    assert.deepEqual(p.attributes.map((a) => [a.name, literalString(a.value)]), [
      ['org_uuid', 'x'],
      ['cloud_provider_type', 'aws'],
    ]);
  });

  test('an error inside one block leaves the others whole', async () => {
    const text = 'resource "datadog_monitor" "m" {\n  silenced {\n    "*" = 0\n  }\n}\nprovider "datadog" {\n  org_uuid = "x"\n}\nterraform {\n  required_providers {\n    datadog = { source = "datadog/datadog", version = "3.70.0" }\n  }\n}\n';
    const m = await model(text);
    assert.deepEqual(m.providers[0].attributes.map((a) => a.name), ['org_uuid']);
    assert.equal(literalString(m.datadogRequirements[0].version?.value), '3.70.0');
  });

  // What a file looks like while someone types in a block above the provider:
  // the provider and the mapping after it must still be seen.
  const AFTER = '\nprovider "datadog" {\n  org_uuid = "x"\n}\nresource "datadog_aws_wif_intake_mapping" "m" {\n  arn_pattern = "arn:aws:sts::123456789012:assumed-role/r/*"\n}\n';
  const TYPING: [string, string][] = [
    ['resource "datadog_monitor" "m" {\n  silenced {\n    "*" = 0\n  }\n}\n', 'a quoted attribute name (the grammar\'s scanner then reads every word as a heredoc marker)'],
    ['foo "\n', 'a stray quote at the top level'],
    ['resource "a" "b" {\n  x = [\n}\n', 'an unclosed list'],
    ['locals {\n  a = {\n}\n', 'an unclosed object'],
    ['resource "a" "b" {\n  x = \n}\n', 'a value not typed yet'],
    ['resource "a" "b" {\n  x = "abc\n}\n', 'an unclosed quote'],
    ['resource "a" "b" {\n  x = foo(\n}\n', 'an unclosed call'],
    ['resource "a" "b" {\n  x = var.\n}\n', 'a reference being typed'],
    ['resource "a" "b" {\n  y = 1 +\n}\n', 'an operation being typed'],
    ['resource "a" "b" {\n  dynamic "x" {\n    for_each = \n  }\n}\n', 'a nested block being typed'],
    ['resource "a" "b" {\n  x = 1\n  y\n}\n', 'an attribute name without "=" yet (the next block\'s header is taken for its labels)'],
    ['resour\n', 'a block type being typed'],
    ['resource "a" "b" {\n  x = 1\n\n', 'a block not closed yet'],
    ['locals {\n  x = "${var.a"\n}\n', 'an unclosed interpolation'],
  ];
  for (const [before, what] of TYPING) {
    test(`while typing: ${what}`, async () => {
      const m = await model(before + AFTER);
      assert.deepEqual(m.providers.map((p) => p.attributes.map((a) => [a.name, literalString(a.value)])), [[['org_uuid', 'x']]]);
      assert.deepEqual(m.mappings.map((x) => [x.name, literalString(x.arnPattern?.value)]), [['m', 'arn:aws:sts::123456789012:assumed-role/r/*']]);
      // The spans are those of the real text.
      const text = before + AFTER;
      assert.equal(slice(text, m.providers[0].attributes[0].value.span), '"x"');
      assert.equal(slice(text, m.providers[0].typeSpan), 'provider');
    });
  }

  test('in a large file, an error near the top leaves every later block readable', async () => {
    const base = generateTerraform(2000, 9);
    const at = base.indexOf('resource "datadog_monitor"');
    const want = await model(base);
    for (const bad of ['resource "x" "y" {\n  a = 1\n  y\n}\n', 'resource "x" "y" {\n  a =\n}\n', 'locals {\n  a = "abc\n}\n', 'resour\n', 'resource "m" "n" {\n  silenced {\n    "*" = 0\n  }\n}\n']) {
      const got = await model(base.slice(0, at) + bad + base.slice(at));
      const shift = bad.length;
      assert.deepEqual(
        got.mappings.map((x) => [x.type, x.name, literalString(x.arnPattern?.value) ?? x.arnPattern?.value.kind, x.span.start]),
        want.mappings.map((x) => [x.type, x.name, literalString(x.arnPattern?.value) ?? x.arnPattern?.value.kind, x.span.start + (x.span.start >= at ? shift : 0)]),
        JSON.stringify(bad),
      );
      assert.deepEqual(got.providers.map((p) => p.alias), want.providers.map((p) => p.alias));
    }
  });

  test('a quoted argument name: the block and those after it are read whole (the name as written, quotes included)', async () => {
    const text = 'provider "datadog" {\n  api_key = "k"\n  "org_uuid" = "x"\n  cloud_provider_type = "aws"\n}\n' + AFTER;
    const m = await model(text);
    assert.deepEqual(m.providers.map((p) => p.attributes.map((a) => [a.name, literalString(a.value)])), [
      [['api_key', 'k'], ['"org_uuid"', 'x'], ['cloud_provider_type', 'aws']],
      [['org_uuid', 'x']],
    ]);
    assert.ok(m.providers[0].closeBrace);
    assert.deepEqual(m.mappings.map((x) => x.name), ['m']);
  });

  test('an unclosed heredoc swallows the rest of the file, as in Terraform', async () => {
    const m = await model('variable "x" {\n  default = <<EOT\nabc\n}\n' + AFTER);
    assert.deepEqual(m.providers, []);
  });

  test('two values for one attribute: invalid, not a guess', async () => {
    const [p] = (await model('provider "datadog" {\n  org_uuid = "a" "b"\n}\n')).providers;
    assert.deepEqual(p.attributes.map((a) => [a.name, a.value.kind]), [['org_uuid', 'invalid']]);
  });

  test('every prefix of a file yields a model without a throw, spans inside the text', async () => {
    const full = 'terraform {\n  required_providers {\n    datadog = { source = "DataDog/datadog", version = ">= 3.70.0" }\n  }\n}\nprovider "datadog" {\n  alias = "é"\n  org_uuid = "${var.u}"\n  a = <<-EOT\n    x\n  EOT\n}\nresource "datadog_aws_wif_identity_mapping" "r" {\n  account_identifier = "a@b.c"\n  arn_pattern = "arn:aws:sts::123456789012:assumed-role/r/*"\n}\n';
    for (let i = 0; i <= full.length; i++) {
      const text = full.slice(0, i);
      const m = await model(text);
      const check = (x: unknown, path: string): void => {
        if (!x || typeof x !== 'object') return;
        const o = x as Record<string, unknown>;
        if (typeof o.start === 'number' && typeof o.end === 'number') assert.ok(0 <= o.start && o.start <= o.end && o.end <= text.length, `${path} in prefix ${i}`);
        for (const [k, v] of Object.entries(o)) check(v, `${path}.${k}`);
      };
      check(m, 'model');
    }
  });
});

test('random edits: the model never throws, its spans stay inside the text, and it is the same twice', async () => {
  const rng = new Rng(Number(process.env.DD_WIF_FUZZ_SEED ?? 1) + 100);
  const pieces = ['"', '{', '}', '${', '\n', 'x', ' = ', '#', '//', '/*', '*/', '<<EOT\n', '\nEOT\n', 'é', '😀', '', '[', ']', 'provider "datadog" {\n', 'resource "datadog_aws_wif_intake_mapping" "m" {\n', 'terraform {\n  required_providers {\n', '\\'];
  let text = generateTerraform(60, 3);
  for (let i = 0; i < Number(process.env.DD_WIF_TF_EDITS ?? 400); i++) {
    const start = rng.int(text.length + 1);
    text = text.slice(0, start) + rng.pick(pieces) + text.slice(Math.min(text.length, start + rng.int(6)));
    if (text.length > 8000 || rng.chance(0.03)) text = generateTerraform(rng.between(5, 80), i);
    await withTree(text, (tree) => {
      const a = extractTerraformModel(tree);
      assert.deepEqual(extractTerraformModel(tree), a, 'deterministic');
      const lock = extractLockModel(tree);
      const check = (x: unknown, path: string): void => {
        if (!x || typeof x !== 'object') return;
        const o = x as Record<string, unknown>;
        if (typeof o.start === 'number' && typeof o.end === 'number') assert.ok(0 <= o.start && o.start <= o.end && o.end <= text.length, `${path} after edit ${i}`);
        for (const [k, v] of Object.entries(o)) check(v, `${path}.${k}`);
      };
      check(a, 'model');
      check(lock, 'lock');
      for (const p of a.providers) for (const at of p.attributes) assert.equal(slice(text, at.nameSpan), at.name, `attribute name span after edit ${i}`);
    });
  }
});

// ---------------------------------------------------------------------------
// Non-ASCII text

test('offsets are right with non-ASCII comments, strings and keys before the values', async () => {
  const m = marked(
    [
      '# Überwachung 😀 — configuration',
      'locals { name = "Golden – Demo 🚀" }',
      'provider "datadog" { // 日本語',
      '  alias = «"«é😀»"»',
      '  «org_uuid» = «"3c7b2a10-4d5e-4f60-8a9b-0c1d2e3f4a5b"» # ünïcödé',
      '}',
      'resource "datadog_aws_wif_identity_mapping" "ü" {',
      '  account_identifier = «"«josé@example.com»"»',
      '}',
    ].join('\n'),
  );
  const { providers, mappings } = await model(m.text);
  const s = spans(m);
  const alias = valueOf(providers[0], 'alias');
  assert.deepEqual(alias, { kind: 'string', span: s[0], value: 'é😀', innerSpan: s[1], verbatim: true });
  assert.equal(providers[0].alias, 'é😀');
  assert.deepEqual([attr(providers[0], 'org_uuid').nameSpan, valueOf(providers[0], 'org_uuid').span], [s[2], s[3]]);
  assert.equal(mappings[0].name, 'ü');
  const acct = mappings[0].accountIdentifier!.value;
  assert.ok(acct.kind === 'string');
  assert.deepEqual([acct.span, acct.kind === 'string' && acct.innerSpan], [s[4], s[5]]);
});

// ---------------------------------------------------------------------------
// A large file

test('a 10,000-line file: the model finds every block (its time printed, never asserted)', async (t) => {
  const text = generateTerraform(10_000);
  await withTree(text, (tree) => {
    extractTerraformModel(tree); // warm up
    const times: number[] = [];
    let m!: TerraformModel;
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      m = extractTerraformModel(tree);
      times.push(performance.now() - s);
    }
    const intake = (text.match(/^resource "datadog_aws_wif_intake_mapping"/gm) ?? []).length;
    assert.equal(m.providers.length, 2);
    assert.deepEqual(m.providers.map((p) => p.alias), [undefined, 'eu']);
    assert.equal(m.mappings.length, intake * 2);
    assert.equal(literalString(m.datadogRequirements[0].version?.value), '>= 3.70.0');
    t.diagnostic(`model of ${text.split('\n').length - 1} lines (${m.mappings.length} mappings): median ${times.sort((a, b) => a - b)[2].toFixed(1)} ms`);
  });
});

// ---------------------------------------------------------------------------
// The shared corpus

interface CorpusExpectation {
  /** Per provider "datadog" block: its alias (null for none) and attribute names in order. */
  providers?: [string | null, string[]][];
  /** The datadog required_providers entry: its source and version (null when absent). */
  requirement?: { source: string | null; version: string | null };
  /** Mappings: type (without the datadog_aws_wif_ prefix), name, arn_pattern kind, account_identifier kind. */
  mappings?: [string, string, string, string | null][];
  /** The lock file's datadog version and the number of providers it pins. */
  lock?: { version: string; constraints: string | null; providers: number };
  /** Lines (1-based) where syntax problems start; [] for a file that parses. */
  syntaxLines?: number[];
  why: string;
}

const PROVIDER_KEYS = ['api_key', 'app_key'];

const CORPUS: Record<string, CorpusExpectation> = {
  '727wag+aws-terraform-datadog-sre__providers.tf': { providers: [[null, PROVIDER_KEYS]], requirement: { source: 'Datadog/datadog', version: null }, why: 'source in mixed case, no version; an aws provider beside' },
  'Apostolos-Daniel+terraform-datadog__.terraform.lock.hcl': { lock: { version: '3.30.0', constraints: null, providers: 2 }, why: 'lock file without constraints' },
  'Apostolos-Daniel+terraform-datadog__main.tf': { providers: [[null, [...PROVIDER_KEYS, 'api_url']]], requirement: { source: 'DataDog/datadog', version: null }, why: 'keys and api_url from variables; modules beside' },
  'ArerepadeBenagha+elite-hashicorp-vault__vault__config.tf': {
    providers: [['datadog_dev', ['alias', ...PROVIDER_KEYS]]],
    requirement: { source: 'DataDog/datadog', version: null },
    why: 'an aliased provider, configuration_aliases, a second terraform block, a commented-out provider "vault"',
  },
  'DataDog+terraform-intro__datadog.tf': {
    providers: [[null, PROVIDER_KEYS]],
    syntaxLines: [26],
    why: 'pre-0.12 syntax (`silenced { "*" = 0 }`) is one error (the quoted name) after the provider block, which is still read',
  },
  'DataDog+terraform-provider-datadog__datadog__tests__providers.tf': { providers: [], requirement: { source: 'DataDog/datadog', version: null }, why: 'required_providers only' },
  'DataDog+terraform-provider-datadog__examples__provider__provider.tf': { providers: [[null, PROVIDER_KEYS]], requirement: { source: 'DataDog/datadog', version: null }, why: 'the official provider example' },
  'DataDog+terraform-provider-datadog__examples__resources__datadog_aws_wif_identity_mapping__resource.tf': {
    providers: [],
    mappings: [['identity_mapping', 'terraform', 'template', 'expression']],
    why: 'official example: the account from an interpolation, the identifier from a service account',
  },
  'DataDog+terraform-provider-datadog__examples__resources__datadog_aws_wif_intake_mapping__resource.tf': {
    providers: [],
    mappings: [['intake_mapping', 'agent', 'template', null]],
    why: 'official example; delegated_auth only in comments',
  },
  'DataDog+terraform-provider-datadog__examples__resources__datadog_aws_wif_persona_mapping__resource.tf': {
    providers: [],
    mappings: [['persona_mapping', 'terraform', 'template', 'expression']],
    why: 'the older name of the identity mapping',
  },
  'IaKoval+TerraformTask1.4__Datadog-Terraform__provider.tf': { providers: [[null, ['api_url', ...PROVIDER_KEYS]]], requirement: { source: 'DataDog/datadog', version: null }, why: 'masked literal keys' },
  'JasTandon+terraform-datadog-observability__examples__basic__main.tf': {
    providers: [[null, []]],
    requirement: { source: 'DataDog/datadog', version: '>= 3.30.0' },
    why: 'an empty provider block; a module with deep objects and a non-ASCII key ("Golden – Demo")',
  },
  'Kacperek0+cdv-devops__Monitoring__applications__iaas_nginx__provider.tf': { providers: [[null, [...PROVIDER_KEYS, 'api_url']]], requirement: { source: 'DataDog/datadog', version: '3.23.0' }, why: 'EU api_url' },
  'Kacperek0+cdv-devops__Monitoring__modules__monitor__main.tf': { providers: [[null, [...PROVIDER_KEYS, 'api_url']]], requirement: { source: 'DataDog/datadog', version: '3.23.0' }, why: 'a monitor with long templates' },
  'andriyskyy+babystep2git__datadog__terraform.tf': { providers: [], requirement: { source: 'datadog/datadog', version: '~> 2.16.0' }, why: 'an old pessimistic constraint' },
  'aronday+observability-as-code__tf-providers.tf': { providers: [[null, [...PROVIDER_KEYS, 'validate']]], why: 'keys from a locals jsondecode; validate = false' },
  'aronday+observability-as-code__tf-versions.tf': { providers: [], requirement: { source: 'DataDog/datadog', version: '3.18.0' }, why: 'five providers pinned' },
  'bjd2385+datadog_dashboard_export__.terraform.lock.hcl': { lock: { version: '3.12.0', constraints: '3.12.0', providers: 1 }, why: 'one provider' },
  'bjd2385+datadog_dashboard_export__terraform.tf': { providers: [[null, []]], requirement: { source: 'DataDog/datadog', version: '3.12.0' }, why: 'an empty provider block' },
  'chrisleffler+mypublicrepo__terraform__datadog__child_orgs__child_org_config.tf': {
    providers: [[null, [...PROVIDER_KEYS, 'validate', 'api_url']]],
    requirement: { source: 'DataDog/datadog', version: null },
    why: 'api_url is a template; blocks written `saml{` without a space',
  },
  'chrisleffler+mypublicrepo__terraform__datadog__child_orgs__modules__create_child__create_child.tf': {
    providers: [[null, [...PROVIDER_KEYS, 'validate', 'api_url']]],
    requirement: { source: 'DataDog/datadog', version: null },
    why: 'the same provider in a module',
  },
  'chrisleffler+mypublicrepo__terraform__datadog__estimated_usage__providers.tf': { providers: [[null, [...PROVIDER_KEYS, 'api_url']]], requirement: { source: 'DataDog/datadog', version: null }, why: 'provider before terraform' },
  'chrisleffler+mypublicrepo__terraform__datadog__logs__providers.tf': { providers: [[null, [...PROVIDER_KEYS, 'api_url']]], requirement: { source: 'DataDog/datadog', version: null }, why: 'the US1-FED api_url' },
  'chrisleffler+mypublicrepo__terraform__datadog__synthetics__providers.tf': { providers: [[null, PROVIDER_KEYS]], requirement: { source: 'DataDog/datadog', version: null }, why: '`#api_url = …` is a comment, not an attribute' },
  'cloudintegrator+datadog-terraform__provider.tf': { providers: [[null, [...PROVIDER_KEYS, 'api_url', 'validate']]], requirement: { source: 'DataDog/datadog', version: '~> 3.39' }, why: 'US5 api_url' },
  'cloudposse+terraform-datadog-platform__examples__child_organization__providers.tf': { providers: [[null, ['validate']]], why: 'keys from the environment' },
  'cloudposse+terraform-datadog-platform__examples__complete__providers.tf': { providers: [[null, []]], why: 'an empty block over two lines' },
  'cloudposse+terraform-datadog-platform__versions.tf': { providers: [], requirement: { source: 'datadog/datadog', version: '>= 4.0.0' }, why: 'version 4' },
  'cloudposse-terraform-components+aws-datadog-child-organization__src__provider-datadog.tf': {
    providers: [[null, [...PROVIDER_KEYS, 'api_url', 'validate']]],
    why: 'everything from a module, validate from a local',
  },
  'cloudposse-terraform-components+aws-datadog-child-organization__src__versions.tf': { providers: [], requirement: { source: 'datadog/datadog', version: '>= 3.3.0' }, why: 'a comment inside the object' },
  'geekeren+terraform-datadog-demos__main.tf': { providers: [[null, PROVIDER_KEYS]], why: 'keys as "${var.x}" templates' },
  'gofireflyio+saas-gitops__terraform__provider.tf': { providers: [[null, PROVIDER_KEYS]], requirement: { source: 'DataDog/datadog', version: null }, why: 'plain' },
  'hashicorp+learn-terraform-datadog-local__.terraform.lock.hcl': { lock: { version: '3.20.0', constraints: '~> 3.20.0', providers: 5 }, why: 'five providers' },
  'hashicorp+learn-terraform-datadog-local__datadog-config__datadog_metrics.tf': { providers: [[null, PROVIDER_KEYS]], why: 'a provider beside a monitor' },
  'hashicorp+learn-terraform-datadog-local__terraform.tf': { providers: [], requirement: { source: 'datadog/datadog', version: '~> 3.20.0' }, why: 'an aws provider only' },
  'hashicorp+learn-terraform-datadog__terraform.tf': { providers: [], requirement: { source: 'datadog/datadog', version: '~> 2.22.0' }, why: 'required_providers only' },
  'hazelops+terraform-datadog-monitoring__modules__apm__provider.tf': { providers: [[null, PROVIDER_KEYS]], why: 'the smallest file' },
  'hetvi-sanghavi+datadog-terraform__provider.tf': { providers: [[null, ['api_url']]], requirement: { source: 'DataDog/datadog', version: null }, why: 'only api_url' },
  'jmastio+terraform-datadog-poc__terraform__modules__datadog__main.tf': { providers: [[null, PROVIDER_KEYS]], requirement: { source: 'DataDog/datadog', version: null }, why: 'a `// 15 minutes` comment after a value' },
  'osinfra-io+terraform-datadog-google-integration__tests__fixtures__default__main.tf': { providers: [[null, PROVIDER_KEYS]], requirement: { source: 'datadog/datadog', version: null }, why: 'literal "mock" keys' },
  'uktrade+platform-tools__terraform__datadog__main.tf': { providers: [], mappings: [], why: 'only software catalog entities, as templated heredocs' },
  'uktrade+platform-tools__terraform__datadog__providers.tf': { providers: [], requirement: { source: 'DataDog/datadog', version: '4.15.0' }, why: 'configuration_aliases' },
  'uktrade+platform-tools__terraform__extensions__providers.tf': {
    providers: [['ddog', ['alias', ...PROVIDER_KEYS, 'api_url']]],
    requirement: { source: 'DataDog/datadog', version: '4.15.0' },
    why: 'three aws providers with nested assume_role blocks, one aliased datadog provider',
  },
  'vitorfprado+poc-terraform-datadog__root-module__providers.tf': { providers: [[null, [...PROVIDER_KEYS, 'api_url']]], requirement: { source: 'DataDog/datadog', version: '3.88.0' }, why: 'an empty s3 backend block' },
};

describe('the shared Terraform corpus', { skip: TF_CORPUS_DIR ? false : NO_TF_CORPUS_MESSAGE }, () => {
  test('every corpus file has an expectation, and every expectation a file', () => {
    assert.deepEqual(tfCorpusNames(), Object.keys(CORPUS).sort());
  });

  for (const name of tfCorpusNames()) {
    const want = CORPUS[name];
    test(`${name}: ${want?.why ?? 'no expectation'}`, async () => {
      assert.ok(want, `add an expectation for ${name}`);
      const text = readTfCorpus(name);
      await withTree(text, (tree) => {
        const lines = syntaxProblems(tree).map((p) => text.slice(0, p.span.start).split('\n').length);
        assert.deepEqual(lines, want.syntaxLines ?? [], 'syntax problems');
        if (name.endsWith('.lock.hcl')) {
          const lock = extractLockModel(tree);
          assert.ok(want.lock && lock.datadog);
          assert.deepEqual(
            { version: literalString(lock.datadog.version?.value), constraints: literalString(lock.datadog.constraints?.value) ?? null, providers: lock.providers.length },
            want.lock,
          );
          assert.equal(slice(text, lock.datadog.version?.value.span), `"${want.lock.version}"`);
          return;
        }
        const m = extractTerraformModel(tree);
        assert.deepEqual(
          m.providers.map((p) => [p.alias ?? null, p.attributes.map((a) => a.name)]),
          want.providers ?? [],
          'provider blocks',
        );
        if (want.requirement) {
          assert.equal(m.datadogRequirements.length, 1, 'one datadog requirement');
          const r = m.datadogRequirements[0];
          assert.deepEqual({ source: literalString(r.source?.value) ?? null, version: literalString(r.version?.value) ?? null }, want.requirement);
          if (r.version) assert.equal(slice(text, r.version.value.span), `"${want.requirement.version}"`);
        } else assert.deepEqual(m.datadogRequirements, [], 'no datadog requirement');
        assert.deepEqual(
          m.mappings.map((x) => [x.type.replace('datadog_aws_wif_', ''), x.name, x.arnPattern?.value.kind ?? null, x.accountIdentifier?.value.kind ?? null]),
          want.mappings ?? [],
          'mappings',
        );
        for (const p of m.providers) for (const a of p.attributes) assert.equal(slice(text, a.nameSpan), a.name);
      });
    });
  }
});
