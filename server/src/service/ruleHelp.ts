// A rule's help as the catalog states it: severity, summary, a wrong and a
// right example, its quick fixes. SARIF's rule help and the rule pages
// (docs/rules/, scripts/rule-docs.ts) both print this, so they never differ.

import type { RuleInfo } from './catalog';
import { RULE_EXAMPLES, exampleLanguage } from './ruleExamples';

/** The page of a rule under docs/rules/: its code with the slash replaced (`arn/root` → `arn-root.md`; no family has a `-`). */
export function rulePageName(code: string): string {
  return `${code.replace('/', '-')}.md`;
}

const SEVERITY_WORD = { error: 'Error', warning: 'Warning', info: 'Information' } as const;

function fence(lang: string, text: string): string {
  // A snippet holds no ``` (ours never do), but a longer fence is cheap insurance.
  const ticks = /```/.test(text) ? '````' : '```';
  return `${ticks}${lang}\n${text.replace(/\n?$/, '\n')}${ticks}`;
}

/** The examples and the quick fix, as Markdown sections of the given heading level. */
export function ruleHelpSections(rule: RuleInfo, level = 2): string {
  const h = '#'.repeat(level);
  const ex = RULE_EXAMPLES[rule.code];
  const parts: string[] = [];
  if (ex) {
    const lang = exampleLanguage(ex.file);
    parts.push(`${h} Wrong\n\n${fence(lang, ex.wrong)}`, `${h} Right\n\n${fence(lang, ex.right)}`);
  }
  parts.push(`${h} Quick fix\n\n${rule.fixes.length ? rule.fixes.map((f) => `- ${f}`).join('\n') : 'None: the fix depends on what you meant, so it is yours to write.'}`);
  return parts.join('\n\n');
}

/** SARIF `help.markdown`. */
export function ruleHelpMarkdown(rule: RuleInfo): string {
  return `**${SEVERITY_WORD[rule.severity]}** by default. ${rule.summary}\n\n${ruleHelpSections(rule, 4)}\n`;
}

/** SARIF `help.text`: the same, without Markdown. */
export function ruleHelpText(rule: RuleInfo): string {
  const ex = RULE_EXAMPLES[rule.code];
  const lines = [`${SEVERITY_WORD[rule.severity]} by default. ${rule.summary.replace(/`/g, '')}`];
  if (ex) lines.push('', `Wrong (${ex.file}):`, ex.wrong.replace(/\n$/, ''), '', `Right (${ex.file}):`, ex.right.replace(/\n$/, ''));
  lines.push('', `Quick fix: ${rule.fixes.length ? rule.fixes.join('; ').replace(/`/g, '') : 'none'}.`);
  return lines.join('\n');
}

export function severityWord(rule: RuleInfo): string {
  return SEVERITY_WORD[rule.severity];
}
