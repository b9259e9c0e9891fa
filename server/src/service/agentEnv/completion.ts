// Completion in files that configure Agents by environment: the variable
// names where a name goes (`- name: DD_|` of a Kubernetes env list, a word
// starting with `DD_` anywhere: a compose key or list item, an ECS
// `"name": "DD_|"`), and values where a variable's value goes (`value: |`
// below its `name:`, `DD_X: |`, `DD_X=|`, `"value": "|"`). From the text
// around the cursor only, so half-typed lines that do not parse yet work.

import type { CompletionItem, Position, Range } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import { AWS_REGIONS } from '../common/awsRegions';
import { DATADOG_SITES } from '../common/sites';
import { ENV_VARIABLES, envVariable } from './names';
import { describeVariable } from './hover';

/** How many lines above a `value:` its `name:` may be (a comment or `valueFrom` between is rare). */
const NAME_LOOKBACK = 3;

export function agentEnvCompletion(index: TextIndex, pos: Position): CompletionItem[] {
  if (pos.line < 0 || pos.line >= index.lineCount || pos.character < 0) return [];
  const line = index.lineText(pos.line);
  const before = line.slice(0, pos.character);
  const after = /^[A-Za-z0-9_]*/.exec(line.slice(pos.character))?.[0].length ?? 0;

  // `DD_X: v`, `DD_X=v`, `"DD_X": "v`: the value of the variable on the left.
  const inline = /(DD_[A-Za-z0-9_]+)["']?\s*[:=]\s*["']?([^"'\s,}]*)$/.exec(before);
  if (inline && !/name["']?\s*:\s*["']?DD_[A-Za-z0-9_]*$/.test(before)) return valueItems(inline[1], range(pos, inline[2].length, 0));

  // `value: |` with its `name:` on the same line (flow map) or just above.
  const value = /(?:^|[\s{,])["']?value["']?\s*:\s*["']?([^"'\s,}]*)$/.exec(before);
  if (value) {
    const name = nameOnLine(before) ?? nameAbove(index, pos.line);
    return name ? valueItems(name, range(pos, value[1].length, 0)) : [];
  }

  // A name: after `name:`, or any word that starts with `DD_`.
  const name = /(?:^|[\s{,])["']?name["']?\s*:\s*["']?([A-Za-z0-9_]*)$/.exec(before) ?? /(?:^|[\s"'{,[-])(DD_[A-Za-z0-9_]*)$/.exec(before);
  if (name) return nameItems(range(pos, name[1].length, after), name[1]);
  return [];
}

function range(pos: Position, back: number, forward: number): Range {
  return { start: { line: pos.line, character: pos.character - back }, end: { line: pos.line, character: pos.character + forward } };
}

function nameOnLine(text: string): string | undefined {
  return /["']?name["']?\s*:\s*["']?(DD_[A-Za-z0-9_]+)/.exec(text)?.[1];
}

function nameAbove(index: TextIndex, line: number): string | undefined {
  for (let l = line - 1; l >= 0 && l >= line - NAME_LOOKBACK; l--) {
    const found = nameOnLine(index.lineText(l));
    if (found) return found;
  }
  return undefined;
}

function nameItems(r: Range, typed: string): CompletionItem[] {
  // After `name:` anything may be typed; elsewhere only a `DD_` word gets here.
  if (typed !== '' && !'DD_'.startsWith(typed.toUpperCase().slice(0, 3))) return [];
  return ENV_VARIABLES.map((v, i) => ({
    label: v.name,
    kind: 'property' as const,
    detail: `sets ${v.keyPath}`,
    documentation: describeVariable(v.name),
    range: r,
    // The global delegated-auth variables first, then per-product, then site and keys.
    sortText: `${v.section && !v.parent ? 0 : v.section ? 1 : 2}${String(i).padStart(3, '0')}`,
  }));
}

function valueItems(name: string, r: Range): CompletionItem[] {
  const v = envVariable(name);
  if (!v) return [];
  if (name === 'DD_SITE') return DATADOG_SITES.map((s) => ({ label: s.site, kind: 'value' as const, detail: `${s.label} · Agent flow: ${s.agentFlow}`, range: r }));
  if (v.parent !== null && v.parent !== undefined) return [];
  if (v.sectionKey === 'provider') return [{ label: 'aws', kind: 'enum', detail: 'the only provider', range: r }];
  if (v.sectionKey === 'aws.region') return AWS_REGIONS.map((region) => ({ label: region, kind: 'value' as const, detail: 'AWS region', range: r }));
  return [];
}
