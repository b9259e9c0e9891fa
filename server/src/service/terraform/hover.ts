// Hover in Terraform files: the cloud-auth attributes of `provider "datadog"`
// and every ARN pattern (a mapping resource's, or an entry of a collection).

import type { Hover, Position } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import { describeArn } from '../arn';
import { patternText } from './arnPatterns';
import { providerAttribute } from './attributes';
import type { Span } from './hcl';
import { literalString, type TerraformModel, type TfRequiredProvider } from './model';
import { MINIMUM_PROVIDER_VERSION } from './rules';
import { analyseMinimum } from './versionConstraint';

const inside = (span: Span, offset: number) => offset >= span.start && offset <= span.end;

export function terraformHover(model: TerraformModel, index: TextIndex, pos: Position): Hover | null {
  const offset = index.offsetAt(pos);
  for (const p of model.providers) {
    if (!inside(p.span, offset)) continue;
    for (const a of p.attributes) {
      if (!inside(a.nameSpan, offset)) continue;
      const info = providerAttribute(a.name);
      if (!info) return null;
      const lines = [`**\`${a.name}\`** · provider "datadog"${info.sensitive ? ' · sensitive' : ''}`, '', info.description];
      if (info.env.length) lines.push('', `Environment: ${info.env.map((e) => `\`${e}\``).join(', ')}`);
      if (info.since) lines.push('', `Cloud auth needs Datadog provider ${MINIMUM_PROVIDER_VERSION} or later.`);
      return { contents: lines.join('\n'), range: index.range(a.nameSpan.start, a.nameSpan.end) };
    }
  }
  for (const r of model.datadogRequirements) {
    const v = r.version?.value;
    if (inside(r.keySpan, offset) || (v && inside(v.span, offset))) {
      const span = v && inside(v.span, offset) ? v.span : r.keySpan;
      return { contents: requirementHover(r), range: index.range(span.start, span.end) };
    }
  }
  for (const p of model.arnPatterns) {
    const v = p.value;
    if (!inside(v.span, offset)) continue;
    const t = patternText(v, index.text);
    if (!t) return null;
    return { contents: describeArn(t.text, t.interpolations), range: index.range(v.span.start, v.span.end) };
  }
  return null;
}

/** What a `required_providers` entry for the Datadog provider admits, against what cloud auth needs. */
function requirementHover(r: TfRequiredProvider): string {
  const source = r.source ? literalString(r.source.value) : undefined;
  const constraint = r.version ? literalString(r.version.value) : undefined;
  const lines = [`**Datadog provider** \`${source ?? 'datadog/datadog'}\` · \`${r.localName}\``, ''];
  if (constraint === undefined) {
    lines.push(r.version ? 'The version constraint is an expression: not judged.' : 'No version constraint: `terraform init` takes the newest release (cloud auth needs ' + MINIMUM_PROVIDER_VERSION + ' or later).');
  } else {
    const a = analyseMinimum(constraint);
    if (a.error) lines.push(`\`${constraint}\` is not a version constraint Terraform accepts: ${a.error}.`);
    else if (!a.admitsAtLeastMinimum) lines.push(`\`${constraint}\` admits no version ${MINIMUM_PROVIDER_VERSION} or later: cloud auth (\`cloud_provider_type\`) is not available.`);
    else if (a.admitsBelowMinimum) lines.push(`\`${constraint}\` admits ${a.exampleBelow}, below ${MINIMUM_PROVIDER_VERSION}: those versions do not know cloud auth.`);
    else lines.push(`\`${constraint}\` admits only versions ${MINIMUM_PROVIDER_VERSION} or later (lowest: ${a.exampleAtLeast}): cloud auth is available.`);
  }
  lines.push('', `Cloud auth (\`cloud_provider_type\`, \`org_uuid\`) arrived in ${MINIMUM_PROVIDER_VERSION}; the \`datadog_aws_wif_*\` mapping resources in 4.x. The version actually used is the one \`.terraform.lock.hcl\` pins.`);
  return lines.join('\n');
}
