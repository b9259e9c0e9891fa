// Lints the delegated_auth parts of a datadog.yaml: parse, extract the model,
// run every agent rule. Returns raw findings (suppression and severity
// overrides come after, in the service).

import { parseAllDocuments, type Document } from 'yaml';
import type { Finding } from '../common/types';
import { TextIndex } from '../common/textIndex';
import { AgentRuleContext, type AgentRule } from './context';
import { extractAgentModel } from './model';
import { reportSyntaxErrors } from './rules/syntax';
import { duplicateKeys } from './rules/duplicateKey';
import { sectionPlacement, sectionType } from './rules/sections';
import { sectionKeys } from './rules/keys';
import { awsRegion, orgUuid, providerValue, refreshInterval } from './rules/values';
import { site } from './rules/site';
import { fallbackApiKey } from './rules/fallback';
import { delaDirectives } from './rules/dela';

const RULES: readonly AgentRule[] = [duplicateKeys, sectionPlacement, sectionType, sectionKeys, orgUuid, providerValue, awsRegion, refreshInterval, site, fallbackApiKey, delaDirectives];

/** Parser options shared by lint, hover and completion: merge keys on, duplicates left to our rule. */
export const YAML_OPTIONS = { uniqueKeys: false, merge: true, prettyErrors: false, keepSourceTokens: false } as const;

export function parseAgentYaml(text: string): Document[] {
  const parsed = parseAllDocuments(text, YAML_OPTIONS);
  return Array.isArray(parsed) ? parsed : [];
}

export function lintAgentConfig(text: string, index = new TextIndex(text)): Finding[] {
  const findings: Finding[] = [];
  for (const doc of parseAgentYaml(text)) {
    const ctx = new AgentRuleContext(extractAgentModel(doc, text), index);
    reportSyntaxErrors(ctx, doc.errors);
    for (const rule of RULES) rule(ctx);
    findings.push(...ctx.findings);
  }
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
