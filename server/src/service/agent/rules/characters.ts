// agent/yaml-syntax for characters YAML does not allow in a stream. The
// Agent reads datadog.yaml with go-yaml, whose reader (readerc.go,
// yaml_parser_update_buffer) accepts only TAB, LF, CR, 0x20-0x7E, 0x85,
// 0xA0-0xD7FF, 0xE000-0xFFFD and 0x10000-0x10FFFF, and otherwise fails the
// whole file with "control characters are not allowed": the Agent does not
// start. The yaml library we parse with accepts them, so without this rule
// such a file would lint clean. Runs of them are one finding each. Linear.

import { ruleInfo } from '../../catalog';
import type { FindingCollector } from '../../common/filter';
import type { TextIndex } from '../../common/textIndex';
import type { Finding } from '../../common/types';

function allowed(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0x7e) || code === 0x85 || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd);
}

/** How YAML writes it in a double-quoted string: `\x1b`, `\u0085`, `\uFFFE`. */
function yamlEscape(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `U+001B`. */
function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Binary junk that passed the input guard has runs by the thousand: the first ones say where to look. */
export const MAX_REPORTED_RUNS = 20;

export function disallowedCharacters(index: TextIndex, sink: Pick<FindingCollector, 'add'>): void {
  const { runs, more } = disallowedRuns(index);
  if (more) runs[runs.length - 1].message += ` ${more} more run${more === 1 ? '' : 's'} of such characters follow${more === 1 ? 's' : ''} this one.`;
  for (const f of runs) sink.add(f);
}

/**
 * The first MAX_REPORTED_RUNS runs of disallowed characters as findings, and
 * how many more there are. Apart from the note on the last of them, a run's
 * finding depends on its own characters only: the incremental lint scans
 * each block of a file alone and adds up (agent/blocks.ts).
 */
export function disallowedRuns(index: TextIndex): { runs: Finding[]; more: number } {
  const text = index.text;
  const severity = ruleInfo('agent/yaml-syntax')!.severity;
  const runs: Finding[] = [];
  let more = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (allowed(c)) {
      i++;
      continue;
    }
    // A well-formed surrogate pair is a character above U+FFFF: allowed.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      i += 2;
      continue;
    }
    const start = i;
    while (i < text.length && !allowed(text.charCodeAt(i)) && !(text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00)) i++;
    if (runs.length === MAX_REPORTED_RUNS) {
      more++;
      continue;
    }
    const first = codePoint(c);
    const what = i - start === 1 ? `The character ${first}` : `${i - start} characters from ${first} on`;
    runs.push({
      code: 'agent/yaml-syntax',
      severity,
      message: `${what} ${i - start === 1 ? 'is' : 'are'} not allowed in YAML: the Agent refuses the whole file ("control characters are not allowed") and does not start. Remove ${i - start === 1 ? 'it' : 'them'}, or write ${i - start === 1 ? 'it' : 'each'} as an escape inside a double-quoted string ("${yamlEscape(c)}").`,
      range: index.range(start, i),
    });
  }
  return { runs, more };
}
