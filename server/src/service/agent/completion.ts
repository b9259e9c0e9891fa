// Completion in datadog.yaml: keys inside delegated_auth and aws, the
// delegated_auth section itself where it is read, and values of provider,
// aws.region and site. Works on half-typed lines that do not parse yet, so
// the context comes from indentation rather than from the syntax tree.

import type { CompletionItem, Position } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import { AWS_REGIONS } from '../common/awsRegions';
import { DATADOG_SITES } from '../common/sites';
import { RULES } from '../catalog';
import { DELEGATED_AUTH_KEYS, GLOBAL_ONLY_KEYS, SECTION_KEYS, apiKeySlot } from './keys';
import { SUPPORTED_PARENTS } from './model';
import { detectIndentUnit } from './edits';

interface LineContext {
  /** Keys of the enclosing mappings, outermost first. */
  parents: string[];
  /** Keys already present beside the cursor (same indentation, same parent). */
  siblings: Set<string>;
}

const KEY_LINE = /^(\s*)(?:- )?([A-Za-z0-9_.-]+)\s*:(?:\s+(.*))?$/;
/** `---` / `...`: the start or end of a YAML document. */
const DOC_MARKER = /^(?:---|\.\.\.)(?:\s|$)/;

export function agentCompletion(index: TextIndex, pos: Position): CompletionItem[] {
  // A position past the end (a stale or bogus request) has nothing to complete: never walk from it.
  if (pos.line < 0 || pos.line >= index.lineCount || pos.character < 0) return [];
  const line = index.lineText(pos.line);
  const before = line.slice(0, pos.character);

  // Codes may be separated by commas or by spaces, as the suppression filter reads them.
  const ignore = /#\s*datadog-wif-ignore\s+((?:[a-z0-9/-]+(?:\s*,\s*|\s+))*)([a-z0-9/-]*)$/.exec(before);
  if (ignore) return codeItems(pos, ignore[2].length, ignore[1].split(/[\s,]+/));
  if (/#/.test(before.replace(/(["']).*?\1/g, ''))) return [];

  const valueMatch = /^(\s*)([A-Za-z0-9_]+)\s*:\s*(["']?)([^"'\s#]*)$/.exec(before);
  if (valueMatch) {
    const indent = valueMatch[1].length;
    const ctx = contextAt(index, pos.line, indent);
    const key = valueMatch[2];
    const partial = valueMatch[4];
    const range = { start: { line: pos.line, character: pos.character - partial.length }, end: pos };
    return valueItems([...ctx.parents, key], range);
  }

  const keyMatch = /^(\s*)([A-Za-z0-9_]*)$/.exec(before);
  if (!keyMatch) return [];
  const indent = keyMatch[1].length;
  const partial = keyMatch[2];
  const ctx = contextAt(index, pos.line, indent);
  const range = { start: { line: pos.line, character: pos.character - partial.length }, end: { line: pos.line, character: pos.character + (/^[A-Za-z0-9_]*/.exec(line.slice(pos.character))?.[0].length ?? 0) } };
  return keyItems(ctx, range, index.eol, ' '.repeat(detectIndentUnit(index)));
}

/** Walks up from `line` to find the keys of the mappings that enclose a line indented by `indent`. */
function contextAt(index: TextIndex, line: number, indent: number): LineContext {
  const parents: string[] = [];
  const siblings = new Set<string>();
  let current = indent;
  let siblingsDone = false;
  // At the top level, walk up too: the keys above are siblings (up to the document's start).
  for (let l = line - 1; l >= 0 && (current > 0 || !siblingsDone); l--) {
    const text = index.lineText(l);
    if (DOC_MARKER.test(text)) break;
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    const m = KEY_LINE.exec(text);
    const lineIndent = text.length - text.trimStart().length;
    if (lineIndent === current && m && !siblingsDone) siblings.add(m[2]);
    if (lineIndent < current) {
      if (!m || !opensMapping(m[3])) break; // not a `key:` that opens a mapping
      parents.unshift(m[2]);
      // `- key:` opens a mapping inside a list: the path goes through the list.
      if (/^\s*- /.test(text)) parents.unshift('[]');
      current = lineIndent;
      siblingsDone = true;
    }
  }
  // Siblings below the cursor, up to the end of the mapping.
  for (let l = line + 1; l < index.lineCount; l++) {
    const text = index.lineText(l);
    if (DOC_MARKER.test(text)) break;
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    const lineIndent = text.length - text.trimStart().length;
    if (lineIndent < indent) break;
    const m = KEY_LINE.exec(text);
    if (lineIndent === indent && m) siblings.add(m[2]);
  }
  if (current > 0 && parents.length === 0) return { parents: ['?'], siblings };
  return { parents, siblings };
}

/** The rest of a `key:` line opens a block mapping: nothing, or only anchors/tags (`&x`, `!!map`) and a comment. */
function opensMapping(rest: string | undefined): boolean {
  const r = (rest ?? '').replace(/^(?:[&!]\S*\s*)+/, '').trim();
  return r === '' || r.startsWith('#');
}

function isSectionPath(parents: string[]): { parent: string | null } | undefined {
  if (parents.length === 1 && parents[0] === 'delegated_auth') return { parent: null };
  if (parents.length === 2 && parents[1] === 'delegated_auth' && SUPPORTED_PARENTS.includes(parents[0])) return { parent: parents[0] };
  return undefined;
}

/** `step`: the file's own indentation step, for the second line of multi-line snippets. */
function keyItems(ctx: LineContext, range: CompletionItem['range'], eol: string, step: string): CompletionItem[] {
  const section = isSectionPath(ctx.parents);
  if (section) {
    const keys = section.parent ? SECTION_KEYS.filter((k) => !(GLOBAL_ONLY_KEYS as readonly string[]).includes(k)) : SECTION_KEYS;
    return keys
      .filter((k) => !ctx.siblings.has(k))
      .map((k, i) => {
        const info = DELEGATED_AUTH_KEYS.find((d) => d.path === k)!;
        return {
          label: k,
          kind: 'property' as const,
          detail: `${info.type} · default ${info.default}`,
          documentation: info.description,
          insertText: k === 'aws' ? `aws:${eol}${step}region: \${1}` : k === 'provider' ? 'provider: aws' : `${k}: \${1}`,
          isSnippet: k !== 'provider',
          range,
          sortText: String(i),
        };
      });
  }
  const last = ctx.parents[ctx.parents.length - 1];
  const sectionOfAws = isSectionPath(ctx.parents.slice(0, -1));
  if (last === 'aws' && sectionOfAws && sectionOfAws.parent === null) {
    if (ctx.siblings.has('region')) return [];
    const info = DELEGATED_AUTH_KEYS.find((d) => d.path === 'aws.region')!;
    return [{ label: 'region', kind: 'property', detail: `string · default ${info.default}`, documentation: info.description, insertText: 'region: ${1}', isSnippet: true, range }];
  }
  // Where a section may start: the top level and the per-product sections that read it.
  const parent = ctx.parents.length === 0 ? null : ctx.parents.length === 1 ? ctx.parents[0] : undefined;
  const items: CompletionItem[] = [];
  if (parent !== undefined && SUPPORTED_PARENTS.includes(parent) && !ctx.siblings.has('delegated_auth')) {
    items.push({
      label: 'delegated_auth',
      kind: 'snippet',
      detail: `Workload Identity Federation: fills ${apiKeySlot(parent)}`,
      documentation: 'Let the Agent exchange its AWS identity for a managed, rotated API key. Needs an intake mapping in Datadog.',
      insertText: `delegated_auth:${eol}${step}org_uuid: \${1:00000000-0000-0000-0000-000000000000}`,
      isSnippet: true,
      range,
    });
  }
  if (parent === null && !ctx.siblings.has('site')) {
    items.push({ label: 'site', kind: 'property', detail: 'Datadog site', insertText: 'site: ${1|' + DATADOG_SITES.map((s) => s.site).join(',') + '|}', isSnippet: true, range });
  }
  return items;
}

function valueItems(path: string[], range: CompletionItem['range']): CompletionItem[] {
  const key = path[path.length - 1];
  const parents = path.slice(0, -1);
  if (key === 'site' && parents.length === 0) {
    return DATADOG_SITES.map((s, i) => ({
      label: s.site,
      kind: 'enum' as const,
      detail: `${s.label} · ${s.apiHost}`,
      documentation: `API host \`${s.apiHost}\`. Agent flow of delegated authentication: ${s.agentFlow}.`,
      range,
      sortText: String(i).padStart(2, '0'),
    }));
  }
  // provider and aws.region have an effect in the global section only: no values offered elsewhere.
  if (key === 'provider' && isSectionPath(parents)?.parent === null) {
    return [{ label: 'aws', kind: 'enum', detail: 'Amazon Web Services (the only provider)', range }];
  }
  if (key === 'region' && parents[parents.length - 1] === 'aws' && isSectionPath(parents.slice(0, -1))?.parent === null) {
    return AWS_REGIONS.map((r, i) => ({ label: r, kind: 'enum' as const, detail: 'AWS region (STS endpoint sts.' + r + '.amazonaws.com)', range, sortText: String(i).padStart(2, '0') }));
  }
  return [];
}

function codeItems(pos: Position, partialLength: number, written: readonly string[]): CompletionItem[] {
  const range = { start: { line: pos.line, character: pos.character - partialLength }, end: pos };
  return RULES.filter((r) => !r.code.startsWith('tf/') && !written.includes(r.code)).map((r) => ({ label: r.code, kind: 'keyword' as const, detail: r.severity, documentation: r.summary, range }));
}
