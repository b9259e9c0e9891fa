// Which files of a folder are ours: one answer for `dd-wif lint FOLDER` and
// the language server's workspace scan, so both judge the same files.
//
// A file is ours by its name (datadog.yaml, datadog.yml, *.tf,
// .terraform.lock.hcl, the user's Agent globs) or, for a YAML or JSON file,
// by its content: a Kubernetes manifest, Helm values, a DatadogAgent, a
// compose file or an ECS task definition that sniffAgentEnv accepts (kind
// 'agent-env'). The walk skips folders never worth reading (node_modules,
// .git, .terraform, …) and what the user excludes, stops after a bounded
// number of files (a monorepo must not make it unbounded), never follows a
// link to a folder (so it cannot loop), and never opens anything: it only
// lists and stats. Reading is regularFile.ts's (a FIFO or a device is
// refused, never opened for a blocking read).

import * as fs from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import type { FileClassifier, FileKind } from '../service';
import { sniffAgentEnv } from '../service/agentEnv/discover';
import { agentGlobPattern } from '../service/agentGlobs';

/** Folders never worth walking into: dependencies, VCS data, Terraform's provider cache. */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn']);

/** How many files a walk looks at before it stops (and says so): a bound on the time and memory of a scan. */
export const MAX_SCANNED_FILES = 50_000;

/** YAML and JSON files may hold an Agent's environment; only their content says whether they do. */
export function mayBeAgentEnv(file: string): boolean {
  return /\.(ya?ml|json)$/i.test(file);
}

/**
 * What a file is to us by its name (`classifier`: the named files and the
 * user's Agent globs), or 'sniff' for a YAML or JSON file whose content
 * decides (agentEnvKind), or undefined.
 */
export function kindByName(file: string, classifier: FileClassifier): FileKind | 'sniff' | undefined {
  return classifier.classify(file) ?? (mayBeAgentEnv(file) ? 'sniff' : undefined);
}

/** 'agent-env' when the text of a YAML or JSON file configures an Agent through its environment (a cheap sniff, no parse). */
export function agentEnvKind(text: string): 'agent-env' | undefined {
  return sniffAgentEnv(text).length > 0 ? 'agent-env' : undefined;
}

/** What a file is to us, by its name and then its text; undefined when it is not ours. */
export function kindOfFile(file: string, text: string, classifier: FileClassifier): FileKind | undefined {
  const byName = kindByName(file, classifier);
  return byName === 'sniff' ? agentEnvKind(text) : byName;
}

/**
 * The files a user keeps out of the scan: VS Code's `files.exclude` (globs
 * relative to the workspace folder, as VS Code reads them; only entries set
 * to `true`) and `datadogWif.exclude` / `--exclude` (read like
 * `datadogWif.agentConfigFiles`: a glob without `/` is a name anywhere). A
 * folder that matches is not walked into.
 */
export class Excludes {
  private readonly matchers: ((rel: string) => boolean)[];

  constructor(filesExclude: Readonly<Record<string, unknown>> | undefined, own: readonly unknown[] | undefined) {
    const vscodeGlobs = Object.entries(filesExclude ?? {})
      .filter(([glob, on]) => on === true && glob.trim() !== '')
      .map(([glob]) => glob.trim().replace(/^(\.\/)+/, ''));
    const ownGlobs = (own ?? []).filter((g): g is string => typeof g === 'string' && g.trim() !== '').map(agentGlobPattern);
    this.matchers = [...vscodeGlobs, ...ownGlobs].map((glob) => {
      const m = picomatch(glob, { dot: true, basename: !glob.includes('/') });
      return (rel: string) => m(rel);
    });
  }

  /** `rel`: a path relative to the walked folder, `/`-separated. */
  excludes(rel: string): boolean {
    return this.matchers.some((m) => m(rel));
  }

  get empty(): boolean {
    return this.matchers.length === 0;
  }
}

export interface WalkOptions {
  classifier: FileClassifier;
  excludes?: Excludes;
  /** Default MAX_SCANNED_FILES. */
  maxFiles?: number;
}

/** What a walk meets, in path order (each folder's entries sorted by name). */
export type WalkItem =
  /**
   * A regular file (or a link to one) that is ours by name, or a YAML/JSON
   * file to sniff (kind 'sniff'; `variant`: named like Agent configuration,
   * worth a note when the sniff rejects it).
   */
  | { type: 'candidate'; rel: string; absolute: string; kind: FileKind | 'sniff'; variant?: boolean }
  /** A file ours by name that is not a regular file: a FIFO, a device, a socket, a dangling link. */
  | { type: 'not-regular'; rel: string; absolute: string }
  /** Named like Agent configuration without being a file a walk checks (`datadog.prod.yaml`, `datadog.yaml.example`). */
  | { type: 'variant'; rel: string; absolute: string }
  /** A folder that could not be listed (its error code). The root's own failure is one too. */
  | { type: 'unreadable'; rel: string; absolute: string; code: string }
  /** The walk stopped after `scanned` files; what lies beyond was not looked at. */
  | { type: 'capped'; scanned: number };

/**
 * Named like an Agent configuration file (`datadog` in the name, a YAML
 * extension, perhaps before a last suffix) without being one the walk checks.
 * Helm values files (`datadog-values.yaml`) are not Agent configuration.
 */
function looksLikeAgentConfig(name: string): boolean {
  return /datadog/i.test(name) && /\.ya?ml(\.[^.]+)?$/i.test(name) && !/values/i.test(name);
}

/**
 * Walks `root` depth-first in name order, lazily: a caller that wants to
 * yield between batches (the server) pulls a few items at a time. Links to
 * files count (mounted configuration, e.g. a Kubernetes ConfigMap, is made of
 * them); a link to a folder is not followed, so no walk can loop.
 */
export function* walkFolder(root: string, options: WalkOptions): Generator<WalkItem, void, undefined> {
  const max = options.maxFiles ?? MAX_SCANNED_FILES;
  const excludes = options.excludes;
  let scanned = 0;
  // An explicit stack of open folders, not recursion: a deep tree cannot exhaust the call stack.
  const stack: { rel: string; entries: fs.Dirent[]; next: number }[] = [];
  const open = function* (rel: string): Generator<WalkItem, void, undefined> {
    const dir = rel ? path.join(root, rel) : root;
    try {
      const entries = fs.readdirSync(dir, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      stack.push({ rel, entries, next: 0 });
    } catch (err) {
      yield { type: 'unreadable', rel, absolute: dir, code: (err as NodeJS.ErrnoException).code ?? 'error' };
    }
  };
  yield* open('');
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.next >= top.entries.length) {
      stack.pop();
      continue;
    }
    const e = top.entries[top.next++];
    const relPath = top.rel ? `${top.rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !excludes?.excludes(relPath)) yield* open(relPath);
      continue;
    }
    if (excludes?.excludes(relPath)) continue;
    if (++scanned > max) {
      yield { type: 'capped', scanned: max };
      return;
    }
    const absolute = path.join(root, relPath);
    const kind = kindByName(relPath, options.classifier);
    if (!kind) {
      if (looksLikeAgentConfig(e.name) && isRegular(e, absolute)) yield { type: 'variant', rel: relPath, absolute };
      continue;
    }
    if (isRegular(e, absolute)) yield { type: 'candidate', rel: relPath, absolute, kind, ...(kind === 'sniff' && looksLikeAgentConfig(e.name) ? { variant: true } : {}) };
    // A file ours by name that cannot be read is said (not a link to a folder); a YAML/JSON one only might have been ours.
    else if (kind !== 'sniff' && !(e.isSymbolicLink() && statOf(absolute)?.isDirectory())) yield { type: 'not-regular', rel: relPath, absolute };
  }
}

/** A regular file, or a link to one. */
function isRegular(e: fs.Dirent, absolute: string): boolean {
  return e.isFile() || (e.isSymbolicLink() && statOf(absolute)?.isFile() === true);
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined; // a dangling link
  }
}
