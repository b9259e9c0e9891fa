// Finds the files `dd-wif lint` checks, and reads them. A file named on the
// command line is checked whatever its name; a folder is walked for the files
// we know (shared/discovery.ts, as the language server's workspace scan:
// datadog.yaml, datadog.yml, *.tf, .terraform.lock.hcl, --agent-glob, and
// YAML/JSON files whose content configures an Agent's environment), and what
// it passes over that looks like Agent configuration by another name is said
// on stderr, not skipped in silence. Only regular files are opened: a FIFO or
// a device would block the read, or never end (shared/regularFile.ts).

import * as fs from 'fs';
import * as path from 'path';
import type { FileClassifier, FileKind } from '../service';
import { MAX_INPUT_BYTES } from '../service/common/inputGuard';
import { agentEnvKind, Excludes, kindByName, mayBeAgentEnv, walkFolder } from '../shared/discovery';
import { NotRegularFileError, openRegular as openRegularFile, readText as readRegularText, whatIs } from '../shared/regularFile';
import { displayText } from '../shared/terminalText';
/** How many passed-over files the note names (then "and N more"). */
const NOTE_NAMES = 5;
/** How much of a file with an unknown name is read to tell Terraform from YAML. */
const SNIFF_BYTES = 4096;

export interface LintTarget {
  /** The path as the user would write it (the argument joined with the relative path). */
  display: string;
  absolute: string;
  kind: FileKind;
  /** The text, when finding the kind read it already (a YAML/JSON file sniffed as 'agent-env'). */
  text?: string;
}

export class UsageError extends Error {}

/** A path in a message: escaped (a file name can hold ESC or a line feed), as everything printed from a file. */
const shown = (file: string) => displayText(file);

export interface CollectOptions {
  /**
   * A file named on the command line is taken as a walk from the current
   * folder would take it (by name, --agent-glob, --exclude, a YAML/JSON file
   * by its content), and skipped quietly when a walk would pass it over: for
   * hooks that hand over every changed YAML file, ours or not.
   */
  skipUnknown?: boolean;
  /**
   * `dd-wif mappings diff`: a YAML/JSON file a walk meets that does not
   * configure an Agent but holds `arn_pattern`s (a list of mappings,
   * `intake_mappings:`) is taken too, read as Agent YAML is (JSON is YAML).
   */
  patternLists?: boolean;
}

export function collectTargets(args: readonly string[], classifier: FileClassifier, excludes?: Excludes, options: CollectOptions = {}): { targets: LintTarget[]; notes: string[] } {
  const targets: LintTarget[] = [];
  const seenInWalk: PassedOver = { variants: [], notRegular: [], capped: [] };
  for (const arg of args) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch {
      throw new UsageError(`${shown(arg)}: no such file or folder`);
    }
    if (stat.isDirectory()) walk(arg, classifier, excludes, targets, seenInWalk, options.patternLists === true);
    else if (!stat.isFile()) throw new UsageError(`${shown(arg)}: not a regular file (${whatIs(stat)}); dd-wif reads regular files only`);
    else if (options.skipUnknown) {
      const target = asInWalk(arg, classifier, excludes);
      if (target) targets.push(target);
    } else targets.push({ display: arg, absolute: path.resolve(arg), kind: namedFileKind(arg, classifier) });
  }
  // One file reached twice (named twice, or through a symlink) is checked once.
  const seen = new Set<string>();
  const unique = targets.filter((t) => (seen.has(realPath(t.absolute)) ? false : (seen.add(realPath(t.absolute)), true)));
  return { targets: unique, notes: notesFor(seenInWalk) };
}

/** A file named on the command line as a walk would find it (its path relative to the current folder); undefined when a walk would pass it over. */
function asInWalk(arg: string, classifier: FileClassifier, excludes: Excludes | undefined): LintTarget | undefined {
  const absolute = path.resolve(arg);
  const rel = path.relative(process.cwd(), absolute).split(path.sep).join('/');
  // A walk does not enter an excluded folder: a file below one is left out too.
  const segments = rel.split('/');
  if (excludes && segments.some((_, i) => excludes.excludes(segments.slice(0, i + 1).join('/')))) return undefined;
  const kind = kindByName(rel, classifier);
  if (kind === undefined) return undefined;
  if (kind !== 'sniff') return { display: arg, absolute, kind };
  const text = sniffable(absolute);
  return text !== undefined && agentEnvKind(text) ? { display: arg, absolute, kind: 'agent-env', text } : undefined;
}

/**
 * The kind of a file named on the command line: by its name as in a walk
 * (datadog.yaml, *.tf, --agent-glob), else by its extension, else by the one
 * before a last suffix (`datadog.yaml.example`, `main.tf.bak`), else by its
 * content: Terraform when it starts like HCL, Agent YAML otherwise.
 */
export function namedFileKind(file: string, classifier: FileClassifier): FileKind {
  const name = path.basename(file);
  const sniffed = () => (mayBeAgentEnv(name) ? agentEnvKind(readHead(file, SNIFF_NAMED_BYTES)) : undefined);
  return classifier.classify(path.resolve(file)) ?? sniffed() ?? kindFromName(name) ?? kindFromName(name.replace(/\.[^.]*$/, '')) ?? kindFromContent(readHead(file));
}

/** How much of a YAML/JSON file named on the command line is read to tell an Agent's environment (the sniff's own window). */
const SNIFF_NAMED_BYTES = 256 * 1024;

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

/** The start of a file, as text; '' when it cannot be read (the real read then says why). */
function readHead(file: string, size = SNIFF_BYTES): string {
  let fd: number;
  try {
    fd = openRegularFile(file);
  } catch {
    return '';
  }
  try {
    const buf = Buffer.alloc(size);
    const n = fs.readSync(fd, buf, 0, size, 0);
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
  /** Folders whose walk stopped at the cap on files scanned. */
  capped: string[];
}

function walk(root: string, classifier: FileClassifier, excludes: Excludes | undefined, out: LintTarget[], passedOver: PassedOver, patternLists = false): void {
  for (const item of walkFolder(root, { classifier, excludes })) {
    const display = item.type === 'capped' ? root : path.join(root, item.rel);
    switch (item.type) {
      case 'unreadable':
        // A folder deleted while the walk was under way (another program's temporary files) is gone, not unreadable.
        if (item.rel !== '' && (item.code === 'ENOENT' || item.code === 'ENOTDIR')) break;
        throw new UsageError(`${shown(display)}: cannot read folder (${item.code})`);
      case 'capped':
        passedOver.capped.push(`${shown(root)}: stopped after ${item.scanned.toLocaleString('en-US')} files; the rest of the folder is not checked (leave folders out with --exclude, or lint them one at a time)`);
        break;
      case 'not-regular':
        passedOver.notRegular.push(display);
        break;
      case 'variant':
        passedOver.variants.push(display);
        break;
      case 'candidate': {
        const absolute = path.resolve(root, item.rel);
        if (item.kind !== 'sniff') {
          out.push({ display, absolute, kind: item.kind });
          break;
        }
        const text = sniffable(absolute);
        if (text !== undefined && agentEnvKind(text)) out.push({ display, absolute, kind: 'agent-env', text });
        else if (patternLists && text !== undefined && text.includes('arn_pattern')) out.push({ display, absolute, kind: 'agent', text });
        else if (item.variant) passedOver.variants.push(display);
        break;
      }
    }
  }
}

/**
 * The text of a YAML/JSON file a walk meets, to sniff; undefined when it is
 * too large to check (the service would refuse it anyway), unreadable or not
 * UTF-8: such a file only might have been ours, and is passed over.
 */
function sniffable(file: string): string | undefined {
  try {
    if (fs.statSync(file).size > MAX_INPUT_BYTES) return undefined;
    const read = readRegularText(file, 'agent-env');
    return read.ok ? read.text : undefined;
  } catch {
    return undefined;
  }
}

function notesFor({ variants, notRegular, capped }: PassedOver): string[] {
  const notes = [...capped, ...notRegular.map((f) => `${shown(f)}: not a regular file (${whatIsPath(f)}); not checked`)];
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

function whatIsPath(file: string): string {
  try {
    return whatIs(fs.statSync(file));
  } catch {
    return 'a link to nothing';
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
 * Reads a file as the program that reads it would (shared/regularFile.ts): a
 * file its reader would refuse comes back with the reason (lint reports it as
 * a finding on that file and checks the others). Not a regular file: a
 * UsageError that says what it is; an I/O error throws as is.
 */
export function readText(file: string, kind: FileKind = 'agent'): { ok: true; text: string } | { ok: false; reason: string } {
  try {
    return readRegularText(file, kind);
  } catch (err) {
    if (err instanceof NotRegularFileError) throw new UsageError(err.message);
    throw err;
  }
}
