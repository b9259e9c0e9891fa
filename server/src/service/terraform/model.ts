// Extracts from a parsed Terraform file what the tf/* and arn/* rules judge,
// as plain data with offsets (UTF-16, as JS strings index; see hcl.ts):
//   - every `provider "datadog"` block (also under a local name that
//     required_providers maps to datadog/datadog), with its attributes;
//   - the required_providers entries, and which of them is the Datadog one;
//   - the WIF mapping resources with `arn_pattern` / `account_identifier`;
//   - every `arn_pattern` the arn/* rules judge, also in collections
//     (arnPatterns.ts);
//   - in .terraform.lock.hcl, the pinned provider versions;
//   - the IAM roles, EKS Pod Identity associations and caller-identity data
//     sources agent/role-not-mapped resolves roles with (awsRoles.ts).
// Values are classified (values.ts) so a rule judges literals only. Blocks are
// read by recovery.ts, which also reads what a syntax error left readable.
// Nothing here keeps a tree-sitter Node: the model outlives the tree.

import type { Node } from 'web-tree-sitter';
import type { HclTree, Span } from './hcl';
import { Occurrences, collectArnPatterns, type MappingRef, type TfArnPattern } from './arnPatterns';
import { readBody, topLevelBlocks, type RawBlock } from './recovery';
import { emptyAwsIdentity, isAwsIdentityHeader, readAwsIdentityBlock, type TfAwsIdentity } from './awsRoles';
import { classify, invalid, literalString, objectKey, spanOf, type HclAttribute, type HclLabel } from './values';
import { ECS_TASK_DEFINITION, readEcsTaskDefinition, type TfEcsTaskDefinition } from './ecs';

export {
  literalString,
  unescapeQuoted,
  type ExpressionForm,
  type HclAttribute,
  type HclBool,
  type HclExpression,
  type HclHeredoc,
  type HclInvalid,
  type HclLabel,
  type HclNull,
  type HclNumber,
  type HclString,
  type HclTemplate,
  type HclValue,
  type TemplatePart,
} from './values';

// ---------------------------------------------------------------------------
// Blocks

interface BlockInfo {
  /** From the block type to the closing brace (or as far as it parsed). */
  span: Span;
  typeSpan: Span;
  openBrace?: Span;
  /** Undefined when the `}` is missing. */
  closeBrace?: Span;
  /** Top-level attributes, in order (a name may repeat: the last one wins in Terraform… after an error). */
  attributes: HclAttribute[];
}

export interface TfProviderBlock extends BlockInfo {
  /** The label: `datadog`, or another local name required_providers maps to datadog/datadog. */
  localName: string;
  label: HclLabel;
  /** `alias`, when a literal string. */
  alias?: string;
}

export const WIF_MAPPING_TYPES = ['datadog_aws_wif_intake_mapping', 'datadog_aws_wif_identity_mapping', 'datadog_aws_wif_persona_mapping'] as const;
export type WifMappingType = (typeof WIF_MAPPING_TYPES)[number];

export interface TfMappingResource extends BlockInfo {
  type: WifMappingType;
  typeLabel: HclLabel;
  name: string;
  nameLabel?: HclLabel;
  arnPattern?: HclAttribute;
  accountIdentifier?: HclAttribute;
}

export interface TfRequiredProvider {
  localName: string;
  keySpan: Span;
  /** `key = …`. */
  span: Span;
  /** `datadog = { source = …, version = … }`, or the pre-0.13 `datadog = "~> 3.0"`. */
  form: 'object' | 'string' | 'other';
  /** The `source` attribute (object form). */
  source?: HclAttribute;
  /** The version constraint: the `version` attribute, or for the string form the entry itself. */
  version?: HclAttribute;
  /** Every attribute of the object form. */
  attributes: HclAttribute[];
  /** Its source is datadog/datadog (any registry host, any case), or it is named `datadog` and has no literal source. */
  isDatadog: boolean;
}

export interface TerraformModel {
  providers: TfProviderBlock[];
  /**
   * Provider blocks under a local name this file does not map to datadog/datadog
   * (`provider "dd"`): another file of the folder may (`dd = { source =
   * "datadog/datadog" }` in versions.tf). The folder decides (lint.ts).
   */
  otherProviders: TfProviderBlock[];
  /** Every entry of every `terraform { required_providers { … } }`. */
  requiredProviders: TfRequiredProvider[];
  /** The entries that are the Datadog provider. */
  datadogRequirements: TfRequiredProvider[];
  mappings: TfMappingResource[];
  /** Every `arn_pattern` the arn/* rules judge, in text order: the mappings' own and those in collections (arnPatterns.ts). */
  arnPatterns: TfArnPattern[];
  /**
   * The `aws_ecs_task_definition` resources, with the Agent settings of their
   * containers (ecs.ts). Optional so that a model made elsewhere (tests, an
   * empty model) needs no change; extraction always sets it.
   */
  ecsTaskDefinitions?: TfEcsTaskDefinition[];
  /**
   * IAM roles, EKS Pod Identity associations and `data "aws_caller_identity"`
   * blocks (awsRoles.ts), for agent/role-not-mapped. Optional so a model
   * built by hand (tests, EMPTY_MODEL) need not list them.
   */
  aws?: TfAwsIdentity;
}

export interface TfLockedProvider extends BlockInfo {
  /** The address as written: `registry.terraform.io/datadog/datadog`. */
  address: string;
  label: HclLabel;
  isDatadog: boolean;
  version?: HclAttribute;
  constraints?: HclAttribute;
}

export interface TerraformLockModel {
  providers: TfLockedProvider[];
  /** The first datadog/datadog entry. */
  datadog?: TfLockedProvider;
}

/** The last attribute of that name (what Terraform would read if it accepted a duplicate). */
export function attributeNamed(block: { attributes: readonly HclAttribute[] }, name: string): HclAttribute | undefined {
  for (let i = block.attributes.length - 1; i >= 0; i--) if (block.attributes[i].name === name) return block.attributes[i];
  return undefined;
}

/** `datadog/datadog`, `DataDog/datadog`, `registry.terraform.io/datadog/datadog`, `registry.opentofu.org/DataDog/datadog`, … */
export function isDatadogSource(source: string): boolean {
  const parts = source.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3) return false;
  return parts[parts.length - 2] === 'datadog' && parts[parts.length - 1] === 'datadog' && (parts.length === 2 || parts[0].length > 0);
}


// ---------------------------------------------------------------------------
// Extraction

const MAPPING_TYPES = new Set<string>(WIF_MAPPING_TYPES);

const HEADER = /([A-Za-z_][A-Za-z0-9_-]*)[ \t]*(?:"([^"\\\r\n]*)")?/y;

/**
 * The top-level blocks worth reading: terraform, provider, a resource whose
 * type label is a WIF mapping or an ECS task definition (or cannot be told
 * from the text), the AWS identity blocks of awsRoles.ts, or a header broken
 * across lines (recovery.ts reads its real header).
 */
function interestingHeader(n: Node, text: string): boolean {
  HEADER.lastIndex = n.startIndex;
  const m = HEADER.exec(text);
  if (!m) return true;
  if (m[1] === 'terraform' || m[1] === 'provider') return true;
  if (m[1] === 'resource' && (m[2] === undefined || MAPPING_TYPES.has(m[2]) || m[2] === ECS_TASK_DEFINITION)) return true;
  if (isAwsIdentityHeader(m[1], m[2])) return true;
  const brace = text.indexOf('{', n.startIndex);
  const lineBreak = text.indexOf('\n', n.startIndex);
  return lineBreak !== -1 && lineBreak < brace;
}

export function extractTerraformModel(tree: HclTree): TerraformModel {
  const subtrees: HclTree[] = [];
  // Blocks that hold the text `arn_pattern` are read too: a collection of patterns may be in any of them.
  const occ = new Occurrences(tree.text);
  const wanted = (n: Node, text: string) => interestingHeader(n, text) || occ.within(n.startIndex, n.endIndex);
  try {
    return extractFrom(tree, topLevelBlocks(tree, wanted, subtrees), occ);
  } finally {
    for (const t of subtrees) t.delete();
  }
}

function extractFrom(tree: HclTree, blocks: RawBlock[], occ: Occurrences): TerraformModel {
  const text = tree.text;
  const model: TerraformModel = { providers: [], otherProviders: [], requiredProviders: [], datadogRequirements: [], mappings: [], arnPatterns: [], ecsTaskDefinitions: [], aws: emptyAwsIdentity() };
  const providerBlocks: RawBlock[] = [];
  const mappingRefs: MappingRef[] = [];
  for (const b of blocks) {
    if (b.type === 'terraform') {
      for (const inner of readBody(b.items, text).blocks) {
        if (inner.type === 'required_providers') model.requiredProviders.push(...requiredProviders(inner, text));
      }
    } else if (b.type === 'provider' && b.labels.length >= 1) providerBlocks.push(b);
    else if (b.type === 'resource' && b.labels.length >= 1 && MAPPING_TYPES.has(b.labels[0].value)) {
      const body = readBody(b.items, text);
      const mapping: TfMappingResource = {
        ...blockInfo(b, body.attributes),
        type: b.labels[0].value as WifMappingType,
        typeLabel: b.labels[0],
        name: b.labels[1]?.value ?? '',
        nameLabel: b.labels[1],
        arnPattern: attributeNamed(body, 'arn_pattern'),
        accountIdentifier: attributeNamed(body, 'account_identifier'),
      };
      model.mappings.push(mapping);
      const kind = mapping.type === 'datadog_aws_wif_intake_mapping' ? 'intake' : 'identity';
      const pattern = mapping.arnPattern && { value: mapping.arnPattern.value, nameSpan: mapping.arnPattern.nameSpan };
      mappingRefs.push({ block: b, body, kind, owner: `${mapping.type}.${mapping.name}`, pattern });
    } else if (b.type === 'resource' && b.labels[0]?.value === ECS_TASK_DEFINITION) {
      model.ecsTaskDefinitions!.push(readEcsTaskDefinition(b, readBody(b.items, text), text));
    } else if (b.labels.length >= 2) readAwsIdentityBlock(b, text, model.aws!);
  }
  model.arnPatterns = collectArnPatterns(blocks, mappingRefs, text, occ);
  model.datadogRequirements = model.requiredProviders.filter((r) => r.isDatadog);
  const localNames = new Set(['datadog', ...model.datadogRequirements.map((r) => r.localName)]);
  for (const b of providerBlocks) {
    const label = b.labels[0];
    // A name this file maps to another source is not Datadog's, whatever other files say.
    const elsewhere = model.requiredProviders.some((r) => r.localName === label.value && !r.isDatadog);
    if (!localNames.has(label.value) && elsewhere) continue;
    const body = readBody(b.items, text);
    const alias = attributeNamed(body, 'alias');
    const block = { ...blockInfo(b, body.attributes), localName: label.value, label, alias: alias?.value.kind === 'string' ? alias.value.value : undefined };
    (localNames.has(label.value) ? model.providers : model.otherProviders).push(block);
  }
  return model;
}

export function extractLockModel(tree: HclTree): TerraformLockModel {
  const subtrees: HclTree[] = [];
  try {
    return extractLockFrom(tree, topLevelBlocks(tree, interestingHeader, subtrees));
  } finally {
    for (const t of subtrees) t.delete();
  }
}

function extractLockFrom(tree: HclTree, blocks: RawBlock[]): TerraformLockModel {
  const text = tree.text;
  const model: TerraformLockModel = { providers: [] };
  for (const b of blocks) {
    if (b.type !== 'provider' || b.labels.length < 1) continue;
    const body = readBody(b.items, text);
    const label = b.labels[0];
    const p: TfLockedProvider = {
      ...blockInfo(b, body.attributes),
      address: label.value,
      label,
      isDatadog: isDatadogSource(label.value),
      version: attributeNamed(body, 'version'),
      constraints: attributeNamed(body, 'constraints'),
    };
    model.providers.push(p);
    if (p.isDatadog && !model.datadog) model.datadog = p;
  }
  return model;
}

function blockInfo(b: RawBlock, attributes: HclAttribute[]): BlockInfo {
  return { span: b.span, typeSpan: b.typeSpan, openBrace: b.openBrace, closeBrace: b.closeBrace, attributes };
}

// ---------------------------------------------------------------------------
// required_providers

function requiredProviders(block: RawBlock, text: string): TfRequiredProvider[] {
  const out: TfRequiredProvider[] = [];
  const body = readBody(block.items, text);
  for (const a of body.attributes) {
    const entry: TfRequiredProvider = { localName: a.name, keySpan: a.nameSpan, span: a.span, form: 'other', attributes: [], isDatadog: false };
    const node = a.value.kind === 'expression' && a.value.form === 'collection' ? objectOf(body.valueNodes.get(a)) : undefined;
    if (node) {
      entry.form = 'object';
      entry.attributes = objectAttributes(node, text);
      entry.source = attributeNamed(entry, 'source');
      entry.version = attributeNamed(entry, 'version');
    } else if (a.value.kind === 'string' || a.value.kind === 'template') {
      entry.form = 'string';
      entry.version = a;
    }
    const source = literalString(entry.source?.value);
    entry.isDatadog = source !== undefined ? isDatadogSource(source) : a.name === 'datadog';
    out.push(entry);
  }
  return out;
}

/** The `object` node of an `{ … }` value. */
function objectOf(value: Node | undefined): Node | undefined {
  let n = value;
  while (n && (n.type === 'expression' || n.type === 'collection_value') && n.namedChildCount === 1) n = n.namedChildren[0] ?? undefined;
  return n?.type === 'object' ? n : undefined;
}

function objectAttributes(object: Node, text: string): HclAttribute[] {
  const out: HclAttribute[] = [];
  for (const elem of object.namedChildren) {
    if (!elem || elem.type !== 'object_elem') continue;
    const key = elem.childForFieldName('key');
    const val = elem.childForFieldName('val');
    if (!key) continue;
    const name = objectKey(key, text);
    if (name === undefined) continue;
    const nameSpan = spanOf(key);
    out.push({ name, nameSpan, span: { start: nameSpan.start, end: val ? val.endIndex : elem.endIndex }, value: val ? classify(val, text) : invalid({ start: elem.endIndex, end: elem.endIndex }, 'missing') });
  }
  return out;
}


