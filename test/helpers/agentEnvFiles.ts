// For the tests of the agentEnv readers: spans of caret-marked text as
// offsets, and a reader's result as one line per fact, the file's characters
// quoted, so a test states what it expects in the words of the file.

import { TextIndex } from '../../server/src/service/common/textIndex';
import type { AgentEnvFile, AgentWorkload, SettingValue } from '../../server/src/service/agentEnv/settings';
import type { Marked } from './markers';

export interface Span {
  start: number;
  end: number;
}

/** The marked ranges as offsets, in order. */
export function markedSpans(m: Marked): Span[] {
  const index = new TextIndex(m.text);
  return m.ranges.map((r) => ({ start: index.offsetAt(r.start), end: index.offsetAt(r.end) }));
}

const q = (text: string, s: Span) => JSON.stringify(text.slice(s.start, s.end));

function value(text: string, v: SettingValue): string {
  if (v.kind === 'unknown') return `unknown ${q(text, v.span)} (${v.source})`;
  const inner = v.inner ? ` inner=${q(text, v.inner)}` : '';
  return `literal ${JSON.stringify(v.text)} ${v.syntax}${v.replaceable ? ' replaceable' : ''} at ${q(text, v.span)}${inner}`;
}

/** One line per workload, setting, source the file does not show, image and role. */
export function describeWorkload(text: string, w: AgentWorkload): string[] {
  const out = [`${w.form} ${w.label} @${q(text, w.anchor)}`];
  for (const s of w.settings) out.push(`  ${s.name}${s.label !== s.name ? ` (${s.label})` : ''} @${q(text, s.nameSpan)} = ${value(text, s.value)}`);
  for (const o of w.opaqueSources) out.push(`  + ${o.what} @${q(text, o.span)}`);
  for (const i of w.images) out.push(`  image ${i.repository ?? ''}${i.tag ? ` tag ${i.tag}` : ''}${i.unknown ? ' (unknown)' : ''} @${q(text, i.span)}`);
  if (w.role) out.push(`  role ${w.role.via} ${w.role.arn ?? w.role.reference ?? w.role.roleName ?? '?'} @${q(text, w.role.span)}`);
  return out;
}

export function describeFile(text: string, file: AgentEnvFile): string[] {
  return file.workloads.flatMap((w) => describeWorkload(text, w));
}

/** Every span of a reader's result lies within the text (start <= end). */
export function spansWithin(text: string, file: AgentEnvFile): boolean {
  const ok = (s: Span) => Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= text.length;
  return file.workloads.every(
    (w) =>
      ok(w.anchor) &&
      w.settings.every((s) => ok(s.nameSpan) && ok(s.value.span) && (s.value.kind !== 'literal' || !s.value.inner || ok(s.value.inner))) &&
      w.opaqueSources.every((o) => ok(o.span)) &&
      w.images.every((i) => ok(i.span)) &&
      (!w.role || ok(w.role.span)),
  );
}
