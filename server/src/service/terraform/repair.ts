// Two things the Terraform grammar (tree-sitter-hcl 1.2.0) reads otherwise
// than HCL, found by a small lexer and rewritten in place, at the same length,
// before parsing (hcl.ts), so every offset holds and every value is still
// read from the original text:
//   - a number with an exponent but no fraction (`5e6`, `2E+2`, `-1e3`). HCL
//     accepts it (`NumericLit = decimal+ ("." decimal+)? (expmark decimal+)?`
//     in hclsyntax/spec.md); the grammar's `numeric_lit` only after a
//     fraction, and its recovery then takes `e6` for the next attribute's
//     name. The exponent mark and its sign become `0`s: a number of the same
//     length, which values.ts classifies from the original text (`5e6` is
//     5000000).
//   - a quoted argument name in a body (`"*" = 0` in a block, Terraform
//     0.11's `silenced { "*" = 0 }`). HCL refuses it ("Invalid argument name:
//     Argument names must not be quoted"); the grammar's recovery turns the
//     one mistake into three errors, two on valid code (the block's `{` and
//     its `}`), and may leave its scanner reading later words as heredoc
//     markers. The name becomes an identifier of the same length (`___`); the
//     mistake is reported once, on the quoted name (hcl.ts syntaxProblems).
// The lexer follows the grammar's scanner: comments, quoted templates (which
// may run past their line, escapes, `$${`, nested `${…}`), heredocs (closed by
// their marker alone on a line) and what each `{` opens, so text in strings,
// heredoc bodies and comments, and identifiers such as `a5e6`, are never
// touched. Linear: one pass, a stack as deep as the nesting.

import type { SourceRepair, Span } from './hcl';

/** What a `{`, `(` or `[` opened; `quoted`, `heredoc`: a template; `interpolation`: `${` or `%{` inside one. */
type Frame = { kind: 'body' | 'object' | 'paren' | 'bracket' | 'interpolation' | 'quoted' } | { kind: 'heredoc'; marker: string };

const NUMBER = /[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const IDENTIFIER = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
const HEREDOC_START = /<<-?([\p{L}\p{N}_-]+)[ \t]*\r?\n/uy;
const SPACE = /[ \t\r\f\v\uFEFF]/;

/** The repairs `text` needs, in text order. */
export function findRepairs(text: string): SourceRepair[] {
  const out: SourceRepair[] = [];
  const stack: Frame[] = [];
  // The current line so far (code only): nothing but white space; a block header being read (`type "label" …`).
  let lineEmpty = true;
  let inHeader = false;
  const n = text.length;
  let i = 0;
  const top = () => stack[stack.length - 1];
  while (i < n) {
    const frame = top();
    if (frame?.kind === 'quoted') {
      const c = text[i];
      if (c === '\\') i += 2;
      else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
      else if ((c === '$' || c === '%') && text[i + 1] === '{') {
        stack.push({ kind: 'interpolation' });
        i += 2;
      } else if (c === '"') {
        stack.pop();
        i++;
      } else i++;
      continue;
    }
    if (frame?.kind === 'heredoc') {
      // Up to its closing marker (then the line break is read as code) or an interpolation.
      i = heredocBody(text, i, frame.marker, stack);
      continue;
    }
    // Code: a body, an object, a tuple, parentheses, an interpolation, or the top level (a body).
    const c = text[i];
    if (c === '\n') {
      lineEmpty = true;
      inHeader = false;
      i++;
    } else if (SPACE.test(c)) i++;
    else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? n : eol;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === '"') {
      const inBody = !frame || frame.kind === 'body';
      const name = inBody && lineEmpty ? quotedName(text, i) : undefined;
      if (name) out.push({ span: name, kind: 'quoted-name' });
      stack.push({ kind: 'quoted' });
      i++;
      lineEmpty = false;
    } else if (c === '<' && text[i + 1] === '<') {
      HEREDOC_START.lastIndex = i;
      const m = HEREDOC_START.exec(text);
      if (m) {
        stack.push({ kind: 'heredoc', marker: m[1] });
        i = HEREDOC_START.lastIndex;
      } else i += 2;
      lineEmpty = false;
      inHeader = false;
    } else if (c === '{') {
      stack.push({ kind: inHeader ? 'body' : 'object' });
      i++;
      lineEmpty = false;
      inHeader = false;
    } else if (c === '}') {
      // A `}` closes the innermost brace (or interpolation); unclosed `(` and `[` inside it close with it.
      let k = stack.length - 1;
      while (k >= 0 && (stack[k].kind === 'paren' || stack[k].kind === 'bracket')) k--;
      if (k >= 0 && stack[k].kind !== 'quoted' && stack[k].kind !== 'heredoc') stack.length = k;
      i++;
      lineEmpty = false;
      inHeader = false;
    } else if (c === '(' || c === '[') {
      stack.push({ kind: c === '(' ? 'paren' : 'bracket' });
      i++;
      lineEmpty = false;
      inHeader = false;
    } else if (c === ')' || c === ']') {
      if (frame?.kind === (c === ')' ? 'paren' : 'bracket')) stack.pop();
      i++;
      lineEmpty = false;
      inHeader = false;
    } else if (c >= '0' && c <= '9') {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text)!;
      // (After a `.`, digits are a legacy index, `a.0`, not a number.)
      if (m[2] && !m[1] && text[i - 1] !== '.') {
        const mark = i + m[0].length - m[2].length;
        out.push({ span: { start: mark, end: mark + (/[+-]/.test(m[2][1]) ? 2 : 1) }, kind: 'exponent' });
      }
      i = NUMBER.lastIndex;
      lineEmpty = false;
      inHeader = false;
    } else {
      IDENTIFIER.lastIndex = i;
      const m = IDENTIFIER.exec(text);
      if (m) {
        i = IDENTIFIER.lastIndex;
        inHeader = lineEmpty || inHeader;
      } else {
        i++;
        inHeader = false;
      }
      lineEmpty = false;
    }
  }
  return out;
}

/**
 * The quoted string at `i` when it is an argument name: it ends on its line
 * without an interpolation, and `=` follows (not `==`).
 */
function quotedName(text: string, i: number): Span | undefined {
  let j = i + 1;
  for (; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '"') break;
    else if (c === '\n' || c === '\r' || ((c === '$' || c === '%') && text[j + 1] === '{')) return undefined;
  }
  if (j >= text.length) return undefined;
  let k = j + 1;
  while (text[k] === ' ' || text[k] === '\t') k++;
  return text[k] === '=' && text[k + 1] !== '=' ? { start: i, end: j + 1 } : undefined;
}

/**
 * Reads a heredoc body from `i` (a line start, or just after an interpolation
 * inside it) up to its closing marker (popping the frame, returning the end of
 * the marker) or to an interpolation (pushing it, returning after its `${`).
 */
function heredocBody(text: string, i: number, marker: string, stack: Frame[]): number {
  const n = text.length;
  let atLineStart = i === 0 || text[i - 1] === '\n';
  while (i < n) {
    if (atLineStart) {
      // The marker alone on its line (white space around it) closes the heredoc.
      let k = i;
      while (text[k] === ' ' || text[k] === '\t') k++;
      if (text.startsWith(marker, k)) {
        let e = k + marker.length;
        while (text[e] === ' ' || text[e] === '\t' || text[e] === '\r') e++;
        if (e >= n || text[e] === '\n') {
          stack.pop();
          return e;
        }
      }
      atLineStart = false;
    }
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
    else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      stack.push({ kind: 'interpolation' });
      return i + 2;
    } else {
      if (c === '\n') atLineStart = true;
      i++;
    }
  }
  return n;
}

/** `text` with each repair applied: an exponent mark (and sign) as `0`s, a quoted name as `_`s. Same length. */
export function applyRepairs(text: string, repairs: readonly SourceRepair[]): string {
  if (!repairs.length) return text;
  let out = '';
  let at = 0;
  for (const r of repairs) {
    out += text.slice(at, r.span.start) + (r.kind === 'exponent' ? '0' : '_').repeat(r.span.end - r.span.start);
    at = r.span.end;
  }
  return out + text.slice(at);
}
