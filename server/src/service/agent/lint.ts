// Lints the delegated_auth parts of a datadog.yaml: parse, extract the model,
// run every agent rule. Returns raw findings (suppression and severity
// overrides come after, in the service).

import { Document, parseAllDocuments, YAMLParseError } from 'yaml';
import type { Finding } from '../common/types';
import { FindingCollector } from '../common/filter';
import { TextIndex } from '../common/textIndex';
import { AgentRuleContext, type AgentRule } from './context';
import { extractAgentModel, type AgentModel } from './model';
import { reportSyntaxErrors } from './rules/syntax';
import { disallowedCharacters } from './rules/characters';
import { duplicateKeys } from './rules/duplicateKey';
import { sectionPlacement, sectionType } from './rules/sections';
import { sectionKeys } from './rules/keys';
import { awsRegion, orgUuid, providerValue, refreshInterval } from './rules/values';
import { site } from './rules/site';
import { fallbackApiKey } from './rules/fallback';
import { delaDirectives } from './rules/dela';
import { arnPatterns } from './rules/arnPatterns';

export const AGENT_RULES: readonly AgentRule[] = [duplicateKeys, sectionPlacement, sectionType, sectionKeys, orgUuid, providerValue, awsRegion, refreshInterval, site, fallbackApiKey, delaDirectives, arnPatterns];

/** Parser options shared by lint, hover and completion: merge keys on, duplicates left to our rule. */
export const YAML_OPTIONS = { uniqueKeys: false, merge: true, prettyErrors: false, keepSourceTokens: false } as const;

const LONE_CR = /\r(?!\n)/;

/**
 * Every parse of Agent YAML adds here: how many parses and how many
 * characters they read. Tests count it (never time it) to show that an edit
 * re-parses only the block it touched.
 */
export const yamlParseWork = { parses: 0, chars: 0 };

export function parseAgentYaml(text: string): Document[] {
  yamlParseWork.parses++;
  yamlParseWork.chars += text.length;
  // YAML (and LSP, and TextIndex) take a lone CR for a line break; the parser
  // does not. Same length, so every offset it reports still fits the text.
  const source = LONE_CR.test(text) ? text.replace(/\r(?!\n)/g, '\n') : text;
  let parsed: ReturnType<typeof parseAllDocuments>;
  try {
    parsed = parseAllDocuments(source, YAML_OPTIONS);
  } catch (e) {
    // Thousands of nesting levels exhaust the parser's stack (it recurses per
    // level). Never throw: say so, as a syntax error, where nesting is deepest.
    if (!(e instanceof RangeError)) throw e;
    return [tooDeep(text)];
  }
  return Array.isArray(parsed) ? parsed : [];
}

/** An empty document carrying one error: the text is nested too deeply to parse. */
function tooDeep(text: string): Document {
  const doc = new Document(null, YAML_OPTIONS);
  const at = deepestOffset(text);
  doc.errors.push(new YAMLParseError([at, at + 1], 'UNEXPECTED_TOKEN', 'The document is nested too deeply to be read'));
  return doc;
}

/** Where indentation or bracket nesting first reaches its maximum (a rough guide for the message). */
function deepestOffset(text: string): number {
  let best = -1;
  let bestAt = 0;
  let brackets = 0;
  let indent = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      atLineStart = true;
      indent = 0;
      continue;
    }
    if (atLineStart) {
      if (c === 32 || c === 9 || c === 45 /* - */) {
        indent++;
        continue;
      }
      atLineStart = false;
      if (indent > best) [best, bestAt] = [indent, i];
    }
    if (c === 91 || c === 123) {
      if (++brackets > best) [best, bestAt] = [brackets, i];
    } else if (c === 93 || c === 125) brackets = Math.max(0, brackets - 1);
  }
  return bestAt;
}

/**
 * `docs` may be passed when the caller already parsed the text (hover reuses
 * them too); `sink` filters and caps the findings as they come (the service
 * passes one with the user's suppressions and severities).
 */
export function lintAgentConfig(text: string, index = new TextIndex(text), docs: readonly Document[] = parseAgentYaml(text), sink = new FindingCollector()): Finding[] {
  disallowedCharacters(index, sink);
  for (const doc of docs) judgeAgentModel(extractAgentModel(doc, text), doc, index, sink);
  return sink.findings().sort(byStart);
}

/** The order of a file's findings: by where they start (a stable sort keeps the rules' order at one position). */
export function byStart(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** Every agent rule on one document's model, and its syntax errors. */
export function judgeAgentModel(model: AgentModel, doc: Document, index: TextIndex, sink: Pick<FindingCollector, 'add'>): void {
  const ctx = new AgentRuleContext(model, index, sink);
  reportSyntaxErrors(ctx, doc.errors, doc);
  for (const rule of AGENT_RULES) rule(ctx);
}
