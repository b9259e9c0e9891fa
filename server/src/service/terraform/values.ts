// The values of a Terraform file, classified (string, template, heredoc,
// number, bool, null, expression, invalid) so a rule judges literals only,
// with their spans (UTF-16 offsets, as JS strings index; see hcl.ts). Read
// from the text as written (HclTree.text), never from the tree's own text:
// hcl.ts may have parsed a repaired copy of it (repair.ts).

import type { Node } from 'web-tree-sitter';
import type { Span } from './hcl';

// ---------------------------------------------------------------------------
// Values

export type HclValue = HclString | HclTemplate | HclHeredoc | HclNumber | HclBool | HclNull | HclExpression | HclInvalid;

interface ValueBase {
  /** The whole value as written (quotes, heredoc markers included). */
  span: Span;
}

/** A quoted string without interpolation or directive. */
export interface HclString extends ValueBase {
  kind: 'string';
  /** Escapes resolved (`\"`, `\\`, `\n`, `\u00e9`, `$${` → `${`, `%%{` → `%{`). */
  value: string;
  /** Between the quotes. */
  innerSpan: Span;
  /** The source between the quotes equals `value`: offset i of the value is innerSpan.start + i. */
  verbatim: boolean;
}

export type TemplatePart =
  | { kind: 'literal'; value: string; span: Span; verbatim: boolean }
  /** `${…}`, delimiters included: an unknown value. */
  | { kind: 'interpolation'; span: Span; source: string }
  /** `%{…}` … `%{end…}`: conditional or repeated text, unknown. */
  | { kind: 'directive'; span: Span; source: string };

/** A quoted string with `${…}` interpolations or `%{…}` directives. */
export interface HclTemplate extends ValueBase {
  kind: 'template';
  innerSpan: Span;
  /** The source between the quotes, `${…}` kept: what the ARN engine reads (it treats `${…}` as unknown). */
  raw: string;
  /** The literal parts with escapes resolved and interpolations/directives kept as written. */
  value: string;
  /** `raw === value`: offset i of the value is innerSpan.start + i. */
  verbatim: boolean;
  parts: TemplatePart[];
  /** Has a `%{…}` directive: the text is not known even in its literal parts. */
  hasDirective: boolean;
}

/** `<<EOT` / `<<-EOT` … `EOT`. */
export interface HclHeredoc extends ValueBase {
  kind: 'heredoc';
  marker: string;
  /** `<<-`: the common leading white space is stripped from every line. */
  indented: boolean;
  /** The text (ending with its last line break), indentation stripped for `<<-`, `$${` read as `${`, `${…}` kept as written. */
  value: string;
  /** The lines between the opening and closing markers, as written. */
  bodySpan: Span;
  /** Has `${…}` or `%{…}`. */
  templated: boolean;
  /** Literal runs (not stripped; `$${` read as `${`) and interpolations/directives of the body. */
  parts: TemplatePart[];
  /** The closing marker is missing. */
  unterminated: boolean;
}

export interface HclNumber extends ValueBase {
  kind: 'number';
  value: number;
  source: string;
}

export interface HclBool extends ValueBase {
  kind: 'bool';
  value: boolean;
}

export interface HclNull extends ValueBase {
  kind: 'null';
}

export type ExpressionForm = 'reference' | 'function' | 'conditional' | 'operation' | 'collection' | 'for' | 'parenthesized' | 'other';

/** Anything computed (var.x, local.x, data.…, a function call, a conditional, …): never judged as a literal. */
export interface HclExpression extends ValueBase {
  kind: 'expression';
  form: ExpressionForm;
  source: string;
}

/** No value could be read: nothing after `=`, a string that runs past its line, or a syntax error. */
export interface HclInvalid extends ValueBase {
  kind: 'invalid';
  reason: 'missing' | 'unterminated-string' | 'syntax';
}

/** A literal string's text: the value of a string, or of a heredoc without interpolation. */
export function literalString(v: HclValue | undefined): string | undefined {
  if (!v) return undefined;
  if (v.kind === 'string') return v.value;
  if (v.kind === 'heredoc' && !v.templated) return v.value;
  return undefined;
}

// ---------------------------------------------------------------------------
// Attributes and labels

export interface HclAttribute {
  name: string;
  nameSpan: Span;
  /** `name = value`. */
  span: Span;
  value: HclValue;
}

export interface HclLabel {
  /** Quotes removed, escapes resolved. */
  value: string;
  /** As written (quotes included). */
  span: Span;
}

// ---------------------------------------------------------------------------
// Classifying values

export function spanOf(n: Node): Span {
  return { start: n.startIndex, end: n.endIndex };
}

export function invalid(span: Span, reason: HclInvalid['reason']): HclInvalid {
  return { kind: 'invalid', span, reason };
}

/** The children of an `expression` wrapper (comments dropped), or the node itself. */
export function unwrapExpression(n: Node): Node[] {
  if (n.type !== 'expression') return [n];
  return n.children.filter((c): c is Node => !!c && c.type !== 'comment');
}

/** Classifies a value node (`expression` or anything an expression holds). */
export function classify(node: Node, text: string): HclValue {
  const span = spanOf(node);
  if (node.hasError) {
    // A string that ran past its line swallowed what followed: say so rather than judge it.
    const str = node.descendantsOfType(['string_lit', 'quoted_template'])[0];
    if (str && str.startIndex === node.startIndex && /[\r\n]/.test(text.slice(str.startIndex, str.endIndex))) return invalid(span, 'unterminated-string');
    return invalid(span, 'syntax');
  }
  const kids = unwrapExpression(node);
  if (kids.length !== 1) {
    if (kids[0]?.type === '(') return expression(span, 'parenthesized', text);
    // A reference and its traversals: var.x, data.a.b.c, module.m.out[0], local.x[*].y
    if (kids[0]?.type === 'variable_expr') return expression(span, 'reference', text);
    if (kids[0]?.type === 'function_call') return expression(span, 'function', text);
    return expression(span, 'other', text);
  }
  const n = kids[0];
  switch (n.type) {
    case 'literal_value':
      return classify(n.namedChildren[0] ?? n, text);
    case 'string_lit':
    case 'template_expr':
    case 'quoted_template':
    case 'heredoc_template':
      return n.type === 'template_expr' ? classify(n.namedChildren[0] ?? n, text) : n.type === 'heredoc_template' ? heredoc(n, text) : classifyString(n, text);
    case 'numeric_lit': {
      const source = text.slice(n.startIndex, n.endIndex);
      // HCL numbers are decimal (the grammar also takes 0x10, which Terraform refuses).
      return DECIMAL.test(source) ? { kind: 'number', span, value: Number(source), source } : invalid(span, 'syntax');
    }
    case 'bool_lit':
      return { kind: 'bool', span, value: text.slice(n.startIndex, n.endIndex) === 'true' };
    case 'null_lit':
      return { kind: 'null', span };
    case 'variable_expr':
      return expression(span, 'reference', text);
    case 'function_call':
      return expression(span, 'function', text);
    case 'conditional':
      return expression(span, 'conditional', text);
    case 'operation': {
      // -1 is a number written with a sign (--1 with two: followed down a loop, as deep as it goes).
      let sign = 1;
      let op: Node | null | undefined = n;
      for (;;) {
        const unary: Node | null | undefined = op?.type === 'operation' ? op.namedChildren[0] : undefined;
        if (unary?.type !== 'unary_operation' || unary.child(0)?.type !== '-') break;
        sign = -sign;
        op = unary.namedChildren[0];
        while (op?.type === 'expression' && op.namedChildCount === 1 && op.childCount === 1) op = op.namedChildren[0];
      }
      if (op && op !== n && op.type !== 'operation') {
        const inner = classify(op, text);
        if (inner.kind === 'number') return { kind: 'number', span, value: sign * inner.value, source: text.slice(span.start, span.end) };
      }
      return expression(span, 'operation', text);
    }
    case 'collection_value':
      return expression(span, 'collection', text);
    case 'for_expr':
      return expression(span, 'for', text);
    case 'expression':
      return classify(n, text);
    default:
      return expression(span, 'other', text);
  }
}

const DECIMAL = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function expression(span: Span, form: ExpressionForm, text: string): HclExpression {
  return { kind: 'expression', form, span, source: text.slice(span.start, span.end) };
}

const PLAIN_STRING = /^"[^"\\$%\r\n]*"$/;

/** A `string_lit` or `quoted_template` node. */
export function classifyString(n: Node, text: string): HclValue {
  const span = spanOf(n);
  // The common case, without looking at the children: "text" with nothing to resolve.
  if (PLAIN_STRING.test(text.slice(span.start, span.end))) {
    return { kind: 'string', span, value: text.slice(span.start + 1, span.end - 1), innerSpan: { start: span.start + 1, end: span.end - 1 }, verbatim: true };
  }
  const last = n.lastChild;
  const closed = !!last && last.type === 'quoted_template_end' && !last.isMissing && last.endIndex > last.startIndex;
  const innerSpan = { start: n.startIndex + 1, end: closed ? n.endIndex - 1 : n.endIndex };
  const parts: TemplatePart[] = [];
  let pos = innerSpan.start;
  let hasDirective = false;
  const literal = (start: number, end: number) => {
    if (end <= start) return;
    const source = text.slice(start, end);
    const value = unescapeQuoted(source);
    parts.push({ kind: 'literal', value, span: { start, end }, verbatim: value === source });
  };
  for (const c of n.namedChildren) {
    if (!c || (c.type !== 'template_interpolation' && c.type !== 'template_directive')) continue;
    literal(pos, c.startIndex);
    const source = text.slice(c.startIndex, c.endIndex);
    if (c.type === 'template_directive') hasDirective = true;
    parts.push({ kind: c.type === 'template_interpolation' ? 'interpolation' : 'directive', span: spanOf(c), source });
    pos = c.endIndex;
  }
  literal(pos, innerSpan.end);
  // Literal text running past its line: an unclosed quote swallowed what followed.
  if (!closed || parts.some((p) => p.kind === 'literal' && /[\r\n]/.test(text.slice(p.span.start, p.span.end)))) return invalid(span, 'unterminated-string');
  const raw = text.slice(innerSpan.start, innerSpan.end);
  const value = parts.map((p) => (p.kind === 'literal' ? p.value : p.source)).join('');
  if (parts.every((p) => p.kind === 'literal')) return { kind: 'string', span, value, innerSpan, verbatim: value === raw };
  return { kind: 'template', span, innerSpan, raw, value, verbatim: value === raw, parts, hasDirective };
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Resolves HCL quoted-string escapes; an unknown escape is kept as written. */
export function unescapeQuoted(source: string): string {
  if (!source.includes('\\') && !source.includes('$${') && !source.includes('%%{')) return source;
  return source.replace(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([\s\S]))|\$\$\{|%%\{/g, (m, u4: string | undefined, u8: string | undefined, c: string | undefined) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    if (u4) return String.fromCharCode(parseInt(u4, 16));
    if (u8) {
      const cp = parseInt(u8, 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return c !== undefined && c in ESCAPES ? ESCAPES[c] : m;
  });
}

function heredoc(n: Node, text: string): HclHeredoc {
  const span = spanOf(n);
  const start = n.children.find((c) => c?.type === 'heredoc_start');
  const idents = n.children.filter((c): c is Node => c?.type === 'heredoc_identifier');
  const open = idents[0];
  const close = idents.length > 1 ? idents[idents.length - 1] : undefined;
  const marker = open ? text.slice(open.startIndex, open.endIndex) : '';
  const indented = !!start && text.slice(start.startIndex, start.endIndex) === '<<-';
  const headerEnd = open ? open.endIndex : span.start;
  const nl = text.indexOf('\n', headerEnd);
  const bodyStart = nl === -1 || nl > span.end ? span.end : nl + 1;
  let bodyEnd = close ? close.startIndex : span.end;
  // The closing marker's line starts after the last line break before it.
  if (close) {
    const lb = text.lastIndexOf('\n', close.startIndex - 1);
    bodyEnd = lb >= bodyStart - 1 ? lb + 1 : bodyStart;
  }
  if (bodyEnd < bodyStart) bodyEnd = bodyStart;
  const bodySpan = { start: bodyStart, end: bodyEnd };
  const parts: TemplatePart[] = [];
  let pos = bodyStart;
  for (const c of n.namedChildren) {
    if (!c || (c.type !== 'template_interpolation' && c.type !== 'template_directive')) continue;
    if (c.startIndex > pos) parts.push(heredocLiteral(text, pos, c.startIndex));
    parts.push({ kind: c.type === 'template_interpolation' ? 'interpolation' : 'directive', span: spanOf(c), source: text.slice(c.startIndex, c.endIndex) });
    pos = c.endIndex;
  }
  if (bodyEnd > pos) parts.push(heredocLiteral(text, pos, bodyEnd));
  const h: HclHeredoc = { kind: 'heredoc', span, marker, indented, value: '', bodySpan, templated: parts.some((p) => p.kind !== 'literal'), parts, unterminated: !close };
  h.value = templateText(h, text, false).text;
  return h;
}

function heredocLiteral(text: string, start: number, end: number): TemplatePart {
  const source = text.slice(start, end);
  // A heredoc has no backslash escapes; `$${` and `%%{` are the literal `${` and `%{`, as in a quoted string.
  const value = source.replace(/\$\$\{|%%\{/g, (m) => m.slice(1));
  return { kind: 'literal', value, span: { start, end }, verbatim: value === source };
}

/** `<<-`: the smallest leading white space of the body's non-blank lines, which every line loses. */
function commonIndent(body: string): number {
  let min = Infinity;
  for (const line of body.split('\n')) {
    const content = line.replace(/\r$/, '');
    if (content.trim() === '') continue;
    min = Math.min(min, content.length - content.replace(/^[ \t]+/, '').length);
  }
  return Number.isFinite(min) ? min : 0;
}

/** An object key: a bare name, or a literal string; undefined for a computed key (`(var.k)`). */
export function objectKey(key: Node, text: string): string | undefined {
  const inner = unwrapExpression(key);
  if (inner.length === 1 && inner[0].type === 'variable_expr') return text.slice(inner[0].startIndex, inner[0].endIndex);
  if (inner.length === 1 && inner[0].type === 'identifier') return text.slice(inner[0].startIndex, inner[0].endIndex);
  const v = classify(key, text);
  return v.kind === 'string' ? v.value : undefined;
}

// ---------------------------------------------------------------------------
// Template text with source offsets

/**
 * A string's text as Terraform builds it (escapes resolved, a `<<-` heredoc's
 * indentation stripped), interpolations and directives kept as written, and
 * where each of its characters comes from in the source: what the ARN rules
 * read, and how their findings find their way back to the file.
 */
export interface TemplateText {
  text: string;
  /** Source offset where character i starts; `starts[text.length]`: where the text ends. */
  starts: number[];
  /** Source offset where character i ends (an escape is one character from several). */
  ends: number[];
  /** [start, end) in `text` of each interpolation and directive (unknown text). */
  interpolations: [number, number][];
}

/** The text of a string, template or heredoc; without `offsets`, `starts` and `ends` are left empty. */
export function templateText(v: HclString | HclTemplate | HclHeredoc, source: string, offsets = true): TemplateText {
  const out: TemplateText = { text: '', starts: [], ends: [], interpolations: [] };
  const put = (chars: string, start: number, end: number) => {
    out.text += chars;
    if (!offsets) return;
    for (let k = 0; k < chars.length; k++) {
      out.starts.push(start);
      out.ends.push(end);
    }
  };
  const parts: readonly TemplatePart[] = v.kind === 'string' ? [{ kind: 'literal', value: v.value, span: v.innerSpan, verbatim: v.verbatim }] : v.parts;
  const heredoc = v.kind === 'heredoc';
  const bodyStart = heredoc ? v.bodySpan.start : -1;
  const indent = heredoc && v.indented ? commonIndent(source.slice(v.bodySpan.start, v.bodySpan.end)) : 0;
  for (const part of parts) {
    const { start, end } = part.span;
    if (part.kind !== 'literal') {
      const at = out.text.length;
      for (let i = start; i < end; i++) put(source[i], i, i + 1);
      out.interpolations.push([at, out.text.length]);
      continue;
    }
    for (let i = start; i < end; ) {
      // `<<-`: a line loses the common indentation (or all it has, if less).
      if (indent && (i === bodyStart || source[i - 1] === '\n')) {
        let k = 0;
        while (k < indent && i < end && (source[i] === ' ' || source[i] === '\t')) {
          i++;
          k++;
        }
        if (i >= end) break;
      }
      const c = source[i];
      if ((c === '$' || c === '%') && source[i + 1] === c && source[i + 2] === '{' && i + 2 < end) {
        put(c, i, i + 2);
        put('{', i + 2, i + 3);
        i += 3;
      } else if (c === '\\' && !heredoc && i + 1 < end) {
        const m = /^\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([\s\S]))/.exec(source.slice(i, Math.min(end, i + 10)))!;
        const resolved = unescapeQuoted(m[0]);
        put(resolved, i, i + m[0].length);
        i += m[0].length;
      } else {
        put(c, i, i + 1);
        i++;
      }
    }
  }
  if (offsets) out.starts.push(out.ends.length ? out.ends[out.ends.length - 1] : heredoc ? bodyStart : v.innerSpan.start);
  return out;
}
