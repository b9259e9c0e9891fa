// The values of each delegated_auth section: org_uuid (missing, invalid, a
// pasted secret), provider, aws.region and refresh_interval_mins.

import type { QuickFix } from '../../common/types';
import { shorten } from '../describe';
import { isValidProvider, judgeOrgUuid, judgeRefreshInterval, judgeRegion } from '../judgments';
import type { AgentRuleContext } from '../context';
import { childIndent, columnOf, entryWrittenHere, insertLinesAfter, replaceScalar } from '../edits';
import type { DelegatedAuthSection } from '../model';
import { lastEntry, scalarString, type YScalar } from '../yamlTree';

export function orgUuid(ctx: AgentRuleContext): void {
  for (const s of ctx.model.sections) {
    if (!s.supported) continue;
    const v = s.value;
    if (v.kind !== 'map' && !(v.kind === 'scalar' && v.value === null)) continue; // wrong-type says it
    const entry = v.kind === 'map' ? lastEntry(v, 'org_uuid') : undefined;
    if (!entry) {
      ctx.report('agent/org-uuid-missing', s.keySpan, `\`${s.path}\` has no \`org_uuid\`, so delegated authentication stays off${s.parent ? ` for \`${s.parent}\`` : ''}. Add your Datadog org UUID.`, {
        fixes: insertOrgUuid(ctx, s),
      });
      continue;
    }
    // A list or a map is wrong-type's; a value an earlier section judged (one anchor, two aliases) is judged.
    if (entry.value.kind !== 'scalar' || s.repeat) continue;
    checkOrgUuidValue(ctx, s, entry.keySpan, entry.value);
  }
}

function insertOrgUuid(ctx: AgentRuleContext, s: DelegatedAuthSection): QuickFix[] {
  const v = s.value;
  // Own entries come first: a merged one, if any, is last.
  if (!s.writtenHere || (v.kind === 'map' && (v.flow || !!v.entries[v.entries.length - 1]?.merged))) return [];
  const keyLine = ctx.index.positionAt(s.keySpan.start).line;
  const indent = childIndent(ctx.index, v.kind === 'map' ? v : undefined, columnOf(ctx.index, s.keySpan.start));
  // The `delegated_auth:` line must end after its key (no inline value to split).
  if (v.kind === 'scalar' && v.end > v.start) return [];
  return [{ title: 'Insert `org_uuid: `', edits: [insertLinesAfter(ctx.index, keyLine, [`${indent}org_uuid: `])], isPreferred: true }];
}

function checkOrgUuidValue(ctx: AgentRuleContext, s: DelegatedAuthSection, keySpan: { start: number; end: number }, value: YScalar): void {
  const text = scalarString(value);
  const verdict = judgeOrgUuid(text);
  if (verdict.kind === 'empty') {
    ctx.report('agent/org-uuid-missing', keySpan, `\`${s.path}.org_uuid\` is empty, so delegated authentication stays off. Set it to your Datadog org UUID.`, { about: 'empty' });
  } else if (verdict.kind === 'pasted-secret') {
    ctx.report(
      'agent/secret-in-org-uuid',
      value,
      `\`org_uuid\` holds what looks like a Datadog ${verdict.secret}, not an org UUID. Remove it from this file (and rotate it if the file was shared); the org UUID is 8-4-4-4-12 hex, shown under Organization Settings.`,
    );
  } else if (verdict.kind === 'shell-reference') {
    ctx.report(
      'agent/org-uuid-invalid',
      value,
      `The Agent does not expand \`${shorten(text.trim())}\` in datadog.yaml. Write the org UUID here, or set it in the environment as \`DD_${s.path.toUpperCase().replace(/\./g, '_')}_ORG_UUID\`.`,
      { about: 'shell' },
    );
  } else if (verdict.kind === 'not-a-uuid') {
    ctx.report('agent/org-uuid-invalid', value, `\`org_uuid\` must be a UUID (8-4-4-4-12 hexadecimal digits, e.g. 11111111-2222-3333-4444-555555555555), not \`${shorten(text)}\`.`);
  }
}

export function providerValue(ctx: AgentRuleContext): void {
  for (const s of ctx.model.sections) {
    // In a per-product section the key has no effect: agent/product-key-ignored says so, once.
    if (!s.supported || s.parent !== null || s.value.kind !== 'map') continue;
    const entry = lastEntry(s.value, 'provider');
    if (!entry || entry.value.kind !== 'scalar' || entry.value.value === null) continue;
    const text = scalarString(entry.value);
    if (isValidProvider(text)) continue;
    const fixes: QuickFix[] = !entryWrittenHere(entry) || !s.writtenHere ? [] : [{ title: 'Replace with `aws`', edits: [replaceScalar(ctx.index, entry.value, 'aws')], isPreferred: true }];
    ctx.report('agent/provider-invalid', entry.value, `\`provider\` must be \`aws\` (the only provider delegated authentication supports), not \`${shorten(text)}\`. Leave it out to auto-detect.`, { fixes });
  }
}

export function awsRegion(ctx: AgentRuleContext): void {
  for (const s of ctx.model.sections) {
    // In a per-product section the key has no effect: agent/product-key-ignored says so, once.
    if (!s.supported || s.parent !== null || s.value.kind !== 'map') continue;
    const aws = lastEntry(s.value, 'aws');
    if (aws?.value.kind !== 'map') continue;
    const entry = lastEntry(aws.value, 'region');
    if (!entry || entry.value.kind !== 'scalar' || entry.value.value === null) continue;
    const region = scalarString(entry.value);
    const verdict = judgeRegion(region);
    if (verdict.kind === 'ok') continue;
    const suggestion = verdict.kind === 'other-partition' ? undefined : verdict.suggestion;
    const writtenHere = s.writtenHere && entryWrittenHere(aws) && entryWrittenHere(entry);
    const fixes: QuickFix[] = suggestion && writtenHere ? [{ title: `Replace with \`${suggestion}\``, edits: [replaceScalar(ctx.index, entry.value, suggestion)], isPreferred: true }] : [];
    const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : '';
    if (verdict.kind === 'other-partition') {
      ctx.report('agent/region-invalid', entry.value, `\`${region}\` belongs to another AWS partition; Datadog only accepts proofs from the \`aws\` partition's STS.`, { severity: 'warning' });
    } else if (verdict.kind === 'malformed') {
      ctx.report('agent/region-invalid', entry.value, `\`${shorten(region)}\` is not an AWS region name (like \`us-east-1\`).${hint} Leave it empty for global STS.`, { severity: 'error', fixes });
    } else {
      ctx.report('agent/region-invalid', entry.value, `\`${shorten(region)}\` is not a known AWS region.${hint}`, { severity: 'warning', fixes });
    }
  }
}

export function refreshInterval(ctx: AgentRuleContext): void {
  for (const s of ctx.model.sections) {
    // In a per-product section the key has no effect: agent/product-key-ignored says so, once.
    if (!s.supported || s.parent !== null || s.value.kind !== 'map') continue;
    const entry = lastEntry(s.value, 'refresh_interval_mins');
    if (!entry || entry.value.kind !== 'scalar' || entry.value.value === null) continue;
    const verdict = judgeRefreshInterval(entry.value.value);
    if (verdict.kind === 'not-integer') {
      ctx.report('agent/refresh-interval-invalid', entry.value, `\`refresh_interval_mins\` must be a whole number of minutes, not \`${shorten(scalarString(entry.value))}\`.`, { severity: 'error' });
    } else if (verdict.kind === 'not-positive') {
      ctx.report('agent/refresh-interval-invalid', entry.value, `\`refresh_interval_mins\` is ${verdict.minutes}: the Agent replaces zero or negative values with 60 and logs a warning. Set a positive number of minutes.`, { severity: 'warning' });
    }
  }
}
