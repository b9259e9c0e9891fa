// `dd-wif mappings export` (CLI.md): the org's mappings as Terraform
// resources with import blocks (service/orgSync/exportTerraform.ts), or as
// JSON in the `list` shape; on stdout, or in a file with --out (then said
// where on stderr). The Terraform text escapes every value from the server,
// so it is written as is.

import * as fs from 'node:fs';
import type { Mapping, MappingKind, MappingsClient } from '../cloud/mappingsApi';
import { exportTerraform } from '../service/orgSync/exportTerraform';
import { displayText } from '../shared/terminalText';
import { UsageError } from './files';
import type { TerminalIo } from './io';
import { toMappingJson } from './mappings';

export interface ExportRequest {
  client: MappingsClient;
  /** One kind, or both when undefined. */
  kind?: MappingKind;
  format: 'terraform' | 'json';
  /** Where to write; stdout when undefined. */
  out?: string;
  /** Where the mappings were listed (for the summary). */
  baseUrl: string;
}

/** `--out FILE`: a non-empty path (checked before anything is sent). */
export function readOutOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UsageError('--out needs a file name');
  return value;
}

export async function exportMappings(request: ExportRequest, io: TerminalIo): Promise<number> {
  const kinds: MappingKind[] = request.kind ? [request.kind] : ['identity', 'intake'];
  const all: Mapping[] = [];
  for (const k of kinds) all.push(...(await request.client.list(k)));
  const text = request.format === 'json' ? `${JSON.stringify(all.map(toMappingJson), null, 2)}\n` : exportTerraform(all);
  const counts = kinds.map((k) => `${all.filter((m) => m.kind === k).length} ${k}`).join(', ');
  const what = `${all.length} mapping${all.length === 1 ? '' : 's'} (${counts}) from ${request.baseUrl}`;
  if (request.out === undefined) {
    io.data(text.replace(/\n$/, ''));
    io.err(`Exported ${what}.`);
    return 0;
  }
  try {
    fs.writeFileSync(request.out, text);
  } catch (err) {
    throw new UsageError(`${displayText(request.out)}: cannot write (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  io.err(`Wrote ${what} to ${displayText(request.out)}${request.format === 'terraform' ? ' (import blocks need Terraform 1.5 or later)' : ''}.`);
  return 0;
}
