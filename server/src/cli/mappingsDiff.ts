// `dd-wif mappings diff PATH...` (CLI.md): the mappings declared under the
// paths against the org's. The paths are walked as `dd-wif lint` walks them
// (cli/files.ts, shared/discovery.ts), YAML/JSON files holding `arn_pattern`
// lists taken too; the language service reads what they declare
// (LanguageService.declaredMappings, with the HCL runtime lint uses) and
// diffMappings compares. Exit 0 in step, 1 on drift (a mapping only in the
// org, only in code, or acting as another account). Every value from a file
// or the server is escaped where it is printed, one line each.

import * as fs from 'node:fs';
import type { Mapping, MappingKind, MappingsClient } from '../cloud/mappingsApi';
import { FileClassifier, LanguageService } from '../service';
import { diffMappings } from '../service/orgSync/diff';
import type { DeclaredMapping, MappingsDrift, OrgMapping } from '../service/orgSync/types';
import type { HclRuntime } from '../service/terraform/hcl';
import { Excludes } from '../shared/discovery';
import { displayText } from '../shared/terminalText';
import { loadHclLanguage } from '../shared/treeSitter';
import { collectTargets, readText, UsageError, type LintTarget } from './files';
import type { TerminalIo } from './io';
import { toMappingJson, type MappingJson } from './mappings';

/** The files to read, found before anything is sent (a missing path is a usage error). */
export interface DiffTargets {
  targets: LintTarget[];
  notes: string[];
  agentGlobs: string[];
}

export function readDiffTargets(positionals: readonly string[], values: { exclude?: string[]; 'agent-glob'?: string[] }): DiffTargets {
  if (positionals.length === 0) throw new UsageError('mappings diff needs at least one file or folder (where the mappings are declared)');
  const agentGlobs = values['agent-glob'] ?? [];
  const { targets, notes } = collectTargets(positionals, new FileClassifier(agentGlobs), new Excludes(undefined, values.exclude ?? []), { patternLists: true });
  // Agent-env files (manifests, values, compose, ECS JSON) and lock files declare no mappings.
  return { targets: targets.filter((t) => t.kind === 'agent' || t.kind === 'terraform'), notes, agentGlobs };
}

export interface DiffRequest extends DiffTargets {
  client: MappingsClient;
  kind?: MappingKind;
  format: 'text' | 'json';
  baseUrl: string;
  /** The HCL runtime (tests); default the shared one, loaded here. */
  hcl?: HclRuntime;
}

/** A declared mapping in the JSON output (CLI.md contract). `line` is 1-based, as `file:line` reads. */
export interface DeclaredJson {
  kind: MappingKind;
  pattern: string | null;
  interpolated: boolean;
  accountIdentifier?: string;
  file: string;
  line: number;
  owner: string;
}

export interface DiffJson {
  inStep: { org: MappingJson; declared: DeclaredJson[] }[];
  onlyInOrg: MappingJson[];
  onlyInCode: DeclaredJson[];
  accountMismatch: { org: MappingJson; declared: DeclaredJson }[];
  unknown: DeclaredJson[];
  /** Files that may declare mappings but could not be read: a mapping only in the org may be declared there. */
  unread: string[];
  inStepCount: number;
  drift: boolean;
}

export async function diffMappingsCommand(request: DiffRequest, io: TerminalIo): Promise<number> {
  for (const note of request.notes) io.err(`dd-wif: ${note}`);
  const kinds: MappingKind[] = request.kind ? [request.kind] : ['identity', 'intake'];
  const org: Mapping[] = [];
  for (const k of kinds) org.push(...(await request.client.list(k)));

  const service = new LanguageService({ agentConfigFiles: request.agentGlobs });
  const unread: string[] = [];
  const hasTerraform = request.targets.some((t) => t.kind === 'terraform');
  let hcl = request.hcl;
  if (!hcl && hasTerraform) {
    try {
      hcl = await loadHclLanguage();
    } catch (err) {
      io.err(`dd-wif: the HCL parser did not load (${err instanceof Error ? err.message : String(err)}); Terraform files are not read`);
    }
  }
  if (hcl) service.setHclRuntime(hcl);
  const displayOf = new Map<string, string>();
  const docs: { path: string; text: string; kind: LintTarget['kind'] }[] = [];
  for (const t of request.targets) {
    displayOf.set(t.absolute, t.display);
    if (service.tooLarge({ path: t.absolute, kind: t.kind }, sizeOf(t.absolute))) {
      unread.push(t.display);
      continue;
    }
    let read: ReturnType<typeof readText>;
    try {
      read = t.text !== undefined ? { ok: true, text: t.text } : readText(t.absolute, t.kind);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`${displayText(t.display)}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (!read.ok) {
      unread.push(t.display);
      continue;
    }
    docs.push({ path: t.absolute, text: read.text, kind: t.kind });
  }
  const declared = service.declaredMappings(docs);
  for (const p of declared.unread) unread.push(displayOf.get(p) ?? p);
  // The runtime failed on a file: what was read before it is all there is.
  if (declared.incomplete && declared.unread.length === 0) unread.push('(Terraform files after the HCL parser failed)');
  const wanted = declared.mappings.filter((d) => !request.kind || d.kind === request.kind);
  const drift = diffMappings(org, wanted);
  const differs = drift.onlyInOrg.length + drift.onlyInCode.length + drift.accountMismatch.length > 0;
  const show = (d: DeclaredMapping) => displayOf.get(d.path) ?? d.path;

  if (request.format === 'json') io.data(JSON.stringify(toDiffJson(drift, unread, show), null, 2));
  else {
    const lines = formatDrift(drift, unread, show);
    if (lines.length) io.out(lines.join('\n'));
    const files = new Set(wanted.map((d) => d.path)).size;
    io.err(
      `${org.length} org mapping${org.length === 1 ? '' : 's'} at ${request.baseUrl}, ${wanted.length} declared in ${files} file${files === 1 ? '' : 's'} ` +
        `(${request.targets.length} read): ${differs ? 'they differ' : 'in step'}.`,
    );
  }
  return differs ? 1 : 0;
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** One cell of a line: what a file or the server holds, escaped (a line feed too). */
const v = (text: string) => displayText(text);

function where(d: DeclaredMapping, show: (d: DeclaredMapping) => string): string {
  return `${v(show(d))}:${d.line + 1}`;
}

function orgLine(o: OrgMapping): string {
  const account = o.kind === 'identity' ? `  as ${v(o.accountIdentifier ?? o.accountUuid ?? '?')}` : '';
  return `  ${o.kind.padEnd(8)}  ${v(o.id)}  ${v(o.arnPattern)}${account}`;
}

/** The text output, section by section; nothing when all is in step and there is nothing to note. */
export function formatDrift(drift: MappingsDrift, unread: readonly string[], show: (d: DeclaredMapping) => string): string[] {
  const out: string[] = [];
  if (drift.onlyInOrg.length) out.push(`Only in the org (${drift.onlyInOrg.length}): no file declares them`, ...drift.onlyInOrg.map(orgLine));
  if (drift.onlyInCode.length) {
    out.push(`Only in code (${drift.onlyInCode.length}): the org has no such mapping`);
    for (const d of drift.onlyInCode) out.push(`  ${where(d, show)}  ${d.kind.padEnd(8)}  ${v(d.pattern ?? '')}  (${v(d.owner)})`);
  }
  if (drift.accountMismatch.length) {
    out.push(`Account differs (${drift.accountMismatch.length}): same pattern, another Datadog account`);
    for (const { org, declared } of drift.accountMismatch) {
      out.push(`  ${where(declared, show)}  ${v(org.arnPattern)}: the code says ${v(declared.accountIdentifier ?? '?')}, the org's ${v(org.id)} acts as ${v(org.accountIdentifier ?? org.accountUuid ?? '?')}`);
    }
  }
  const notes: string[] = [];
  for (const d of drift.unknown) {
    notes.push(`  ${where(d, show)}  ${d.kind} mapping ${v(d.owner)}: its pattern is not in the files${drift.onlyInOrg.some((o) => o.kind === d.kind) ? ', so a mapping only in the org may be this one' : ''}`);
  }
  for (const f of unread) notes.push(`  ${v(f)}: not read (too large, not decodable or not parsed); it may declare mappings`);
  if (notes.length) out.push('Notes:', ...notes);
  if (drift.inStep.length) out.push(`In step: ${drift.inStep.length} mapping${drift.inStep.length === 1 ? '' : 's'} declared as in the org.`);
  return out;
}

export function toDiffJson(drift: MappingsDrift, unread: readonly string[], show: (d: DeclaredMapping) => string): DiffJson {
  const d = (x: DeclaredMapping): DeclaredJson => ({
    kind: x.kind,
    pattern: x.pattern ?? null,
    interpolated: x.interpolated,
    ...(x.accountIdentifier !== undefined ? { accountIdentifier: x.accountIdentifier } : {}),
    file: show(x),
    line: x.line + 1,
    owner: x.owner,
  });
  const o = (m: OrgMapping) => toMappingJson(m);
  return {
    inStep: drift.inStep.map((x) => ({ org: o(x.org), declared: x.declared.map(d) })),
    onlyInOrg: drift.onlyInOrg.map(o),
    onlyInCode: drift.onlyInCode.map(d),
    accountMismatch: drift.accountMismatch.map((x) => ({ org: o(x.org), declared: d(x.declared) })),
    unknown: drift.unknown.map(d),
    unread: [...unread],
    inStepCount: drift.inStep.length,
    drift: drift.onlyInOrg.length + drift.onlyInCode.length + drift.accountMismatch.length > 0,
  };
}

