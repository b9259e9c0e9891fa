// Finds the files `dd-wif lint` checks: named files as given, folders
// walked recursively for the files we know.

import * as fs from 'fs';
import * as path from 'path';
import type { FileClassifier, FileKind } from '../service';

/** Folders never worth walking into. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn']);

export interface LintTarget {
  /** The path as the user would write it (the argument joined with the relative path). */
  display: string;
  absolute: string;
  kind: FileKind;
}

export class UsageError extends Error {}

export function collectTargets(args: readonly string[], classifier: FileClassifier): { targets: LintTarget[]; skipped: string[] } {
  const targets: LintTarget[] = [];
  const skipped: string[] = [];
  for (const arg of args) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch {
      throw new UsageError(`${arg}: no such file or folder`);
    }
    if (stat.isDirectory()) walk(arg, '', classifier, targets);
    else {
      // A file named on the command line is linted even without the usual name.
      const kind = classifier.classify(path.resolve(arg)) ?? byExtension(arg);
      if (kind) targets.push({ display: arg, absolute: path.resolve(arg), kind });
      else skipped.push(arg);
    }
  }
  // One file reached twice (named twice, or through a symlink) is checked once.
  const seen = new Set<string>();
  return { targets: targets.filter((t) => (seen.has(realPath(t.absolute)) ? false : (seen.add(realPath(t.absolute)), true))), skipped };
}

function byExtension(file: string): FileKind | undefined {
  if (/\.ya?ml$/i.test(file)) return 'agent';
  if (/\.tf$/i.test(file)) return 'terraform';
  if (/\.terraform\.lock\.hcl$/i.test(file)) return 'terraform-lock';
  return undefined;
}

function walk(root: string, rel: string, classifier: FileClassifier, out: LintTarget[]): void {
  const dir = path.join(root, rel);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new UsageError(`${dir}: cannot read folder (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const relPath = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(root, relPath, classifier, out);
      continue;
    }
    // A symlink to a file counts (mounted configuration, e.g. a Kubernetes ConfigMap, is
    // made of them); one to a folder is not followed, so a walk cannot loop.
    if (!e.isFile() && !(e.isSymbolicLink() && isFileTarget(path.join(dir, e.name)))) continue;
    const kind = classifier.classify(relPath);
    if (kind) out.push({ display: path.join(root, relPath), absolute: path.resolve(root, relPath), kind });
  }
}

function isFileTarget(link: string): boolean {
  try {
    return fs.statSync(link).isFile();
  } catch {
    return false; // a dangling link
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** Reads a file as text; a byte order mark is dropped, as editors do. */
export function readText(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
