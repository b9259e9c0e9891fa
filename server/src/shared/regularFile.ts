// Reading a configuration file without ever blocking on it: only a regular
// file is read. A FIFO would wait for a writer, a character device may never
// end; both are refused with what they are. Shared by `dd-wif lint` and the
// language server's workspace scan.

import * as fs from 'fs';
import type { FileKind } from '../service';
import { displayText } from './terminalText';
import { decodeText } from './textEncoding';

/** Not a regular file (FIFO, device, socket): the message says what it is. */
export class NotRegularFileError extends Error {}

export function whatIs(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * Opens `file` for reading only if it is a regular file. O_NONBLOCK: opening
 * a FIFO would otherwise wait for a writer before fstat could say what it is
 * (on a regular file the flag changes nothing).
 */
export function openRegular(file: string): number {
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
    throw new NotRegularFileError(`${displayText(file)}: not a regular file (${whatIs(stat)}); dd-wif reads regular files only`);
  }
  return fd;
}

/**
 * Reads a file as the program that reads it would (textEncoding.ts): UTF-8
 * (its byte order mark dropped) or, for the Agent's YAML, UTF-16 with a byte
 * order mark. A file neither reads comes back with the reason, never as
 * garbage text that might pass. What cannot be read at all (not a regular
 * file: NotRegularFileError, an I/O error) throws.
 */
export function readText(file: string, kind: FileKind = 'agent'): { ok: true; text: string } | { ok: false; reason: string } {
  const fd = openRegular(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const agent = kind === 'agent';
  // Environment forms (manifests, values, task definitions) are read as UTF-8: which tool reads them is not known here.
  const reader = agent ? 'the Agent' : kind === 'agent-env' ? 'dd-wif' : 'Terraform';
  const decoded = decodeText(bytes, { utf16: agent, reader });
  return decoded.ok ? { ok: true, text: decoded.text } : decoded;
}
