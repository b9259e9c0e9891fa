// Completion inside `provider "datadog"`: the cloud-auth attribute names not
// yet written, `cloud_provider_type` values and region names. Works on the
// line being typed, which may not parse yet.

import type { CompletionItem, Position } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import { AWS_REGIONS } from '../common/awsRegions';
import { PROVIDER_ATTRIBUTES } from './attributes';
import type { TerraformModel } from './model';

export function terraformCompletion(model: TerraformModel, index: TextIndex, pos: Position): CompletionItem[] {
  if (pos.line < 0 || pos.line >= index.lineCount) return [];
  const offset = index.offsetAt(pos);
  const block = model.providers.find((p) => p.openBrace && offset >= p.openBrace.end && offset <= (p.closeBrace?.start ?? index.text.length));
  if (!block) return [];
  const before = index.lineText(pos.line).slice(0, pos.character);

  const value = /^\s*(cloud_provider_type|cloud_provider_region)\s*=\s*("?)([A-Za-z0-9-]*)$/.exec(before);
  if (value) {
    const [, name, quote, partial] = value;
    const range = { start: { line: pos.line, character: pos.character - partial.length - quote.length }, end: pos };
    const wrap = (v: string) => `"${v}"`;
    if (name === 'cloud_provider_type') return [{ label: '"aws"', kind: 'enum', detail: 'Amazon Web Services (the only cloud provider)', insertText: wrap('aws'), range, filterText: `${quote}aws` }];
    return AWS_REGIONS.map((r, i) => ({ label: wrap(r), kind: 'enum' as const, detail: `STS endpoint sts.${r}.amazonaws.com`, insertText: wrap(r), range, filterText: `${quote}${r}`, sortText: String(i).padStart(2, '0') }));
  }

  const key = /^(\s*)([a-z_]*)$/.exec(before);
  if (!key) return [];
  const present = new Set(block.attributes.map((a) => a.name));
  const range = { start: { line: pos.line, character: pos.character - key[2].length }, end: pos };
  return PROVIDER_ATTRIBUTES.filter((a) => !present.has(a.name)).map((a, i) => ({
    label: a.name,
    kind: 'property' as const,
    detail: a.since ? `cloud auth (provider ≥ ${a.since})` : 'provider "datadog"',
    documentation: a.description + (a.env.length ? `\n\nEnvironment: ${a.env.map((e) => `\`${e}\``).join(', ')}` : ''),
    insertText: a.name === 'cloud_provider_type' ? 'cloud_provider_type = "aws"' : a.name === 'validate' ? 'validate = ${1|true,false|}' : `${a.name} = \${1}`,
    isSnippet: a.name !== 'cloud_provider_type',
    range,
    sortText: `${a.since ? 0 : 1}${String(i).padStart(2, '0')}`,
  }));
}
