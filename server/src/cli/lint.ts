// `dd-wif lint [options] PATH...`

import { parseArgs } from 'util';
import { FileClassifier, LanguageService, isKnownCode, isSeverityFamily, isSeverityLevel, type Severity, type SeverityLevel } from '../service';
import { collectTargets, readText, UsageError } from './files';
import { Excludes } from '../shared/discovery';
import { formatJson, formatSarif, formatText, sortFindings, type FileFinding } from './formats';
import { terminalIo, type CliIo } from './io';
import * as fs from 'fs';
import * as path from 'path';
import type { HclRuntime } from '../service/terraform/hcl';
import { readTerraformFolder } from '../shared/terraformFolder';
import { replaceHclLanguage } from '../shared/treeSitter';
import { TOO_MANY_FINDINGS } from '../service/common/filter';

/** A file's size on disk; 0 when it cannot be stat'ed (reading it then says why). */
function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export const LINT_USAGE = `Usage: dd-wif lint [options] PATH...

Lints datadog.yaml / datadog.yml, *.tf and .terraform.lock.hcl files, and YAML/JSON files
that configure the Agent through its environment (Kubernetes, Helm values, DatadogAgent,
docker-compose, ECS task definitions); folders recursively, as one workspace (cross-file
rules see every file found), skipping node_modules, .git, .terraform and --exclude
(and files matched by --agent-glob; other datadog*.yaml files found are named on stderr).
A file named on the command line is checked whatever its name: its kind from its extension
(also before a last suffix: datadog.yaml.example), else from its content (HCL or YAML).
Files are read as UTF-8, Agent YAML also as UTF-16 with a byte order mark, as the Agent
does; a file in another encoding, or not a regular file (a FIFO, a device), is refused (exit 2).

Options:
  --format text|json|sarif   output format (default text)
  --fail-on error|warning|info
                             lowest severity that makes the exit code 1 (default error)
  --agent-glob GLOB          extra files to treat as Agent configuration (repeatable)
  --exclude GLOB             files or folders a folder walk leaves out (repeatable; a glob
                             without / is a name anywhere, e.g. --exclude 'vendor')
  --severity CODE=LEVEL      override a code's severity: error, warning, info, off (repeatable)
  --skip-unknown             take a file named on the command line as a folder walk would
                             (by name, --agent-glob, --exclude, YAML/JSON by content) and skip
                             it quietly when a walk would not check it (for pre-commit hooks)
  -h, --help                 show this help`;

/** Hands the HCL runtime over; runLint takes it out, so that nothing but the lint keeps it (see main). */
export interface HclHolder {
  runtime?: HclRuntime;
}

/**
 * `holder.runtime`: the HCL parser runtime; without it Terraform files are
 * listed as not checked. A runtime that fails on a file is replaced
 * (replaceHclLanguage) and the run goes on: that file is reported as not
 * checked, the others are checked.
 */
export async function runLint(argv: string[], sink: CliIo, version: string, holder: HclHolder = {}): Promise<number> {
  const io = terminalIo(sink);
  let hcl = holder.runtime;
  holder.runtime = undefined;
  let values: { format?: string; 'fail-on'?: string; 'agent-glob'?: string[]; exclude?: string[]; severity?: string[]; 'skip-unknown'?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        'agent-glob': { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        severity: { type: 'string', multiple: true },
        'skip-unknown': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    io.out(LINT_USAGE);
    return 0;
  }
  const format = values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const failOn = values['fail-on'] ?? 'error';
  if (!['error', 'warning', 'info'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning or info, not "${failOn}"`);
  const severity: Record<string, SeverityLevel> = {};
  for (const s of values.severity ?? []) {
    const m = /^([^=]+)=(.*)$/.exec(s);
    if (!m) throw new UsageError(`--severity takes CODE=LEVEL, not "${s}"`);
    const [, code, level] = m;
    if (!isKnownCode(code) && !isSeverityFamily(code)) throw new UsageError(`--severity: unknown code "${code}"`);
    if (!isSeverityLevel(level)) throw new UsageError(`--severity: level must be error, warning, info or off, not "${level}"`);
    severity[code] = level;
  }
  if (positionals.length === 0) throw new UsageError('dd-wif lint needs at least one file or folder');

  const globs = values['agent-glob'] ?? [];
  const service = new LanguageService({ severity, agentConfigFiles: globs });
  /** The runtime failed during the last lint (the service reported the file it failed on, and remembers it). */
  let lost: HclRuntime | undefined;
  const useRuntime = (runtime: HclRuntime) => service.setHclRuntime(runtime, () => (lost = runtime));
  if (hcl) useRuntime(hcl);
  const { targets, notes } = collectTargets(positionals, new FileClassifier(globs), new Excludes(undefined, values.exclude ?? []), { skipUnknown: values['skip-unknown'] });
  for (const note of notes) io.err(`dd-wif: ${note}`);

  const findings: FileFinding[] = [];
  /**
   * Every file read, for the cross-file rules (service.workspaceFindings), as
   * the language server gives them its workspace: the texts are kept until
   * the end of the run (a one-shot process; a walk is capped).
   */
  const workspace: { path: string; text: string; kind: typeof targets[number]['kind'] }[] = [];
  const displayOf = new Map<string, string>();
  // A folder is read and parsed once for all its targets (the service caches each file's analysis
  // by path and text), and forgotten after its last one: per-target reads made this quadratic.
  const folders = new Map<string, { docs?: { path: string; text: string }[]; left: number }>();
  for (const t of targets) {
    if (t.kind !== 'terraform' && t.kind !== 'terraform-lock') continue;
    const dir = path.dirname(t.absolute);
    const entry = folders.get(dir);
    if (entry) entry.left++;
    else folders.set(dir, { left: 1 });
  }
  const folderOf = (dir: string) => {
    const entry = folders.get(dir)!;
    entry.docs ??= readTerraformFolder(dir).map(({ file, text }) => ({ path: file, text }));
    return { docs: entry.docs };
  };
  /** One more of the folder's targets is done (linted or not); after its last, the folder's files are forgotten. */
  const finishFolderTarget = (dir: string) => {
    const entry = folders.get(dir)!;
    if (--entry.left === 0) for (const d of entry.docs ?? []) service.forget(d.path);
  };
  for (const t of targets) {
    const isTerraform = t.kind === 'terraform' || t.kind === 'terraform-lock';
    // A file too large to parse is reported from its size, unread.
    const oversize = service.tooLarge({ path: t.absolute, kind: t.kind }, sizeOf(t.absolute));
    if (oversize) {
      for (const f of oversize) findings.push({ ...f, file: t.display });
      if (isTerraform) finishFolderTarget(path.dirname(t.absolute));
      continue;
    }
    let read: ReturnType<typeof readText>;
    try {
      read = t.text !== undefined ? { ok: true, text: t.text } : readText(t.absolute, t.kind);
      t.text = undefined; // kept once, in `workspace`
    } catch (err) {
      if (err instanceof UsageError) throw err; // says why already (not a regular file)
      throw new UsageError(`${t.display}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    // Bytes its reader would refuse (UTF-16 for Terraform, Latin-1, …): reported like a binary file, and the run goes on.
    if (!read.ok) {
      for (const f of service.undecodable({ path: t.absolute, kind: t.kind }, read.reason)) findings.push({ ...f, file: t.display });
      if (isTerraform) finishFolderTarget(path.dirname(t.absolute));
      continue;
    }
    const text = read.text;
    workspace.push({ path: t.absolute, text, kind: t.kind });
    displayOf.set(t.absolute, t.display);
    if (isTerraform && !hcl) {
      io.err(`dd-wif: ${t.display}: not checked (the HCL parser could not be loaded)`);
      finishFolderTarget(path.dirname(t.absolute));
      continue;
    }
    if (!isTerraform) {
      for (const f of service.lint({ path: t.absolute, text, kind: t.kind })) findings.push({ ...f, file: t.display });
      service.forget(t.absolute);
      continue;
    }
    // A Terraform file is judged with the rest of its folder (cloud auth in one file, the version in another).
    const entry = folderOf(path.dirname(t.absolute));
    const folder = entry.docs.filter((d) => d.path !== t.absolute);
    const doc = { path: t.absolute, text, kind: t.kind };
    let found = service.lint(doc, folder);
    // The runtime failed on this file or a folder-mate: the service remembers
    // which and will not parse that text again. A fresh runtime, and this file again.
    while (lost) {
      const replacing = replaceHclLanguage(lost);
      // Nothing may keep the failed runtime (and its memory) alive: this
      // function's frame, suspended below, keeps the values it holds then.
      lost = undefined;
      hcl = undefined;
      try {
        hcl = await replacing;
        useRuntime(hcl);
      } catch (err) {
        hcl = undefined;
        io.err(`dd-wif: the HCL parser could not be restarted (${err instanceof Error ? err.message : String(err)}); Terraform files are not checked from ${t.display} on`);
        break;
      }
      found = service.lint(doc, folder);
    }
    for (const f of found) findings.push({ ...f, file: t.display });
    if (folder.length === entry.docs.length) service.forget(t.absolute); // not one of the folder's cached files
    finishFolderTarget(path.dirname(t.absolute));
  }
  // The folder judged as one workspace: findings that need several files at once (a workload's role against the mappings).
  for (const [file, found] of service.workspaceFindings(workspace)) {
    const display = displayOf.get(file);
    if (display !== undefined) for (const f of found) findings.push({ ...f, file: display });
  }
  const sorted = sortFindings(findings);
  if (format === 'json') io.data(formatJson(sorted));
  else if (format === 'sarif') io.data(formatSarif(sorted, version));
  else {
    if (sorted.length) io.out(formatText(sorted));
    const counts = { error: 0, warning: 0, info: 0 };
    let notShown = 0;
    for (const f of sorted) {
      counts[f.severity]++;
      if (f.code === TOO_MANY_FINDINGS && typeof f.data?.leftOut === 'number') notShown += f.data.leftOut;
    }
    const more = notShown ? `; ${counted(notShown, 'more finding')} not shown (see lint/too-many-findings)` : '';
    io.err(`${counted(targets.length, 'file')} checked: ${counted(counts.error, 'error')}, ${counted(counts.warning, 'warning')}, ${counted(counts.info, 'info')}${more}`);
  }
  const threshold = RANK[failOn as Severity];
  return sorted.some((f) => RANK[f.severity] >= threshold) ? 1 : 0;
}

/** `1 error`, `2 errors`, `0 errors`. */
function counted(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
