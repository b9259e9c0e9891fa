// Every `arn/*` rule on one ARN pattern. Findings carry offsets within the
// pattern string; the caller (YAML, HCL, an input box, the CLI) maps them to
// its own text. One mistake is reported once, by the most specific rule.

import type { Severity } from '../common/types';
import { interpolationSpans, interpolationsIn, parseArn, type ArnPart, type Interpolations, type ParsedArn } from './parse';
import { piecesMatch } from './match';

export interface ArnFix {
  title: string;
  /** The whole pattern as it should read. */
  replacement: string;
}

export interface ArnFinding {
  code: string;
  severity: Severity;
  message: string;
  /** Offsets within the pattern: [start, end). */
  start: number;
  end: number;
  fix?: ArnFix;
}

const NAME_CHARS = /^[A-Za-z0-9+=,.@_-]*$/;
const ACCOUNT = /^\d{12}$/;

/**
 * Lints one ARN pattern. `interpolations` says where its `${…}` are (unknown
 * values, never judged); by default every `${…}` is one.
 */
export function lintArnPattern(source: string, interpolations?: Interpolations): ArnFinding[] {
  const out: ArnFinding[] = [];
  const trimmed = source.trim();
  const lead = source.length - source.trimStart().length;
  // The interpolations of the trimmed text, and of a text made from it by
  // appending: found again (an unclosed `${` swallows what is appended), or
  // the ones given.
  const given = interpolations
    ?.map(([s, e]) => [Math.max(0, s - lead), Math.min(trimmed.length, e - lead)] as const)
    .filter(([s, e]) => s < e);
  const spansOf = (text: string): Interpolations => given ?? interpolationSpans(text);
  const spans = spansOf(trimmed);
  if (trimmed === '') {
    // Nothing but white space (or nothing): the mistake is that there is no ARN.
    out.push(finding('arn/not-an-arn', 'error', 'Not an ARN: an ARN pattern starts with `arn:` (e.g. `arn:aws:sts::123456789012:assumed-role/my-role/*`).', 0, source.length));
    return clamp(out, source.length);
  }
  // White space inside an interpolation (`${ var.account }`) is part of the expression, not of the pattern.
  const inner = outsideInterpolations(trimmed, /\s+/g, spans)[0];
  if (inner) {
    const at = lead + inner[0];
    out.push(finding('arn/whitespace', 'error', 'White space inside an ARN pattern: it can never match a caller ARN. Remove it.', at, lead + inner[1], { title: 'Remove the white space', replacement: removeOutside(trimmed, /\s+/g, spans) }));
    return clamp(out, source.length);
  }
  if (trimmed.length !== source.length) {
    const [s, e] = lead > 0 ? [0, lead] : [lead + trimmed.length, source.length];
    out.push(finding('arn/whitespace', 'error', 'White space around an ARN pattern: it can never match a caller ARN. Trim it.', s, e, { title: 'Trim the white space', replacement: trimmed }));
  }
  judge(trimmed, lead, out, spansOf);
  return clamp(out, source.length);
}

/** Findings are at least one character wide, but never past the end of the pattern. */
function clamp(out: ArnFinding[], length: number): ArnFinding[] {
  for (const f of out) {
    // An empty part at the very end is shown on the last character, never as an invisible range.
    if (f.start >= length && length > 0) f.start = length - 1;
    f.end = Math.max(f.start + (length > 0 ? 1 : 0), Math.min(f.end, length));
  }
  return out;
}

/** The [start, end) matches of `re` (global) in `text` that lie outside every interpolation (`spans`). */
function outsideInterpolations(text: string, re: RegExp, spans: Interpolations): [number, number][] {
  const out: [number, number][] = [];
  // Matches and spans both come in order: one pointer walks the spans (linear).
  let j = 0;
  for (const m of text.matchAll(re)) {
    let start = m.index!;
    let end = start + m[0].length;
    while (j < spans.length && spans[j][1] <= start) j++;
    // A match is cut by the interpolations it crosses: keep its first piece outside them.
    let k = j;
    while (k < spans.length && start >= spans[k][0] && start < spans[k][1]) start = spans[k++][1];
    if (k < spans.length && spans[k][0] > start && spans[k][0] < end) end = spans[k][0];
    if (start < end) out.push([start, end]);
  }
  return out;
}

/** `text` with the matches of `re` outside the interpolations (`spans`) removed. */
function removeOutside(text: string, re: RegExp, spans: Interpolations): string {
  let out = '';
  let at = 0;
  for (const [is, ie] of spans) {
    out += text.slice(at, is).replace(re, '') + text.slice(is, ie);
    at = ie;
  }
  return out + text.slice(at).replace(re, '');
}

function finding(code: string, severity: Severity, message: string, start: number, end: number, fix?: ArnFix): ArnFinding {
  return fix ? { code, severity, message, start, end: Math.max(end, start + 1), fix } : { code, severity, message, start, end: Math.max(end, start + 1) };
}

/** Offsets of `*` outside the interpolations (`spans`). */
function starsOf(text: string, spans: Interpolations): number[] {
  return outsideInterpolations(text, /\*/g, spans).map(([s]) => s);
}

/** Has a `*` outside its interpolations (`spans`, of the whole pattern). */
const hasStar = (part: ArnPart, spans: Interpolations) => starsOf(part.text, interpolationsIn(part, spans)).length > 0;

const inPart = (part: ArnPart | undefined, at: number) => !!part && at >= part.start && at < part.end + (part.start === part.end ? 1 : 0);
/** The literal pieces of a part, between and around its interpolations, with their offsets. */
function literalPieces(part: ArnPart, spans: Interpolations): { text: string; start: number; end: number }[] {
  const pieces: { text: string; start: number; end: number }[] = [];
  let at = part.start;
  const source = part.text;
  for (const [s, e] of interpolationsIn(part, spans)) {
    if (s > at - part.start) pieces.push({ text: source.slice(at - part.start, s), start: at, end: part.start + s });
    at = part.start + e;
  }
  if (at < part.end) pieces.push({ text: source.slice(at - part.start), start: at, end: part.end });
  return pieces;
}
/** The literal text of a part, interpolations removed. */
const literal = (part: ArnPart, spans: Interpolations) => literalPieces(part, spans).map((p) => p.text).join('');
/**
 * Where to underline a part: all of it, or for a part holding an interpolation
 * only its literal text (the unknown value is never reported).
 */
function judgedSpan(part: ArnPart, spans: Interpolations): [number, number] {
  if (!part.templated) return [part.start, part.end];
  const pieces = literalPieces(part, spans);
  return pieces.length ? [pieces[0].start, pieces[pieces.length - 1].end] : [part.start, part.end];
}
/** Could a part, whatever its interpolations stand for, read exactly `value`? */
function couldRead(part: ArnPart, value: string, spans: Interpolations): boolean {
  if (!part.templated) return part.text === value;
  // A glob match: the literal pieces in order, anything in between.
  const pieces: string[] = [];
  let at = 0;
  for (const [s, e] of interpolationsIn(part, spans)) {
    pieces.push(part.text.slice(at, s));
    at = e;
  }
  pieces.push(part.text.slice(at));
  return piecesMatch(pieces, value);
}

function judge(text: string, base: number, out: ArnFinding[], spansOf: (text: string) => Interpolations): void {
  const spans = spansOf(text);
  const at = (s: number, e: number) => [base + s, base + e] as const;
  const report = (code: string, severity: Severity, message: string, s: number, e: number, fix?: ArnFix) => {
    const [fs, fe] = at(s, e);
    // Fixes rewrite the trimmed pattern: a fix also drops white space around it.
    out.push(finding(code, severity, message, fs, fe, fix));
  };
  const p = parseArn(text, spans);
  if (!p.isArn) {
    // An interpolation at the start may stand for the whole ARN (`"${var.pattern}"`) or its `arn:…` prefix: unknown.
    if (spans.length && spans[0][0] === 0) return;
    report('arn/not-an-arn', 'error', text.startsWith('arn:') ? 'Not an ARN: it needs six `:`-separated fields (`arn:aws:sts::<account>:assumed-role/<role>/<session>`).' : 'Not an ARN: an ARN pattern starts with `arn:` (e.g. `arn:aws:sts::123456789012:assumed-role/my-role/*`).', 0, text.length);
    return;
  }
  const stars = starsOf(text, spans);
  const fieldsWithStar = new Set<ArnPart>();
  let resourceStar: number | undefined;
  if (stars.length > 1) {
    // Underline the misplaced ones: every `*` but a final `/*`, which is where the one wildcard belongs.
    const misplaced = text.endsWith('/*') && stars[stars.length - 1] === text.length - 1 ? stars.slice(0, -1) : stars;
    report('arn/multiple-wildcards', 'error', `${stars.length} wildcards: a pattern may hold one, as a trailing \`/*\` after the role name.`, misplaced[0], misplaced[misplaced.length - 1] + 1);
    for (const s of stars) for (const f of [p.partition, p.service, p.region, p.account]) if (inPart(f, s)) fieldsWithStar.add(f!);
  } else if (stars.length === 1) {
    const s = stars[0];
    const field = [p.partition, p.service, p.region, p.account].find((f) => inPart(f, s));
    if (field) {
      fieldsWithStar.add(field);
      const name = field === p.account ? 'account' : field === p.region ? 'region' : field === p.service ? 'service' : 'partition';
      report('arn/wildcard-not-last', 'error', `A wildcard in the ${name}: only a trailing \`/*\` after the role name (any session) is allowed.`, s, s + 1);
    } else resourceStar = s;
  }

  // Partition.
  const partition = p.partition!;
  if (!fieldsWithStar.has(partition) && !couldRead(partition, 'aws', spans)) {
    const [ps, pe] = judgedSpan(partition, spans);
    report('arn/unsupported-partition', 'error', `Partition \`${partition.text || '(empty)'}\`: Datadog accepts identities of the \`aws\` partition only${/^aws-/.test(partition.text) ? ' (China, GovCloud and isolated regions are not supported)' : ''}.`, ps, pe);
  }

  // Service and resource type: what kind of identity this is.
  const service = p.service!;
  let callerShaped = true;
  let wrongService = false;
  if (!service.templated && !fieldsWithStar.has(service)) {
    const type = p.resourceType ?? '';
    if (p.kind === 'iam-role') {
      callerShaped = false;
      const role = p.roleName!;
      const fixable = !hasStar(role, spans) && role.text !== '' && !hasStar(p.account!, spans);
      const suggestion = `arn:${partition.text}:sts::${p.account!.text}:assumed-role/${role.text}/*`;
      report(
        'arn/iam-role-arn',
        'error',
        `An IAM role ARN never matches: a caller using the role presents its assumed-role ARN (\`arn:aws:sts::<account>:assumed-role/<role>/<session>\`, no role path), as \`aws sts get-caller-identity\` prints it.${fixable ? ` Use \`${suggestion}\`.` : ''}`,
        service.start,
        p.resource!.end,
        fixable ? { title: `Replace with \`${suggestion}\``, replacement: suggestion } : undefined,
      );
    } else if (p.kind === 'iam-user') {
      report('arn/iam-user', 'warning', 'An IAM user: this works, but means long-lived access keys. Prefer a role, matched through its assumed-role ARN.', p.resource!.start, p.resource!.end);
    } else if (p.kind === 'root') {
      callerShaped = false;
      report('arn/root', 'error', 'The account root: never map it. Create a role for this and map its assumed-role ARN.', p.resource!.start, p.resource!.end);
    } else if (p.kind === 'other') {
      callerShaped = false;
      const what = service.text === 'iam' || service.text === 'sts' ? `\`${service.text}\` with a \`${type || '(empty)'}\` resource` : `service \`${service.text || '(empty)'}\``;
      const [s, e] = service.text === 'iam' || service.text === 'sts' ? [p.resource!.start, p.segments[0].end] : [service.start, service.end];
      if (!(resourceStar !== undefined && p.segments[0] && inPart(p.segments[0], resourceStar) && (service.text === 'iam' || service.text === 'sts'))) {
        wrongService = true;
        report('arn/wrong-service', 'error', `Not a caller identity (${what}): map an \`sts\` assumed-role ARN (or an \`iam\` user).`, s, e);
      }
    }
  }

  // The one wildcard in the resource, unless the ARN is already wrong as a whole (`sts::<acct>:*` is judged
  // by the wildcard: it is not the service that is wrong there).
  if (resourceStar !== undefined && (callerShaped || (p.kind === 'other' && !wrongService))) judgeResourceWildcard(p, resourceStar, report);

  // Region.
  const region = p.region!;
  // (An interpolated region may stand for the empty string; literal text beside it may not.)
  if (literal(region, spans) !== '' && !fieldsWithStar.has(region) && (service.text === 'sts' || service.text === 'iam')) {
    const replacement = text.slice(0, region.start) + text.slice(region.end);
    const [rs, re] = judgedSpan(region, spans);
    report('arn/region-not-empty', 'error', `IAM and STS ARNs have an empty region field (\`${service.text}::\`), even for a regional STS endpoint.`, rs, re, { title: 'Remove the region', replacement });
  }

  // Account.
  const account = p.account!;
  // (Not for an ARN that names no caller at all: S3 buckets have no account; the service is the mistake.)
  // (An interpolated account is unknown: only its literal digits beside the interpolation are judged.)
  const accountLiteral = literal(account, spans);
  const accountBad = account.templated ? !/^\d{0,12}$/.test(accountLiteral) : !ACCOUNT.test(account.text);
  if (accountBad && !fieldsWithStar.has(account) && p.kind !== 'other') {
    const [as, ae] = judgedSpan(account, spans);
    const digits = account.templated ? '' : /^\d+$/.test(account.text) ? ` (${account.text.length} digits; leading zeros count)` : '';
    report('arn/invalid-account', 'error', `The account must be exactly 12 digits, not \`${account.text || '(empty)'}\`${digits}.`, as, ae);
  }

  // Names of an assumed role.
  if (p.kind === 'assumed-role' || p.kind === 'sso-assumed-role') judgeAssumedRole(p, report, spansOf);
}

type Report = (code: string, severity: Severity, message: string, s: number, e: number, fix?: ArnFix) => void;

function judgeResourceWildcard(p: ParsedArn, star: number, report: Report): void {
  const segs = p.segments;
  const idx = segs.findIndex((s) => inPart(s, star));
  const seg = segs[idx];
  if (!seg) return;
  if (idx < segs.length - 1) {
    report('arn/wildcard-not-last', 'error', `A wildcard in \`${seg.text}\`: only the final segment (the session) may be \`*\`.`, star, star + 1);
    return;
  }
  const isNamePosition = idx === 1 && (p.kind === 'assumed-role' || p.kind === 'sso-assumed-role' || p.kind === 'iam-user' || p.kind === 'federated-user');
  if (idx === 0 || (seg.text === '*' && isNamePosition) || (seg.text === '*' && p.kind === 'iam-user')) {
    report('arn/wildcard-without-resource', 'error', 'A wildcard with no specific resource before it would match every identity of that kind: name the role, then `/*` for any session.', star, star + 1);
    return;
  }
  if (isNamePosition || p.kind === 'iam-user') {
    report('arn/wildcard-not-last', 'error', `A wildcard in a name (\`${seg.text}\`): only a trailing \`/*\` after the role name (any session) is allowed.`, star, star + 1);
    return;
  }
  if (seg.text !== '*') {
    const replacement = p.source.slice(0, seg.start) + '*' + p.source.slice(seg.end);
    report('arn/partial-wildcard', 'error', `\`${seg.text}\` mixes \`*\` with other characters: the wildcard stands alone, as \`/*\` (any session).`, seg.start, seg.end, { title: 'Replace the segment with `*`', replacement });
  }
}

function judgeAssumedRole(p: ParsedArn, report: Report, spansOf: (text: string) => Interpolations): void {
  const spans = spansOf(p.source);
  const segs = p.segments;
  const role = p.roleName;
  if (!role) {
    report('arn/invalid-role-name', 'error', 'No role name: `assumed-role/<role name>/<session>`.', segs[0].start, segs[0].end);
    return;
  }
  // (An empty role name is the mistake there: appending `/*` would not help.)
  if (segs.length === 2 && !hasStar(role, spans) && role.text !== '') {
    // No fix for a name ending inside an unclosed `${`: the interpolation would swallow the `/*`.
    const fixable = parseArn(p.source + '/*', spansOf(p.source + '/*')).session?.text === '*';
    report(
      'arn/missing-session',
      'warning',
      'No session part: real caller ARNs always end with a session name, so this matches nothing. Append `/*` to match every session.',
      role.start,
      role.end,
      fixable ? { title: 'Append `/*`', replacement: p.source + '/*' } : undefined,
    );
  }
  // A role path: segments between the role name and the session. A `*` among them is judged by the wildcard rules.
  if (segs.length > 3 && segs.slice(2, -1).some((s) => !hasStar(s, spans))) {
    report('arn/invalid-role-name', 'error', 'An assumed-role ARN carries no role path: `assumed-role/<role name>/<session>`.', segs[1].start, segs[segs.length - 2].end);
    return;
  }
  if (segs.length > 3) return;
  // Interpolated names are unknown: only their literal characters are judged (and at most 64 of them).
  if (!hasStar(role, spans)) {
    const lit = literal(role, spans);
    const [s, e] = judgedSpan(role, spans);
    if (role.templated ? lit.length > 64 : role.text.length < 1 || role.text.length > 64) report('arn/invalid-role-name', 'error', `A role name is 1 to 64 characters${role.text.length ? `, not ${lit.length}` : ''}.`, s, e);
    else if (!NAME_CHARS.test(lit)) report('arn/invalid-role-name', 'error', `\`${role.text}\` is not a role name: letters, digits and \`+=,.@_-\` only.`, s, e);
  }
  const session = p.session;
  if (session && segs.length === 3 && !hasStar(session, spans)) {
    const lit = literal(session, spans);
    const [s, e] = judgedSpan(session, spans);
    if (session.templated ? lit.length > 64 : session.text.length < 2 || session.text.length > 64) report('arn/invalid-session-name', 'error', `A session name is 2 to 64 characters, not ${lit.length}.`, s, e);
    else if (!NAME_CHARS.test(lit)) report('arn/invalid-session-name', 'error', `\`${session.text}\` is not a session name: letters, digits and \`+=,.@_-\` only.`, s, e);
  }
}
