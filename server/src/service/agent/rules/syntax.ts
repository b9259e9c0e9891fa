// agent/yaml-syntax: what the YAML parser could not read. The other rules
// still run on what did parse.

import type { YAMLError } from 'yaml';
import type { AgentRuleContext } from '../context';

/** Beyond this many, more syntax errors in one file say nothing new (binary junk yields thousands). */
const MAX_SYNTAX_FINDINGS = 50;

export function reportSyntaxErrors(ctx: AgentRuleContext, errors: readonly YAMLError[]): void {
  let count = 0;
  for (const e of errors) {
    if (count++ >= MAX_SYNTAX_FINDINGS) break;
    const [start, rawEnd] = e.pos;
    const end = rawEnd > start ? rawEnd : Math.min(start + 1, ctx.index.lineEnd(ctx.index.positionAt(start).line));
    ctx.report('agent/yaml-syntax', { start, end: Math.max(end, start) }, syntaxMessage(e));
  }
}

function syntaxMessage(e: YAMLError): string {
  // The library's message may carry a code frame after the first line.
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
  return `YAML syntax: ${first}`;
}
