// Finds the files `dd-wif lint` checks, and reads them. A file named on the
// command line is checked whatever its name; a folder is walked for the files
// we know (datadog.yaml, datadog.yml, *.tf, .terraform.lock.hcl, --agent-glob),
// and what it passes over that looks like Agent configuration by another name
// is said on stderr, not skipped in silence. Only regular files are opened: a
// FIFO or a device would block the read, or never end.

import * as fs from 'fs';
import * as path from 'path';
import type { FileClassifier, FileKind } from '../service';
import { displayText } from '../shared/terminalText';
import { decodeText } from '../shared/textEncoding';
import { sniffAgentEnv } from '../service/agentEnv/discover';

/** Folders never worth walking into. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn']);
/** How many passed-over files the note names (then "and N more"). */
const NOTE_NAMES = 5;
/** How much of a file with an unknown name is read to tell Terraform from YAML. */
const SNIFF_BYTES = 4096;
/** How much of a walked YAML or JSON file is read to tell whether it configures Agents by environment (the sniff's own window). */
const ENV_SNIFF_BYTES = 256 * 1024;
/** YAML and JSON files by name: their content may make them `agent-env` (Kubernetes manifests, task definitions, …). */
const ENV_CANDIDATE = /\.(?:ya?ml|json)$/i;

export interface LintTarget {
  /** The path as the user would write it (the argument joined with the relative path). */
  display: string;
  absolute: string;
  kind: FileKind;
  /**
   * A YAML or JSON file named on the command line that its name does not
   * classify: once read, its content may make it `agent-env` (see agentEnvKind).
   */
  bySniff?: boolean;
}

export class UsageError extends Error {}

/** A path in a message: escaped (a file name can hold ESC or a line feed), as everything printed from a file. */
const shown = (file: string) => displayText(file);

export function collectTargets(args: readonly string[], classifier: FileClassifier): { targets: LintTarget[]; notes: string[] } {
  const targets: LintTarget[] = [];
  const seenInWalk: PassedOver = { variants: [], notRegular: [] };
  for (const arg of args) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch {
      throw new UsageError(`${shown(arg)}: no such file or folder`);
    }
    if (stat.isDirectory()) walk(arg, '', classifier, targets, seenInWalk);
    else if (!stat.isFile()) throw new UsageError(`${shown(arg)}: not a regular file (${whatIs(stat)}); dd-wif reads regular files only`);
    else targets.push({ display: arg, absolute: path.resolve(arg), kind: namedFileKind(arg, classifier), ...(ENV_CANDIDATE.test(arg) && !classifier.classify(path.resolve(arg)) ? { bySniff: true } : {}) });
  }
  // One file reached twice (named twice, or through a symlink) is checked once.
  const seen = new Set<string>();
  const unique = targets.filter((t) => (seen.has(realPath(t.absolute)) ? false : (seen.add(realPath(t.absolute)), true)));
  return { targets: unique, notes: notesFor(seenInWalk) };
}

/**
 * The kind of a file named on the command line: by its name as in a walk
 * (datadog.yaml, *.tf, --agent-glob), else by its extension, else by the one
 * before a last suffix (`datadog.yaml.example`, `main.tf.bak`), else by its
 * content: Terraform when it starts like HCL, Agent YAML otherwise.
 */
export function namedFileKind(file: string, classifier: FileClassifier): FileKind {
  const name = path.basename(file);
  return classifier.classify(path.resolve(file)) ?? kindFromName(name) ?? kindFromName(name.replace(/\.[^.]*$/, '')) ?? kindFromContent(readHead(file));
}

function kindFromName(name: string): FileKind | undefined {
  if (/\.terraform\.lock\.hcl$/i.test(name)) return 'terraform-lock';
  if (/\.tf$/i.test(name)) return 'terraform';
  if (/\.ya?ml$/i.test(name)) return 'agent';
  return undefined;
}

/**
 * Terraform when the first line that is not blank or a comment opens an HCL
 * block (`resource "a" "b" {`, `terraform {`) or sets an attribute (`x = 1`),
 * neither of which a YAML mapping does; YAML otherwise.
 */
export function kindFromContent(head: string): FileKind {
  for (const raw of head.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//') || line.startsWith('/*')) continue;
    return /^[A-Za-z_][\w-]*(\s+("[^"]*"|[A-Za-z_][\w-]*))*\s*\{/.test(line) || /^[A-Za-z_][\w-]*\s*=(?!=)/.test(line) ? 'terraform' : 'agent';
  }
  return 'agent';
}

/**
 * The kind of a target once its text is read: a YAML or JSON file named on
 * the command line that configures Agents by environment is `agent-env`.
 */
export function agentEnvKind(target: LintTarget, text: string): FileKind {
  return target.bySniff && sniffAgentEnv(text).length ? 'agent-env' : target.kind;
}

/** The start of a file, as text; '' when it cannot be read (the real read then says why). */
function readHead(file: string): string {
  return readStart(file, SNIFF_BYTES);
}

function readStart(file: string, max: number): string {
  let fd: number;
  try {
    fd = openRegular(file);
  } catch {
    return '';
  }
  try {
    const buf = Buffer.alloc(max);
    const n = fs.readSync(fd, buf, 0, max, 0);
    const bytes = buf.subarray(0, n);
    // Lenient: only a guess at the kind; the real read decides whether the file is readable.
    const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
    return new TextDecoder(utf16).decode(bytes);
  } catch {
    return '';
  } finally {
    fs.closeSync(fd);
  }
}

interface PassedOver {
  /** Files named like Agent configuration that a walk does not check (`datadog.prod.yaml`, `datadog.yaml.example`). */
  variants: string[];
  /** Files a walk would check but cannot read: a FIFO, a device, a socket, a dangling link. */
  notRegular: string[];
}

/**
 * Named like an Agent configuration file (`datadog` in the name, a YAML
 * extension, perhaps before a last suffix) without being one the walk checks.
 * Helm values files (`datadog-values.yaml`) are not Agent configuration.
 */
function looksLikeAgentConfig(name: string): boolean {
  return /datadog/i.test(name) && /\.ya?ml(\.[^.]+)?$/i.test(name) && !/values/i.test(name);
}

function walk(root: string, rel: string, classifier: FileClassifier, out: LintTarget[], passedOver: PassedOver): void {
  const dir = path.join(root, rel);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new UsageError(`${shown(dir)}: cannot read folder (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const relPath = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(root, relPath, classifier, out, passedOver);
      continue;
    }
    const display = path.join(root, relPath);
    const kind = classifier.classify(relPath);
    // A symlink to a file counts (mounted configuration, e.g. a Kubernetes ConfigMap, is
    // made of them); one to a folder is not followed, so a walk cannot loop.
    const regular = e.isFile() || (e.isSymbolicLink() && isFileTarget(display));
    if (!regular) {
      if (kind && !(e.isSymbolicLink() && isDirTarget(display))) passedOver.notRegular.push(display);
      continue;
    }
    if (kind) out.push({ display, absolute: path.resolve(root, relPath), kind });
    else if (ENV_CANDIDATE.test(e.name) && sniffAgentEnv(readStart(display, ENV_SNIFF_BYTES)).length) out.push({ display, absolute: path.resolve(root, relPath), kind: 'agent-env' });
    else if (looksLikeAgentConfig(e.name)) passedOver.variants.push(display);
  }
}

function notesFor({ variants, notRegular }: PassedOver): string[] {
  const notes = notRegular.map((f) => `${shown(f)}: not a regular file (${whatIsPath(f)}); not checked`);
  if (variants.length) {
    const names = variants.slice(0, NOTE_NAMES).map(shown).join(', ');
    const more = variants.length > NOTE_NAMES ? ` and ${variants.length - NOTE_NAMES} more` : '';
    notes.push(
      `not checked: ${names}${more} (a folder is walked for datadog.yaml and datadog.yml only); ` +
        `if one is Agent configuration, name it on the command line or add --agent-glob (e.g. --agent-glob 'datadog*.yaml')`,
    );
  }
  return notes;
}

function whatIs(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

function whatIsPath(file: string): string {
  try {
    return whatIs(fs.statSync(file));
  } catch {
    return 'a link to nothing';
  }
}

function isFileTarget(link: string): boolean {
  try {
    return fs.statSync(link).isFile();
  } catch {
    return false; // a dangling link
  }
}

function isDirTarget(link: string): boolean {
  try {
    return fs.statSync(link).isDirectory();
  } catch {
    return false;
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Opens `file` for reading only if it is a regular file. O_NONBLOCK: opening
 * a FIFO would otherwise wait for a writer before fstat could say what it is
 * (on a regular file the flag changes nothing).
 */
function openRegular(file: string): number {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  if (!stat.isFile()) {
    fs.closeSync(fd);
    throw new UsageError(`${shown(file)}: not a regular file (${whatIs(stat)}); dd-wif reads regular files only`);
  }
  return fd;
}

/**
 * Reads a file as the program that reads it would (textEncoding.ts): UTF-8
 * (its byte order mark dropped) or, for the Agent's YAML, UTF-16 with a byte
 * order mark. A file neither reads comes back with the reason (lint reports
 * it as a finding on that file and checks the others), never as garbage text
 * that might pass. What cannot be read at all (not a regular file, an I/O
 * error) throws.
 */
export function readText(file: string, kind: FileKind = 'agent'): { ok: true; text: string } | { ok: false; reason: string } {
  const fd = openRegular(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  // YAML readers (the Agent's, kubectl's) take UTF-16 with a byte order mark; Terraform does not.
  const agent = kind === 'agent' || kind === 'agent-env';
  const decoded = decodeText(bytes, { utf16: agent, reader: kind === 'agent' ? 'the Agent' : kind === 'agent-env' ? 'a YAML reader' : 'Terraform' });
  return decoded.ok ? { ok: true, text: decoded.text } : decoded;
}
