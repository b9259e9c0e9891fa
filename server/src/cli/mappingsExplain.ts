// `dd-wif mappings explain` (CLI.md): "Why can't I log in?" for terminals and
// CI. The caller ARN (--arn, else the caller identity of the resolved AWS
// credentials) and the org's mappings of both kinds go to the ARN engine's
// explainLogin, the same explainer the extension's command uses; this module
// only gathers its inputs and prints its answer. Exit 0 when a mapping
// matches, 1 when none does (or the caller cannot be mapped).

import type { Mapping, MappingKind, MappingsClient } from '../cloud/mappingsApi';
import { callerArnProblem, explainLogin, type LoginExplanation, type NearMiss } from '../service/arn';
import { escapeControl } from '../shared/terminalText';
import { UsageError } from './files';
import type { TerminalIo } from './io';
import { toMappingJson, type MappingJson } from './mappings';

/** The near misses the text output lists after the closest one. */
const MORE_NEAR_MISSES = 3;

/** explain's own options, checked before anything is sent. */
export interface ExplainOptions {
  /** From --arn, trimmed; undefined: ask AWS STS who the credentials are. */
  callerArn?: string;
  profile?: string;
  region?: string;
}

/** `--arn` must be a caller ARN the engine can explain; `--profile` and `--region` only pick the credentials asked without it. */
export function readExplainOptions(values: { arn?: string; profile?: string; region?: string }): ExplainOptions {
  const profile = values.profile?.trim() || undefined;
  const region = values.region?.trim() || undefined;
  if (values.arn === undefined) return { profile, region };
  if (values.profile !== undefined || values.region !== undefined) throw new UsageError('--profile and --region pick the AWS credentials asked for the caller identity: they do not apply with --arn');
  const problem = callerArnProblem(values.arn);
  if (problem) throw new UsageError(`--arn: ${escapeControl(problem)}`);
  return { callerArn: values.arn.trim() };
}

export interface ExplainRequest extends ExplainOptions {
  client: MappingsClient;
  /** The kind of mapping the failing login needs; undefined: either kind. */
  kind?: MappingKind;
  timeoutMs: number;
  format: 'text' | 'json';
  /** Where the mappings were listed (for the count line). */
  baseUrl: string;
}

/** The JSON output (CLI.md contract: scripts read it). Messages and the summary are Markdown (values in backticks). */
export interface ExplainJson {
  callerArn: string;
  /** Where the caller ARN came from: `--arn`, or `aws` (STS GetCallerIdentity). */
  callerSource: 'argument' | 'aws';
  callerKind: string;
  /** The ARN the patterns were matched against (an IAM role ARN is read as a session of the role); null when the caller cannot be mapped. */
  effectiveArn: string | null;
  /** The kind asked for with --kind; null: either. */
  kind: MappingKind | null;
  matched: MappingJson[];
  closest: NearMissJson | null;
  nearMisses: NearMissJson[];
  suggestedPattern: string | null;
  callerNote: string | null;
  callerProblem: string | null;
  summary: string;
}

export interface NearMissJson {
  mapping: MappingJson;
  reason: string;
  message: string;
  replaceWith: string | null;
}

export async function explainMappings(request: ExplainRequest, io: TerminalIo): Promise<number> {
  const source = request.callerArn === undefined ? 'aws' : 'argument';
  const callerArn = request.callerArn ?? (await awsCallerArn(request));
  // Both kinds: a mapping of the other kind that matches is the most telling near miss.
  const mappings: Mapping[] = [];
  for (const kind of ['identity', 'intake'] as const) mappings.push(...(await request.client.list(kind)));
  const explanation = explainLogin(callerArn, mappings, request.kind ? { kind: request.kind } : {});

  if (request.format === 'json') io.data(JSON.stringify(toExplainJson(explanation, source, request.kind), null, 2));
  else {
    io.out(formatExplanation(explanation, request.kind).map((line) => escapeControl(line)).join('\n'));
    const count = (k: MappingKind) => mappings.filter((m) => m.kind === k).length;
    io.err(escapeControl(`${mappings.length} mapping${mappings.length === 1 ? '' : 's'} (${count('identity')} identity, ${count('intake')} intake) at ${request.baseUrl}; the caller ${source === 'aws' ? 'from AWS STS GetCallerIdentity' : 'from --arn'}`));
  }
  return explanation.matched.length ? 0 : 1;
}

/** The caller identity of the resolved AWS credentials (the AWS SDK is loaded only for this). */
async function awsCallerArn(request: ExplainRequest): Promise<string> {
  const [{ getCallerIdentity }, { credentialsSource }] = await Promise.all([import('../cloud/callerIdentity'), import('../cloud/credentials')]);
  const identity = await getCallerIdentity({
    credentials: credentialsSource({ profile: request.profile, timeoutMs: request.timeoutMs }),
    region: request.region,
    timeoutMs: request.timeoutMs,
  });
  return identity.arn;
}

export function toExplainJson(e: LoginExplanation<Mapping>, callerSource: ExplainJson['callerSource'], kind: MappingKind | undefined): ExplainJson {
  const miss = (n: NearMiss<Mapping>): NearMissJson => ({ mapping: toMappingJson(n.mapping), reason: n.reason, message: n.message, replaceWith: n.replaceWith ?? null });
  return {
    callerArn: e.callerArn,
    callerSource,
    callerKind: e.callerKind,
    effectiveArn: e.effectiveArn ?? null,
    kind: kind ?? null,
    matched: e.matched.map((m) => toMappingJson(m.mapping)),
    closest: e.closest ? miss(e.closest) : null,
    nearMisses: e.nearMisses.map(miss),
    suggestedPattern: e.suggestedPattern ?? null,
    callerNote: e.callerNote ?? null,
    callerProblem: e.callerProblem ?? null,
    summary: e.summary,
  };
}

/** The text output, one line per entry (not yet escaped): the caller, the verdict, the engine's summary, other near misses, the next command. */
export function formatExplanation(e: LoginExplanation<Mapping>, kind: MappingKind | undefined): string[] {
  const kindWord = kind ? `${kind} ` : '';
  const which = (m: Mapping) => `${m.kind} mapping ${m.id} (${m.arnPattern})`;
  const lines = [`Caller ARN: ${e.callerArn}`];
  if (e.callerNote) lines.push(`Read as:    ${e.effectiveArn} (${e.callerNote})`);
  if (e.callerProblem) lines.push('Result:     it cannot be mapped');
  else if (e.matched.length) lines.push(...e.matched.map((m, i) => `${i ? '            ' : 'Matched:    '}${which(m.mapping)}`));
  else {
    lines.push(`Result:     no ${kindWord}mapping matches`);
    if (e.closest) lines.push(`Closest:    ${which(e.closest.mapping)}`);
  }
  lines.push('', e.summary);
  const others = e.nearMisses.slice(1, 1 + MORE_NEAR_MISSES);
  if (others.length) lines.push('', 'Also close:', ...others.map((n) => `  - ${n.message}`));
  const next = nextCommands(e, kind);
  if (next.length) lines.push('', 'Next:', ...next.map((c) => `  ${c}`));
  return lines;
}

/** The dd-wif commands that would fix it: re-create the closest mapping, or create the suggested one. */
function nextCommands(e: LoginExplanation<Mapping>, kind: MappingKind | undefined): string[] {
  if (e.matched.length || e.callerProblem) return [];
  const create = (k: MappingKind | undefined, pattern: string, account = 'ID') =>
    `dd-wif mappings create --kind ${k ?? 'identity|intake'} --arn-pattern ${shellQuote(pattern)}${k === 'intake' ? '' : ` --account ${account}`}`;
  const closest = e.closest;
  if (closest?.replaceWith) {
    // Re-created as it was, with the pattern fixed: an identity mapping keeps the account it acts as.
    const m = closest.mapping;
    const account = m.accountIdentifier ?? m.accountUuid;
    return [`dd-wif mappings delete --kind ${m.kind} --id ${shellQuote(m.id)}`, create(m.kind, closest.replaceWith, account === undefined ? undefined : shellQuote(account))];
  }
  return e.suggestedPattern ? [create(kind, e.suggestedPattern)] : [];
}

/** A POSIX shell word: `*` and anything else stay literal. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
