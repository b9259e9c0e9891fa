// Hover text for an ARN or pattern: its parts, what kind of identity it
// names, and for a pattern two caller ARNs it matches and one it does not.

import { KIND_LABELS, interpolationSpans, parseArn, type ArnPart, type Interpolations } from './parse';
import { matches, wildcardPrefix } from './match';

const show = (part: ArnPart | undefined) => (!part ? '-' : part.text === '' ? '(empty)' : `\`${part.text}\`${part.templated ? ' (interpolated: unknown here)' : ''}`);

const showPath = (path: ArnPart[]) => `\`${path.map((s) => s.text).join('/')}/\`${path.some((s) => s.templated) ? ' (interpolated: unknown here)' : ''}`;

/** `interpolations`: where the `${…}` of `pattern` are (default: every `${…}`; a Terraform `$${` is literal text). */
export function describeArn(pattern: string, interpolations?: Interpolations): string {
  const trimmed = pattern.trim();
  const lead = pattern.length - pattern.trimStart().length;
  const spans = interpolations ? interpolations.map(([s, e]) => [s - lead, e - lead] as const).filter(([s, e]) => s >= 0 && e <= trimmed.length) : interpolationSpans(trimmed);
  const p = parseArn(trimmed, spans);
  if (!p.isArn) return `**Not an ARN**: \`${pattern}\` needs the form \`arn:aws:sts::<account>:assumed-role/<role>/<session>\`.`;
  const rows: [string, string][] = [
    ['partition', show(p.partition)],
    ['service', show(p.service)],
    ['region', show(p.region)],
    ['account', show(p.account)],
  ];
  if (p.kind === 'assumed-role' || p.kind === 'sso-assumed-role') {
    rows.push(['role', show(p.roleName)], ['session', p.session ? (p.session.text === '*' ? '`*` (any session)' : show(p.session)) : '(missing)']);
  } else if (p.kind === 'iam-role') {
    if (p.path.length) rows.push(['path', showPath(p.path)]);
    rows.push(['role', show(p.roleName)]);
  } else if (p.kind === 'iam-user' || p.kind === 'federated-user') {
    if (p.path.length) rows.push(['path', showPath(p.path)]);
    rows.push(['user', show(p.userName)]);
  } else if (p.kind !== 'root') rows.push(['resource', show(p.resource)]);

  const lines = [`**ARN** · ${KIND_LABELS[p.kind]}`, '', '| part | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), ''];
  lines.push(...examples(trimmed, p.kind, spans));
  return lines.join('\n');
}

function examples(pattern: string, kind: string, spans: Interpolations): string[] {
  if (kind === 'iam-role') {
    const p = parseArn(pattern, spans);
    return [`Matches no caller: a session of this role presents itself as \`arn:aws:sts::${p.account?.text}:assumed-role/${p.roleName?.text}/<session>\`.`];
  }
  if (kind === 'root' || kind === 'other') return ['Matches no caller that may be mapped.'];
  if ((kind === 'assumed-role' || kind === 'sso-assumed-role') && !parseArn(pattern, spans).session) {
    return ['Matches no caller: a caller\'s assumed-role ARN always ends with a session name. Append `/*` for any session.'];
  }
  const prefix = wildcardPrefix(pattern);
  const out: string[] = [];
  if (prefix !== undefined && !pattern.slice(0, -2).includes('*')) {
    const yes = [`${prefix}i-0123456789abcdef0`, `${prefix}botocore-session-1700000000`];
    const no = `${prefix.replace(/\/$/, '')}-other/i-0123456789abcdef0`;
    out.push('Matches, for example:', ...yes.filter((a) => matches(pattern, a)).map((a) => `- \`${a}\``));
    if (!matches(pattern, no)) out.push('', 'Does not match:', `- \`${no}\``);
  } else if (!pattern.includes('*')) {
    const slash = pattern.lastIndexOf('/');
    out.push('Matches only this exact ARN' + (kind === 'assumed-role' || kind === 'sso-assumed-role' ? ' (this one session: use `/*` for any session).' : '.'));
    if (slash > 0) {
      const no = `${pattern.slice(0, slash + 1)}${kind === 'assumed-role' || kind === 'sso-assumed-role' ? 'another-session' : 'another-name'}`;
      if (no !== pattern && !matches(pattern, no)) out.push('', 'Does not match:', `- \`${no}\``);
    }
  }
  return out;
}
