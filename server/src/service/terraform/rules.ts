// Every tf/* rule, and the arn/* rules on every `arn_pattern` of the file.
// Values that are expressions (var.x, local.x, calls, conditionals) are never
// judged; attributes that may come from the environment give hints, not errors.

import type { QuickFix, TextEdit } from '../common/types';
import { AWS_REGIONS, OTHER_PARTITION_REGIONS, isKnownRegion, isWellFormedRegion } from '../common/awsRegions';
import { accountIdentifierKind, isUuid, secretKind } from '../common/identifiers';
import { DATADOG_SITES } from '../common/sites';
import { closest } from '../common/strings';
import { findOverlaps, lintArnPattern, overlapWitness } from '../arn';
import type { TfRuleContext } from './context';
import type { Span } from './hcl';
import { patternText, quotedPattern, sourceSpan, type TfArnPattern } from './arnPatterns';
import { attributeNamed, literalString, type TerraformLockModel, type HclAttribute, type HclValue, type TfProviderBlock } from './model';
import { analyseMinimum, raiseToMinimum } from './versionConstraint';

export const MINIMUM_PROVIDER_VERSION = '3.70.0';

/**
 * The provider blocks that configure cloud auth: a `cloud_provider_type`
 * attribute with any value but the empty string (which the provider reads as
 * unset, falling back to keys).
 */
export function usesCloudAuth(p: TfProviderBlock): boolean {
  const cloud = attributeNamed(p, 'cloud_provider_type');
  return !!cloud && literalString(cloud.value) !== '';
}

export function runTerraformRules(ctx: TfRuleContext): void {
  for (const p of ctx.model.providers) providerBlock(ctx, p);
  versionConstraints(ctx);
  mappings(ctx);
}

/** The text between the quotes of a literal string (where a replacement goes), or undefined. */
function stringInner(v: HclValue): Span | undefined {
  return v.kind === 'string' ? v.innerSpan : undefined;
}

/** Whole lines of an attribute, for removing it. */
function attributeLines(ctx: TfRuleContext, a: HclAttribute): Span {
  const first = ctx.index.positionAt(a.span.start).line;
  const last = ctx.index.positionAt(Math.max(a.span.start, a.span.end - 1)).line;
  return { start: ctx.index.lineStart(first), end: ctx.index.lineEndWithBreak(last) };
}

function providerName(p: TfProviderBlock): string {
  return p.alias ? `provider "${p.localName}" (alias "${p.alias}")` : `provider "${p.localName}"`;
}

function providerBlock(ctx: TfRuleContext, p: TfProviderBlock): void {
  const cloud = attributeNamed(p, 'cloud_provider_type');
  const orgUuid = attributeNamed(p, 'org_uuid');

  if (cloud) {
    const value = literalString(cloud.value);
    if (value !== undefined && value !== 'aws') {
      const inner = stringInner(cloud.value);
      ctx.report('tf/cloud-provider-type-invalid', cloud.value.span, `\`cloud_provider_type\` must be "aws" (the only cloud Datadog's delegated auth supports), not "${value}".`, {
        fixes: inner ? [{ title: 'Replace with "aws"', edits: [ctx.edit(inner, 'aws')], isPreferred: true }] : [],
      });
    }
    // The provider's `validate` is a string attribute ("true" / "false"): `false` and `"false"` both turn the check off.
    const validate = attributeNamed(p, 'validate');
    const validateOff = (validate?.value.kind === 'bool' && validate.value.value === false) || literalString(validate?.value) === 'false';
    const on = usesCloudAuth(p);
    if (on && !orgUuid && !validateOff) {
      ctx.report(
        'tf/org-uuid-missing',
        cloud.nameSpan,
        `${providerName(p)} uses cloud auth without \`org_uuid\`: the provider needs the org UUID (it may come from \`DD_ORG_UUID\` / \`DATADOG_ORG_UUID\` in the environment).`,
        { fixes: [{ title: 'Insert `org_uuid = var.datadog_org_uuid`', edits: insertOrgUuid(ctx, p, cloud), isPreferred: true }] },
      );
    }
    for (const name of ['api_key', 'app_key']) {
      const key = attributeNamed(p, name);
      if (!key || !on) continue;
      ctx.report('tf/cloud-auth-with-keys', key.nameSpan, `\`${name}\` is ignored when \`cloud_provider_type\` is set: cloud auth takes precedence over API and application keys. Remove it.`, {
        fixes: [{ title: `Remove \`${name}\``, edits: [ctx.edit(attributeLines(ctx, key), '')] }],
      });
    }
  }

  if (orgUuid) {
    const value = literalString(orgUuid.value);
    if (value !== undefined) {
      const secret = secretKind(value.trim());
      if (secret) {
        ctx.report('tf/secret-in-org-uuid', orgUuid.value.span, `\`org_uuid\` holds what looks like a Datadog ${secret}, not an org UUID. Remove it (and rotate the key if this file was shared); the org UUID is 8-4-4-4-12 hex.`);
      } else if (!isUuid(value)) {
        ctx.report('tf/org-uuid-invalid', orgUuid.value.span, `\`org_uuid\` must be a UUID (8-4-4-4-12 hexadecimal digits), not "${value.length > 48 ? value.slice(0, 47) + '…' : value}".`);
      }
    }
  }

  const credentials = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'].map((n) => attributeNamed(p, n));
  for (const a of credentials) {
    if (!a) continue;
    const literal = a.value.kind === 'string' || (a.value.kind === 'heredoc' && !a.value.templated) || (a.value.kind === 'template' && a.value.parts.every((x) => x.kind === 'literal'));
    // An empty string carries no credential (the provider reads it as unset).
    if (literal && literalString(a.value) !== '') {
      ctx.report('tf/hardcoded-aws-credential', a.value.span, `\`${a.name}\` is written into the file. Never commit AWS credentials: pass them in a variable (or let the provider read \`AWS_*\` from the environment).`, {
        fixes: [{ title: `Replace with \`var.${a.name}\``, edits: [ctx.edit(a.value.span, `var.${a.name}`)], isPreferred: true }],
      });
    }
  }
  const [keyId, secretKey] = credentials;
  if (keyId && !secretKey) ctx.report('tf/aws-credentials-incomplete', keyId.nameSpan, '`aws_access_key_id` without `aws_secret_access_key`: the provider needs both, or neither (to use the environment).');
  if (secretKey && !keyId) ctx.report('tf/aws-credentials-incomplete', secretKey.nameSpan, '`aws_secret_access_key` without `aws_access_key_id`: the provider needs both, or neither (to use the environment).');

  const region = attributeNamed(p, 'cloud_provider_region');
  const regionValue = region && literalString(region.value);
  if (region && regionValue !== undefined && regionValue !== '' && !isKnownRegion(regionValue)) {
    const suggestion = closest(regionValue.toLowerCase(), AWS_REGIONS, 4);
    const inner = stringInner(region.value);
    const fixes: QuickFix[] = suggestion && inner ? [{ title: `Replace with "${suggestion}"`, edits: [ctx.edit(inner, suggestion)], isPreferred: true }] : [];
    if (OTHER_PARTITION_REGIONS.includes(regionValue)) ctx.report('tf/cloud-provider-region-invalid', region.value.span, `"${regionValue}" belongs to another AWS partition; Datadog only accepts proofs from the \`aws\` partition's STS.`, { severity: 'warning' });
    else if (!isWellFormedRegion(regionValue)) ctx.report('tf/cloud-provider-region-invalid', region.value.span, `"${regionValue}" is not an AWS region name (like "us-east-1").${suggestion ? ` Did you mean "${suggestion}"?` : ''} Leave it out for global STS.`, { severity: 'error', fixes });
    else ctx.report('tf/cloud-provider-region-invalid', region.value.span, `"${regionValue}" is not a known AWS region.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, { severity: 'warning', fixes });
  }

  const apiUrl = attributeNamed(p, 'api_url');
  const url = apiUrl && literalString(apiUrl.value);
  if (apiUrl && url !== undefined && url.trim() !== '' && !isKnownApiUrl(url)) {
    ctx.report('tf/unknown-api-url', apiUrl.value.span, `"${url}" is not a known Datadog API host (${DATADOG_SITES.map((s) => s.apiHost).join(', ')}). A login test will not send a proof there unless the host is allowed in user settings.`);
  }
}

/**
 * `org_uuid = var.datadog_org_uuid` on a new line after `cloud_provider_type`, with its indentation.
 * When the block's `}` is on that same line (`provider "datadog" { cloud_provider_type = "aws" }`),
 * a line after it would be outside the block: the block is opened onto several lines instead.
 */
function insertOrgUuid(ctx: TfRuleContext, p: TfProviderBlock, cloud: HclAttribute): TextEdit[] {
  const eol = ctx.index.eol;
  const line = ctx.index.positionAt(cloud.span.start).line;
  const lastLine = Math.max(line, ctx.index.positionAt(Math.max(cloud.span.start, cloud.span.end - 1)).line);
  const insertion = 'org_uuid = var.datadog_org_uuid';
  // (Indentation is spaces and tabs: `\s` would also copy a byte order mark or a form feed.)
  const close = p.closeBrace;
  if (close && close.start >= cloud.span.end && ctx.index.positionAt(close.start).line === lastLine) {
    const headerIndent = ctx.index.lineText(ctx.index.positionAt(p.span.start).line).match(/^[ \t]*/)![0];
    const open = p.openBrace;
    const sameLineAsOpen = !!open && open.end <= cloud.span.start && ctx.index.positionAt(open.end).line === line;
    const attrIndent = sameLineAsOpen ? `${headerIndent}  ` : ctx.index.lineText(line).match(/^[ \t]*/)![0];
    const edits: TextEdit[] = [];
    // Only white space is replaced: a comment between the attribute and a brace stays where it is.
    const gap = (start: number, end: number) => ({ start, end: /^[ \t]*$/.test(ctx.text.slice(start, end)) ? end : start });
    if (sameLineAsOpen) edits.push(ctx.edit(gap(open!.end, cloud.span.start), `${eol}${attrIndent}`));
    edits.push(ctx.edit(gap(cloud.span.end, close.start), `${eol}${attrIndent}${insertion}${eol}${headerIndent}`));
    return edits;
  }
  const indent = ctx.index.lineText(line).match(/^[ \t]*/)![0];
  const at = ctx.index.lineEndWithBreak(lastLine);
  const needsBreak = at === ctx.text.length && !/\n$/.test(ctx.text);
  return [ctx.edit({ start: at, end: at }, `${needsBreak ? eol : ''}${indent}${insertion}${eol}`)];
}

export function isKnownApiUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(/^[a-z]+:\/\//i.test(url) ? url : `https://${url}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  return DATADOG_SITES.some((s) => host === s.apiHost || host === `app.${s.site}` || host === s.site);
}

function versionConstraints(ctx: TfRuleContext): void {
  if (!ctx.folder.cloudAuth) return;
  for (const r of ctx.model.datadogRequirements) {
    const v = r.version;
    const text = v && literalString(v.value);
    if (!v || text === undefined) continue;
    const analysis = analyseMinimum(text, MINIMUM_PROVIDER_VERSION);
    if (analysis.error) continue;
    const inner = stringInner(v.value);
    const fixes: QuickFix[] = inner ? [{ title: `Raise the constraint to "${raiseToMinimum(text, MINIMUM_PROVIDER_VERSION)}"`, edits: [ctx.edit(inner, raiseToMinimum(text, MINIMUM_PROVIDER_VERSION))], isPreferred: true }] : [];
    if (!analysis.admitsAtLeastMinimum) {
      ctx.report('tf/provider-version-too-old', v.value.span, `"${text}" admits no Datadog provider version ${MINIMUM_PROVIDER_VERSION} or later, and cloud auth (\`cloud_provider_type\`) needs ${MINIMUM_PROVIDER_VERSION}.`, { severity: 'error', fixes });
    } else if (analysis.admitsBelowMinimum) {
      ctx.report(
        'tf/provider-version-too-old',
        v.value.span,
        `"${text}" also admits provider versions below ${MINIMUM_PROVIDER_VERSION}${analysis.exampleBelow ? ` (e.g. ${analysis.exampleBelow})` : ''}, which do not know cloud auth. Raise the lower bound.`,
        { severity: 'warning', fixes },
      );
    }
  }
}


function mappings(ctx: TfRuleContext): void {
  for (const r of ctx.model.mappings) {
    const account = r.accountIdentifier;
    const accountValue = account && literalString(account.value);
    if (account && accountValue !== undefined && r.type !== 'datadog_aws_wif_intake_mapping' && accountIdentifierKind(accountValue) === 'invalid') {
      ctx.report('tf/account-identifier-invalid', account.value.span, `\`account_identifier\` must be a user's email, a handle or a service account UUID, not "${accountValue}".`);
    }
  }
  arnPatterns(ctx);
}

/** The arn/* rules on every `arn_pattern` of the file (arnPatterns.ts), and overlaps within each group. */
function arnPatterns(ctx: TfRuleContext): void {
  const byGroup = new Map<string, { entry: TfArnPattern; pattern: string }[]>();
  for (const entry of ctx.model.arnPatterns) {
    const v = entry.value;
    const t = patternText(v, ctx.text);
    if (!t) continue;
    for (const f of lintArnPattern(t.text, t.interpolations)) {
      // A heredoc always ends with a line break, which Terraform sends as part of the value.
      const heredocBreak = v.kind === 'heredoc' && f.code === 'arn/whitespace' && f.end === t.text.length && t.text.endsWith('\n');
      const span = heredocBreak ? v.span : sourceSpan(t, f.start, f.end);
      const message = heredocBreak
        ? 'A heredoc ends with a line break, and Terraform sends it as part of the pattern: it can never match a caller ARN. Write the pattern as a quoted string (or wrap the heredoc in `chomp()`).'
        : f.message;
      const fixes: QuickFix[] = [];
      const written = f.fix && quotedPattern(f.fix.replacement, t);
      if (f.fix && written !== undefined) {
        const edit = v.kind === 'heredoc' ? ctx.edit(v.span, `"${written}"`) : ctx.edit((v as { innerSpan: Span }).innerSpan, written);
        fixes.push({ title: heredocBreak ? 'Write the pattern as a quoted string' : f.fix.title, edits: [edit], isPreferred: true });
      }
      ctx.report(f.code, span, message, { severity: f.severity, fixes });
    }
    const list = byGroup.get(entry.group) ?? [];
    list.push({ entry, pattern: t.text });
    byGroup.set(entry.group, list);
  }
  for (const list of byGroup.values()) {
    // One finding per pattern that overlaps an earlier one, naming the first; the related information a few others.
    for (const o of findOverlaps(list.map((x) => x.pattern))) {
      const first = list[o.first].entry;
      const reported = list[o.index].entry;
      const kind = reported.kind;
      const subject = kind ? `This ${kind} mapping${reported.direct ? '' : ' pattern'}` : 'This pattern';
      const where = kind ? '' : ` in \`${reported.group}\``;
      const more = o.count - 1;
      const others = more ? `, and ${more} more ${reported.direct ? 'mapping' : 'pattern'}${more === 1 ? '' : 's'} of this ${kind ? 'file' : 'collection'} overlap${more === 1 ? 's' : ''} it` : '';
      ctx.report(
        'arn/overlapping-patterns',
        reported.value.span,
        `${subject} can match the same caller as ${nameOf(ctx, first)} (both match \`${o.witness}\`)${where}${others}: the API refuses a pattern that conflicts with an existing mapping.`,
        { related: o.others.map((j) => ({ span: list[j].entry.value.span, message: `${nameOf(ctx, list[j].entry)} overlaps it: both match \`${overlapWitness(list[o.index].pattern, list[j].pattern)}\`.` })) },
      );
    }
  }
}

/** `datadog_aws_wif_identity_mapping.ci`, or `the pattern on line 12 (local.roles)`. */
function nameOf(ctx: TfRuleContext, p: TfArnPattern): string {
  return p.direct ? p.owner : `the pattern on line ${ctx.index.positionAt(p.value.span.start).line + 1} (${p.owner})`;
}

/** .terraform.lock.hcl: a pinned Datadog provider below the minimum, where cloud auth is used in the folder. */
export function lockFileRules(ctx: TfRuleContext, lock: TerraformLockModel): void {
  if (!ctx.folder.cloudAuth || !lock.datadog?.version) return;
  const v = lock.datadog.version;
  const version = literalString(v.value);
  if (version === undefined) return;
  const analysis = analyseMinimum(`= ${version}`, MINIMUM_PROVIDER_VERSION);
  if (!analysis.error && !analysis.admitsAtLeastMinimum) {
    ctx.report('tf/provider-version-too-old', v.value.span, `The lock file pins the Datadog provider at ${version}; cloud auth needs ${MINIMUM_PROVIDER_VERSION} or later. Raise the constraint and run \`terraform init -upgrade\`.`, { severity: 'error' });
  }
}
