// agent/yaml-syntax: what the YAML parser could not read. The other rules
// still run on what did parse.
//
// One mistake often makes the parser report dozens of errors (every token
// after a pasted shell command is "unexpected"): those are folded into the
// first one, and at most one error is reported per line, so the list says
// where to look rather than how confused the parser got.

import { isScalar, type Document, type YAMLError } from 'yaml';
import type { AgentRuleContext } from '../context';

/** Beyond this many, more syntax errors in one file say nothing new (binary junk yields thousands). */
export const MAX_SYNTAX_FINDINGS = 50;

/** The parser's "this token cannot continue the stream" errors: all after the first are echoes of it. */
export const STREAM_ECHO = /in YAML stream/;

export function reportSyntaxErrors(ctx: AgentRuleContext, errors: readonly YAMLError[], doc?: Document): void {
  const reported = new Set<number>();
  const echoes = errors.filter((e) => STREAM_ECHO.test(e.message));
  let firstEcho = true;
  let count = 0;
  for (const e of errors) {
    const isEcho = STREAM_ECHO.test(e.message);
    if (isEcho && !firstEcho) continue;
    const [start, rawEnd] = e.pos;
    const line = ctx.index.positionAt(start).line;
    if (reported.has(line)) continue;
    if (count++ >= MAX_SYNTAX_FINDINGS) break;
    reported.add(line);
    const end = rawEnd > start ? rawEnd : Math.min(start + 1, ctx.index.lineEnd(line));
    let message = syntaxMessage(e);
    if (isEcho) {
      firstEcho = false;
      message += streamHint(ctx, doc, line, echoes.length - 1);
    }
    ctx.report('agent/yaml-syntax', { start, end: Math.max(end, start) }, message);
  }
}

/** Why the rest of the file cannot be read, when the document before it was one plain value. */
function streamHint(ctx: AgentRuleContext, doc: Document | undefined, line: number, more: number): string {
  const parts: string[] = [];
  const root = doc?.contents;
  if (root && isScalar(root) && root.range) {
    const from = ctx.index.positionAt(root.range[0]).line + 1;
    const to = ctx.index.positionAt(Math.max(root.range[0], root.range[1] - 1)).line + 1;
    if (to < line + 1) parts.push(`lines ${from === to ? from : `${from}-${to}`} were read as one plain value (pasted text or a shell command?), so no key after them can be read`);
  }
  if (more > 0) parts.push(`${more} more error${more === 1 ? '' : 's'} after this one come from the same mistake`);
  return parts.length ? `. ${parts.map((p, i) => (i === 0 ? p[0].toUpperCase() + p.slice(1) : p)).join('; ')}.` : '';
}

function syntaxMessage(e: YAMLError): string {
  // The library's message may carry a code frame after the first line.
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
  return `YAML syntax: ${first}`;
}
