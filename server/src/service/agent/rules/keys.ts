// The keys of each delegated_auth section: agent/unknown-key,
// agent/legacy-key, agent/product-key-ignored, and agent/wrong-type for a key
// whose value has the wrong YAML shape.

import type { QuickFix } from '../../common/types';
import { closest } from '../../common/strings';
import type { AgentRuleContext } from '../context';
import { describeYamlType, shorten } from '../describe';
import { childIndent, columnOf, deleteEntry, detectIndentUnit, entryLinesAt, entryWrittenHere, insertLinesAfter, lastLineOfMap, replaceKey, replaceSpan } from '../edits';
import { AWS_KEYS, GLOBAL_ONLY_KEYS, LEGACY_KEYS, SECTION_KEYS } from '../keys';
import type { DelegatedAuthSection } from '../model';
import { lastEntry, type YEntry, type YMap } from '../yamlTree';

export function sectionKeys(ctx: AgentRuleContext): void {
  const global = ctx.model.sections.find((s) => s.supported && s.parent === null && s.value.kind === 'map');
  for (const s of ctx.model.sections) {
    if (!s.supported || s.repeat || s.value.kind !== 'map') continue;
    const map = s.value;
    for (const entry of map.entries) {
      if ((SECTION_KEYS as readonly string[]).includes(entry.key)) {
        checkShape(ctx, s, entry);
        if (s.parent !== null && (GLOBAL_ONLY_KEYS as readonly string[]).includes(entry.key)) productKeyIgnored(ctx, s, map, entry, global);
      } else if (LEGACY_KEYS.some((k) => k.name === entry.key)) {
        legacyKey(ctx, s, map, entry);
      } else {
        unknownKey(ctx, s, map, entry, SECTION_KEYS);
      }
    }
    const aws = lastEntry(map, 'aws');
    if (aws?.value.kind === 'map') {
      for (const entry of aws.value.entries) {
        if ((AWS_KEYS as readonly string[]).includes(entry.key)) checkShape(ctx, s, entry, 'aws.');
        else unknownKey(ctx, s, aws.value, entry, AWS_KEYS, 'aws.', aws);
      }
    }
  }
}

/**
 * Fixes edit the text where the entry is written: not through an alias or a
 * merge key (of the entry, of the `aws` mapping it is in, or of the section).
 */
function inPlace(ctx: AgentRuleContext, s: DelegatedAuthSection, map: YMap, entry: YEntry, aws?: YEntry): boolean {
  return s.writtenHere && !map.viaAlias && (!aws || entryWrittenHere(aws)) && entryWrittenHere(entry);
}

/** Fixes that insert or delete whole lines also need a block (not flow) map. */
function editable(ctx: AgentRuleContext, s: DelegatedAuthSection, map: YMap, entry: YEntry, aws?: YEntry): boolean {
  return !map.flow && inPlace(ctx, s, map, entry, aws);
}

function checkShape(ctx: AgentRuleContext, s: DelegatedAuthSection, entry: YEntry, prefix = ''): void {
  const v = entry.value;
  const wantsMap = entry.key === 'aws' && prefix === '';
  if (wantsMap) {
    if (v.kind === 'map' || (v.kind === 'scalar' && v.value === null)) return;
    ctx.report('agent/wrong-type', v, `\`${s.path}.aws\` must be a mapping (\`region: …\` below it), not ${describeYamlType(v)}.`, { about: 'aws' });
    return;
  }
  if (v.kind !== 'scalar') {
    const what = entry.key === 'refresh_interval_mins' ? 'an integer' : 'a string';
    ctx.report('agent/wrong-type', v, `\`${s.path}.${prefix}${entry.key}\` must be ${what}, not ${describeYamlType(v)}.`, { about: prefix + entry.key });
  }
}

function productKeyIgnored(ctx: AgentRuleContext, s: DelegatedAuthSection, map: YMap, entry: YEntry, global: DelegatedAuthSection | undefined): void {
  // Reached through an alias of the global section itself: where it is written, it takes effect.
  if (global && entry.keySpan.start >= global.value.start && entry.keySpan.end <= global.value.end) return;
  const fixes: QuickFix[] = [];
  if (editable(ctx, s, map, entry)) {
    const globalMap = global?.value.kind === 'map' ? global.value : undefined;
    if (global && globalMap && !globalMap.flow && global.writtenHere && !lastEntry(globalMap, entry.key)) {
      const keyLine = ctx.index.positionAt(global.keySpan.start).line;
      const indent = childIndent(ctx.index, globalMap, columnOf(ctx.index, global.keySpan.start));
      fixes.push({
        title: `Move \`${entry.key}\` to the global \`delegated_auth\` section`,
        edits: [insertLinesAfter(ctx.index, lastLineOfMap(ctx.index, globalMap, keyLine), entryLinesAt(ctx.index, entry, indent)), deleteEntry(ctx.index, entry)],
        isPreferred: true,
      });
    }
    fixes.push({ title: `Remove \`${entry.key}\` from \`${s.path}\``, edits: [deleteEntry(ctx.index, entry)] });
  }
  ctx.report(
    'agent/product-key-ignored',
    entry.keySpan,
    `\`${entry.key}\` has no effect in \`${s.path}\`: the Agent reads \`provider\`, \`aws\` and \`refresh_interval_mins\` from the global \`delegated_auth\` section only. Move it there or remove it.`,
    { fixes, about: '' },
  );
}

function legacyKey(ctx: AgentRuleContext, s: DelegatedAuthSection, map: YMap, entry: YEntry): void {
  const fixes: QuickFix[] = [];
  let message: string;
  const canEdit = editable(ctx, s, map, entry);
  if (entry.key === 'enabled') {
    message = `\`enabled\` is a pre-release key the Agent no longer reads: setting \`org_uuid\` is what turns delegated authentication on. Remove it.`;
    if (canEdit) fixes.push({ title: 'Remove `enabled`', edits: [deleteEntry(ctx.index, entry)], isPreferred: true });
  } else if (entry.key === 'aws_region') {
    message = `\`aws_region\` is a pre-release key the Agent no longer reads; the STS region is now \`aws.region\`.`;
    if (canEdit) {
      const fix = moveToAwsRegion(ctx, map, entry);
      if (fix) fixes.push(fix);
    }
  } else {
    const seconds = entry.value.kind === 'scalar' ? Number(entry.value.value) : NaN;
    const minutes = Number.isFinite(seconds) && seconds > 0 ? Math.max(1, Math.round(seconds / 60)) : undefined;
    message = `\`refresh_interval\` (seconds) is a pre-release key the Agent no longer reads; use \`refresh_interval_mins\` (minutes)${minutes !== undefined ? `: ${seconds} s is ${minutes} min` : ''}.`;
    if (canEdit) {
      if (lastEntry(map, 'refresh_interval_mins')) {
        fixes.push({ title: 'Remove `refresh_interval` (`refresh_interval_mins` is already set)', edits: [deleteEntry(ctx.index, entry)], isPreferred: true });
      } else if (minutes !== undefined) {
        fixes.push({
          title: `Replace with \`refresh_interval_mins: ${minutes}\``,
          edits: [replaceSpan(ctx.index, { start: entry.keySpan.start, end: entry.value.end }, `refresh_interval_mins: ${minutes}`)],
          isPreferred: true,
        });
      } else {
        fixes.push({ title: 'Rename to `refresh_interval_mins`', edits: [replaceKey(ctx.index, entry, 'refresh_interval_mins')] });
      }
    }
  }
  ctx.report('agent/legacy-key', entry.keySpan, message, { fixes, data: { legacyKey: entry.key } });
}

/** Turns `aws_region: x` (or a misplaced `region: x`) into `aws:\n  region: x`, or into the existing `aws` mapping. */
function moveToAwsRegion(ctx: AgentRuleContext, map: YMap, entry: YEntry): QuickFix | undefined {
  const valueText = ctx.text.slice(entry.value.start, entry.value.end).trim();
  const aws = lastEntry(map, 'aws');
  if (!aws) {
    const column = columnOf(ctx.index, entry.keySpan.start);
    const indent = ' '.repeat(column + detectIndentUnit(ctx.index));
    return {
      title: `Replace with \`aws:\` / \`region: ${valueText}\``,
      edits: [replaceSpan(ctx.index, { start: entry.keySpan.start, end: entry.value.end }, `aws:${ctx.index.eol}${indent}region: ${valueText}`)],
      isPreferred: true,
    };
  }
  if (aws.value.kind === 'map' && lastEntry(aws.value, 'region')) {
    return { title: `Remove \`${entry.key}\` (\`aws.region\` is already set)`, edits: [deleteEntry(ctx.index, entry)], isPreferred: true };
  }
  if (!entryWrittenHere(aws)) return undefined;
  if (aws.value.kind === 'scalar' && aws.value.value === null && aws.value.end <= aws.value.start) {
    // `aws:` with nothing below it yet.
    const keyLine = ctx.index.positionAt(aws.keySpan.start).line;
    const indent = childIndent(ctx.index, undefined, columnOf(ctx.index, aws.keySpan.start));
    return {
      title: `Move to \`aws.region: ${valueText}\``,
      edits: [insertLinesAfter(ctx.index, keyLine, [`${indent}region: ${valueText}`]), deleteEntry(ctx.index, entry)],
      isPreferred: true,
    };
  }
  if (aws.value.kind === 'map' && !aws.value.flow && aws.value.entries.length > 0) {
    const keyLine = ctx.index.positionAt(aws.keySpan.start).line;
    const indent = childIndent(ctx.index, aws.value, columnOf(ctx.index, aws.keySpan.start));
    return {
      title: `Move to \`aws.region: ${valueText}\``,
      edits: [insertLinesAfter(ctx.index, lastLineOfMap(ctx.index, aws.value, keyLine), [`${indent}region: ${valueText}`]), deleteEntry(ctx.index, entry)],
      isPreferred: true,
    };
  }
  return undefined;
}

function unknownKey(ctx: AgentRuleContext, s: DelegatedAuthSection, map: YMap, entry: YEntry, known: readonly string[], prefix = '', aws?: YEntry): void {
  const where = `\`${s.path}${prefix ? '.' + prefix.slice(0, -1) : ''}\``;
  const fixes: QuickFix[] = [];
  let hint: string;
  if (prefix === '' && entry.key === 'region') {
    hint = 'the STS region goes under `aws:` as `aws.region`';
    if (editable(ctx, s, map, entry)) {
      const fix = moveToAwsRegion(ctx, map, entry);
      if (fix) fixes.push(fix);
    }
  } else {
    // A known key already set is no suggestion (asked per known key: the map may hold thousands).
    const suggestion = closest(entry.key, known.filter((k) => !lastEntry(map, k)));
    hint = suggestion ? `did you mean \`${suggestion}\`?` : `known keys: ${known.map((k) => `\`${k}\``).join(', ')}`;
    // A rename only replaces the key's text, so it is safe in a flow map too.
    if (suggestion && inPlace(ctx, s, map, entry, aws)) fixes.push({ title: `Rename to \`${suggestion}\``, edits: [replaceKey(ctx.index, entry, suggestion)], isPreferred: true });
  }
  ctx.report('agent/unknown-key', entry.keySpan, `Unknown key \`${shorten(entry.key)}\` in ${where}: ${hint}`, { fixes, about: '' });
}
