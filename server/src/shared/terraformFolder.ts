// Reads the Terraform files of one folder (*.tf and .terraform.lock.hcl), for
// the rules that judge a folder as a whole. Used by the language server (which
// prefers open documents) and the CLI.

import * as fs from 'fs';
import * as path from 'path';
import { MAX_INPUT_BYTES } from '../service/common/inputGuard';
import { decodeText } from './textEncoding';

/** Bigger files are not read for folder facts: the service would not parse them (service/common/inputGuard.ts). */
const MAX_FILE_BYTES = MAX_INPUT_BYTES;
const MAX_FILES = 200;

export function isTerraformFileName(name: string): boolean {
  return name.endsWith('.tf') || name === '.terraform.lock.hcl';
}

/** The folder's Terraform files, absolute paths and texts; unreadable ones, and those Terraform would refuse as not UTF-8, are left out. */
export function readTerraformFolder(dir: string, skip: (file: string) => boolean = () => false): { file: string; text: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter(isTerraformFileName).sort().slice(0, MAX_FILES);
  } catch {
    return [];
  }
  const out: { file: string; text: string }[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if (skip(file)) continue;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) continue;
      // Decoded as Terraform reads it (UTF-8 only): a file it refuses gives the folder no facts.
      const decoded = decodeText(fs.readFileSync(file), { utf16: false, reader: 'Terraform' });
      if (decoded.ok) out.push({ file, text: decoded.text });
    } catch {
      // Gone or unreadable: the folder is judged without it.
    }
  }
  return out;
}
