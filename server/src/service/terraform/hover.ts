// Hover in Terraform files: the cloud-auth attributes of `provider "datadog"`
// and the ARN patterns of mapping resources.

import type { Hover, Position } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import { describeArn } from '../arn';
import { providerAttribute } from './attributes';
import type { Span } from './hcl';
import type { TerraformModel } from './model';
import { MINIMUM_PROVIDER_VERSION } from './rules';

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
  for (const m of model.mappings) {
    const v = m.arnPattern?.value;
    if (!v || !inside(v.span, offset)) continue;
    const pattern = v.kind === 'string' ? v.value : v.kind === 'template' ? v.raw : undefined;
    if (pattern === undefined) return null;
    return { contents: describeArn(pattern), range: index.range(v.span.start, v.span.end) };
  }
  return null;
}
