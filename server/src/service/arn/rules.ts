// Every `arn/*` rule on one ARN pattern. Findings carry offsets within the
// pattern string; the caller (YAML, HCL, an input box, the CLI) maps them to
// its own text. One mistake is reported once, by the most specific rule.

import type { Severity } from '../common/types';
import { parseArn, type ArnPart, type ParsedArn } from './parse';

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

/** Lints one ARN pattern. */
export function lintArnPattern(source: string): ArnFinding[] {
  const out: ArnFinding[] = [];
  const trimmed = source.trim();
  const lead = source.length - source.trimStart().length;
  const inner = /\s+/.exec(trimmed);
  if (inner) {
    const at = lead + inner.index;
    out.push(finding('arn/whitespace', 'error', 'White space inside an ARN pattern: it can never match a caller ARN. Remove it.', at, at + inner[0].length, { title: 'Remove the white space', replacement: source.replace(/\s+/g, '') }));
    return out;
  }
  if (trimmed.length !== source.length) {
    const [s, e] = lead > 0 ? [0, lead] : [lead + trimmed.length, source.length];
    out.push(finding('arn/whitespace', 'error', 'White space around an ARN pattern: it can never match a caller ARN. Trim it.', s, e, { title: 'Trim the white space', replacement: trimmed }));
  }
  judge(trimmed, lead, out);
  return out;
}

function finding(code: string, severity: Severity, message: string, start: number, end: number, fix?: ArnFix): ArnFinding {
  return fix ? { code, severity, message, start, end: Math.max(end, start + 1), fix } : { code, severity, message, start, end: Math.max(end, start + 1) };
}

/** Offsets of `*` outside `${…}`. */
function starsOf(text: string): number[] {
  const stars: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && depth > 0) depth--;
    else if (text[i] === '*' && depth === 0) stars.push(i);
  }
  return stars;
}

const inPart = (part: ArnPart | undefined, at: number) => !!part && at >= part.start && at < part.end + (part.start === part.end ? 1 : 0);
/** The literal text of a part, interpolations removed. */
const literal = (part: ArnPart) => part.text.replace(/\$\{[^}]*\}?/g, '');

function judge(text: string, base: number, out: ArnFinding[]): void {
  const at = (s: number, e: number) => [base + s, base + e] as const;
  const report = (code: string, severity: Severity, message: string, s: number, e: number, fix?: ArnFix) => {
    const [fs, fe] = at(s, e);
    // Fixes rewrite the trimmed pattern: a fix also drops white space around it.
    out.push(finding(code, severity, message, fs, fe, fix));
  };
  const p = parseArn(text);
  if (!p.isArn) {
    report('arn/not-an-arn', 'error', text.startsWith('arn:') ? 'Not an ARN: it needs six `:`-separated fields (`arn:aws:sts::<account>:assumed-role/<role>/<session>`).' : 'Not an ARN: an ARN pattern starts with `arn:` (e.g. `arn:aws:sts::123456789012:assumed-role/my-role/*`).', 0, text.length);
    return;
  }
  const stars = starsOf(text);
  const fieldsWithStar = new Set<ArnPart>();
  let resourceStar: number | undefined;
  if (stars.length > 1) {
    report('arn/multiple-wildcards', 'error', `${stars.length} wildcards: a pattern may hold one, as a trailing \`/*\` after the role name.`, stars[1], stars[stars.length - 1] + 1);
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
  if (!partition.templated && !fieldsWithStar.has(partition) && partition.text !== 'aws') {
    report('arn/unsupported-partition', 'error', `Partition \`${partition.text || '(empty)'}\`: Datadog accepts identities of the \`aws\` partition only${/^aws-/.test(partition.text) ? ' (China, GovCloud and isolated regions are not supported)' : ''}.`, partition.start, partition.end);
  }

  // Service and resource type: what kind of identity this is.
  const service = p.service!;
  let callerShaped = true;
  if (!service.templated && !fieldsWithStar.has(service)) {
    const type = p.resourceType ?? '';
    if (p.kind === 'iam-role') {
      callerShaped = false;
      const role = p.roleName!;
      const fixable = !starsOf(role.text).length && role.text !== '' && !p.account!.text.includes('*');
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
        report('arn/wrong-service', 'error', `Not a caller identity (${what}): map an \`sts\` assumed-role ARN (or an \`iam\` user).`, s, e);
      }
    }
  }

  // The one wildcard in the resource, unless the ARN is already wrong as a whole.
  if (resourceStar !== undefined && (callerShaped || p.kind === 'other')) judgeResourceWildcard(p, resourceStar, report);

  // Region.
  const region = p.region!;
  if (region.text !== '' && !region.templated && !fieldsWithStar.has(region) && (service.text === 'sts' || service.text === 'iam')) {
    const replacement = text.slice(0, region.start) + text.slice(region.end);
    report('arn/region-not-empty', 'error', `IAM and STS ARNs have an empty region field (\`${service.text}::\`), even for a regional STS endpoint.`, region.start, region.end, { title: 'Remove the region', replacement });
  }

  // Account.
  const account = p.account!;
  // (Not for an ARN that names no caller at all: S3 buckets have no account; the service is the mistake.)
  if (!account.templated && !fieldsWithStar.has(account) && !ACCOUNT.test(account.text) && p.kind !== 'other') {
    report('arn/invalid-account', 'error', `The account must be exactly 12 digits, not \`${account.text || '(empty)'}\`${/^\d+$/.test(account.text) ? ` (${account.text.length} digits; leading zeros count)` : ''}.`, account.start, account.end);
  }

  // Names of an assumed role.
  if (p.kind === 'assumed-role' || p.kind === 'sso-assumed-role') judgeAssumedRole(p, report);
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

function judgeAssumedRole(p: ParsedArn, report: Report): void {
  const segs = p.segments;
  const role = p.roleName;
  if (!role) return;
  if (segs.length === 2 && !role.text.includes('*')) {
    report('arn/missing-session', 'warning', 'No session part: real caller ARNs always end with a session name, so this matches nothing. Append `/*` to match every session.', role.start, role.end, {
      title: 'Append `/*`',
      replacement: p.source + '/*',
    });
  }
  if (segs.length > 3) {
    report('arn/invalid-role-name', 'error', 'An assumed-role ARN carries no role path: `assumed-role/<role name>/<session>`.', segs[1].start, segs[segs.length - 2].end);
    return;
  }
  if (!role.text.includes('*')) {
    const lit = literal(role);
    if (!role.templated && (role.text.length < 1 || role.text.length > 64)) report('arn/invalid-role-name', 'error', `A role name is 1 to 64 characters${role.text.length ? `, not ${role.text.length}` : ''}.`, role.start, role.end);
    else if (!NAME_CHARS.test(lit)) report('arn/invalid-role-name', 'error', `\`${role.text}\` is not a role name: letters, digits and \`+=,.@_-\` only.`, role.start, role.end);
  }
  const session = p.session;
  if (session && segs.length === 3 && !session.text.includes('*')) {
    const lit = literal(session);
    if (!session.templated && (session.text.length < 2 || session.text.length > 64)) report('arn/invalid-session-name', 'error', `A session name is 2 to 64 characters, not ${session.text.length}.`, session.start, session.end);
    else if (!NAME_CHARS.test(lit)) report('arn/invalid-session-name', 'error', `\`${session.text}\` is not a session name: letters, digits and \`+=,.@_-\` only.`, session.start, session.end);
  }
}
