// Splits an ARN or ARN pattern into its parts, each with its offsets in the
// string, so a diagnostic can underline exactly the part at fault. A template
// interpolation (`${…}`, as in Terraform or CloudFormation) stands for an
// unknown value: it never splits a field and is never judged. By default every
// `${…}` is one; a reader that knows better passes where they are (a
// Terraform `$${` escape is the literal text `${`, no interpolation).

export interface ArnPart {
  text: string;
  /** Offsets in the original string: [start, end). */
  start: number;
  end: number;
  /** Holds a `${…}` interpolation: its value is unknown. */
  templated: boolean;
}

export type ArnKind = 'assumed-role' | 'sso-assumed-role' | 'iam-role' | 'iam-user' | 'root' | 'federated-user' | 'other';

/** [start, end) of each interpolation in a pattern, in order. */
export type Interpolations = readonly (readonly [number, number])[];

export interface ParsedArn {
  source: string;
  /** Fewer than six `:`-separated fields, or no `arn:` prefix: only `source` is meaningful. */
  isArn: boolean;
  partition?: ArnPart;
  service?: ArnPart;
  region?: ArnPart;
  account?: ArnPart;
  /** Everything after the fifth `:`. */
  resource?: ArnPart;
  /** The resource split on `/` (interpolations kept whole). */
  segments: ArnPart[];
  /** `assumed-role`, `role`, `user`, `federated-user`, `root`, `policy`, … (the first segment). */
  resourceType?: string;
  kind: ArnKind;
  /** For roles: the role name (the last segment of an IAM role ARN, the second of an assumed-role ARN). */
  roleName?: ArnPart;
  /** For IAM roles and users: the path segments between the type and the name. */
  path: ArnPart[];
  /** For assumed-role ARNs: the session name (undefined when missing). */
  session?: ArnPart;
  /** For IAM users and federated users: the user name. */
  userName?: ArnPart;
}

/** The interpolations of `part` (spans of the whole text), relative to the part's start. */
export function interpolationsIn(part: ArnPart, spans: Interpolations): [number, number][] {
  const out: [number, number][] = [];
  for (const [s, e] of spans) if (s < part.end && e > part.start) out.push([Math.max(s, part.start) - part.start, Math.min(e, part.end) - part.start]);
  return out;
}

/**
 * The `${…}` interpolations of `text[from, to)`, as [start, end) offsets. Braces
 * nest inside one (`${ {a = 1}["a"] }`); an unclosed one runs to `to`.
 */
export function interpolationSpans(text: string, from = 0, to = text.length): [number, number][] {
  const spans: [number, number][] = [];
  let depth = 0;
  let start = -1;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (depth === 0) {
      if (c === '$' && text[i + 1] === '{' && i + 1 < to) {
        depth = 1;
        start = i;
        i++;
      }
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) spans.push([start, i + 1]);
  }
  if (depth > 0) spans.push([start, to]);
  return spans;
}

/** Splits `text[from, to)` on `sep`, outside the interpolations (`spans`, in order). */
function split(text: string, from: number, to: number, sep: string, spans: Interpolations, limit = Infinity): ArnPart[] {
  const parts: ArnPart[] = [];
  let start = from;
  let templated = false;
  let k = 0;
  while (k < spans.length && spans[k][1] <= from) k++;
  for (let i = from; i < to; i++) {
    if (k < spans.length && i >= spans[k][0]) {
      // Inside an interpolation: never a separator.
      templated = true;
      i = Math.min(spans[k][1], to) - 1;
      k++;
    } else if (text[i] === sep && parts.length < limit) {
      parts.push({ text: text.slice(start, i), start, end: i, templated });
      start = i + 1;
      templated = false;
    }
  }
  parts.push({ text: text.slice(start, to), start, end: to, templated });
  return parts;
}

/** Parses `source`; `interpolations` says where its `${…}` are (default: every `${…}`). */
export function parseArn(source: string, interpolations: Interpolations = interpolationSpans(source)): ParsedArn {
  const empty: ParsedArn = { source, isArn: false, segments: [], path: [], kind: 'other' };
  if (!source.startsWith('arn:')) return empty;
  const fields = split(source, 0, source.length, ':', interpolations, 5);
  if (fields.length < 6) return empty;
  const [, partition, service, region, account, resource] = fields;
  const segments = split(source, resource.start, resource.end, '/', interpolations);
  const parsed: ParsedArn = { source, isArn: true, partition, service, region, account, resource, segments, path: [], kind: 'other' };
  const type = segments[0]?.text;
  parsed.resourceType = type;
  const svc = service.text;
  if (svc === 'sts' && type === 'assumed-role') {
    parsed.roleName = segments[1];
    parsed.session = segments.length > 2 ? segments[segments.length - 1] : undefined;
    parsed.kind = parsed.roleName?.text.startsWith('AWSReservedSSO_') ? 'sso-assumed-role' : 'assumed-role';
  } else if (svc === 'sts' && type === 'federated-user') {
    parsed.userName = segments[1];
    parsed.kind = 'federated-user';
  } else if (svc === 'iam' && type === 'role' && segments.length >= 2) {
    parsed.roleName = segments[segments.length - 1];
    parsed.path = segments.slice(1, -1);
    parsed.kind = 'iam-role';
  } else if (svc === 'iam' && type === 'user' && segments.length >= 2) {
    parsed.userName = segments[segments.length - 1];
    parsed.path = segments.slice(1, -1);
    parsed.kind = 'iam-user';
  } else if (svc === 'iam' && type === 'root' && segments.length === 1) {
    parsed.kind = 'root';
  }
  return parsed;
}

export const KIND_LABELS: Record<ArnKind, string> = {
  'assumed-role': 'an assumed role (a role session, as `aws sts get-caller-identity` prints it)',
  'sso-assumed-role': 'an IAM Identity Center (SSO) permission set, through its assumed role',
  'iam-role': 'an IAM role (the role itself, not a session of it)',
  'iam-user': 'an IAM user (long-lived access keys)',
  root: 'the account root',
  'federated-user': 'a federated user (`GetFederationToken`)',
  other: 'not a caller identity',
};
