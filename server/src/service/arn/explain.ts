// "Why can't I log in?": from a caller ARN (what `aws sts get-caller-identity`
// prints) and the mappings the API lists, which mapping matches, or that none
// does and which one comes closest, and why it misses. Pure: no I/O, no cloud
// core; the mappings are whatever objects carry an `arnPattern`.

import { parseArn, type ArnKind, type ParsedArn } from './parse';
import { matches, piecesMatch } from './match';

/** The least a mapping must carry to be explained; `kind` and `id` make the words better. */
export interface ExplainableMapping {
  arnPattern: string;
  /** `identity` / `intake` (any string): compared with `options.kind`. */
  kind?: string;
  id?: string;
}

/** Why a mapping that does not match comes close, most telling first. */
export type NearMissReason =
  | 'other-kind' // it matches, but it is a mapping of the other kind (intake vs identity)
  | 'whitespace' // white space around the pattern
  | 'case' // differs only in letter case
  | 'iam-role-arn' // the IAM role ARN of the caller's role, where the assumed-role ARN is needed
  | 'missing-session' // `…:assumed-role/<role>` without `/*`
  | 'other-session' // one exact session of the caller's role
  | 'region' // a region in an STS / IAM ARN
  | 'role-path' // a role path inside an assumed-role ARN
  | 'user-path' // the caller's IAM user with another (or no) path
  | 'unsupported-wildcard' // a `*` that would match as a glob, but is no wildcard there
  | 'sso-permission-set' // the same SSO permission set with another role suffix
  | 'other-account' // the same role (or user) in another account
  | 'other-role'; // another role or user in the caller's account

const SCORE: Record<NearMissReason, number> = {
  'other-kind': 100,
  whitespace: 95,
  case: 94,
  'iam-role-arn': 90,
  'missing-session': 89,
  'other-session': 88,
  region: 87,
  'role-path': 86,
  'user-path': 85,
  'unsupported-wildcard': 80,
  'sso-permission-set': 75,
  'other-account': 70,
  'other-role': 40,
};

export interface NearMiss<M extends ExplainableMapping = ExplainableMapping> {
  mapping: M;
  /** Index of the mapping in the input. */
  index: number;
  reason: NearMissReason;
  /** Why it misses, in words, naming the pattern and the caller's part it differs in. */
  message: string;
  /** When fixing this mapping is the likely cure: the pattern to re-create it with (delete + create). */
  replaceWith?: string;
}

export interface LoginExplanation<M extends ExplainableMapping = ExplainableMapping> {
  /** The caller ARN as given, trimmed. */
  callerArn: string;
  callerKind: ArnKind | 'not-an-arn';
  /**
   * The ARN the mappings were matched against: the caller ARN, or for an IAM role ARN
   * (or an assumed-role ARN without a session) a session of that role.
   */
  effectiveArn?: string;
  /** Set when no mapping can ever match this caller (the account root, not an ARN, …). */
  callerProblem?: string;
  /** A note on how the caller ARN was read (an IAM role ARN taken as a session of the role). */
  callerNote?: string;
  /** Every mapping (of the wanted kind) that matches: usually one. */
  matched: { mapping: M; index: number }[];
  /** The near miss that most likely explains the failure; undefined when something matched or nothing is close. */
  closest?: NearMiss<M>;
  /** Every mapping that comes close, most telling first. Empty when something matched. */
  nearMisses: NearMiss<M>[];
  /** The pattern a new mapping needs to match this caller (`…:assumed-role/<role>/*`), when it can be mapped. */
  suggestedPattern?: string;
  /** The whole answer in a few sentences. */
  summary: string;
}

export interface ExplainOptions {
  /** The kind of mapping the failing login needs (`identity` for Terraform, `intake` for the Agent); others only explain. */
  kind?: string;
}

/** The session placeholder used when a role (not a session of it) is explained. */
const SESSION_PLACEHOLDER = 'session-name';

const SSO_PREFIX = 'AWSReservedSSO_';

/**
 * Explains a failing login: which of `mappings` matches `callerArn` (with the
 * engine's matcher), or which comes closest and why it misses, and the pattern
 * to create.
 */
export function explainLogin<M extends ExplainableMapping>(callerArn: string, mappings: readonly M[], options: ExplainOptions = {}): LoginExplanation<M> {
  const arn = callerArn.trim();
  const caller = readCaller(arn);
  const base = { callerArn: arn, callerKind: caller.kind, matched: [] as { mapping: M; index: number }[], nearMisses: [] as NearMiss<M>[] };
  if (caller.problem || !caller.effective) {
    const problem = caller.problem ?? `\`${arn}\` is not a caller identity.`;
    return { ...base, callerProblem: problem, summary: problem };
  }
  const effective = caller.effective;
  const parsedCaller = parseArn(effective);
  const wanted = (m: M) => options.kind === undefined || m.kind === undefined || m.kind === options.kind;

  const matched: { mapping: M; index: number }[] = [];
  const near: (NearMiss<M> & { score: number })[] = [];
  mappings.forEach((mapping, index) => {
    const pattern = mapping.arnPattern;
    if (matches(pattern, effective)) {
      if (wanted(mapping)) matched.push({ mapping, index });
      else {
        const message = `The ${mapping.kind} mapping${idText(mapping)} \`${pattern}\` matches the caller, but this login needs ${article(options.kind!)} ${options.kind} mapping (the Terraform flow uses identity mappings, the Agent flow intake mappings).`;
        near.push({ mapping, index, reason: 'other-kind', message, score: SCORE['other-kind'] });
      }
      return;
    }
    if (!wanted(mapping)) return;
    const miss = nearMiss(pattern, parsedCaller, effective, caller.suggested, caller.anySession === true);
    if (miss) near.push({ mapping, index, ...miss, score: SCORE[miss.reason] + miss.similarity });
  });

  const note = caller.note ? { callerNote: caller.note } : {};
  if (matched.length) {
    const which = matched.map((m) => `${m.mapping.id ? `\`${m.mapping.id}\` ` : ''}(\`${m.mapping.arnPattern}\`)`).join(', ');
    const summary =
      matched.length === 1
        ? `Mapping ${which} matches \`${effective}\`. If the login still fails: a new mapping can take several minutes to take effect, and the proof must be built for this organization (its org UUID) and sent to its site.`
        : `${matched.length} mappings match \`${effective}\`: ${which}. Overlapping patterns are normally refused by the API; keep one.`;
    return { ...base, ...note, effectiveArn: effective, matched, nearMisses: [], suggestedPattern: caller.suggested, summary };
  }

  near.sort((a, b) => b.score - a.score || a.index - b.index);
  const nearMisses: NearMiss<M>[] = near.map(({ score: _score, ...n }) => n);
  const closest = nearMisses[0];
  const create = caller.suggested ? ` Create ${options.kind ? `${article(options.kind)} ${options.kind} mapping` : 'a mapping'} with \`${caller.suggested}\`.` : '';
  let summary: string;
  const kindWord = options.kind ? `${options.kind} ` : '';
  if (!mappings.some(wanted) && !closest) summary = `There are no ${kindWord}mappings, so nothing matches \`${effective}\`.${create}`;
  else if (!closest) summary = `No ${kindWord}mapping matches \`${effective}\`, and none comes close.${create}`;
  else if (closest.replaceWith) {
    summary = `No ${kindWord}mapping matches \`${effective}\`. Closest: ${closest.message} To fix it, delete that mapping and create it again with \`${closest.replaceWith}\` (there is no update).`;
  } else summary = `No ${kindWord}mapping matches \`${effective}\`. Closest: ${closest.message}${create}`;
  if (caller.note) summary = `${caller.note} ${summary}`;
  return { ...base, ...note, effectiveArn: effective, closest, nearMisses, suggestedPattern: caller.suggested, summary };
}

interface CallerReading {
  kind: ArnKind | 'not-an-arn';
  effective?: string;
  suggested?: string;
  problem?: string;
  /** The problem is the caller itself (the account root), not how it was written. */
  unmappable?: boolean;
  /** Read as any session of a role (an IAM role ARN, or no session given): the effective ARN's session is a placeholder. */
  anySession?: boolean;
  note?: string;
}

/**
 * Why `callerArn` cannot be explained, in words, or undefined when it can:
 * not an ARN, a pattern rather than a caller, or no caller identity at all.
 * The account root can be explained (it is a caller, one never to map).
 */
export function callerArnProblem(callerArn: string): string | undefined {
  const caller = readCaller(callerArn.trim());
  return caller.unmappable ? undefined : caller.problem;
}

function readCaller(arn: string): CallerReading {
  const p = parseArn(arn);
  if (!p.isArn) return { kind: 'not-an-arn', problem: `\`${arn}\` is not an ARN: give the caller ARN that \`aws sts get-caller-identity\` prints.` };
  // (What STS prints never holds these: a typo, or a pattern given where a caller was meant.)
  if (arn.includes('*')) return { kind: p.kind, problem: `\`${arn}\` is a pattern (it holds a \`*\`), not a caller: give the caller ARN that \`aws sts get-caller-identity\` prints.` };
  if (/\s/.test(arn)) return { kind: p.kind, problem: `\`${JSON.stringify(arn).slice(1, -1)}\` holds white space, which no caller ARN does.` };
  if (p.kind !== 'other' && !/^\d{12}$/.test(p.account!.text)) return { kind: p.kind, problem: `\`${arn}\` has the account \`${p.account!.text}\`: an account is exactly 12 digits.` };
  const partition = p.partition!.text;
  const account = p.account!.text;
  switch (p.kind) {
    case 'assumed-role':
    case 'sso-assumed-role': {
      const role = p.roleName?.text ?? '';
      if (!role) return { kind: p.kind, problem: `\`${arn}\` names no role.` };
      const suggested = `arn:${partition}:sts::${account}:assumed-role/${role}/*`;
      if (p.segments.length === 2) {
        return {
          kind: p.kind,
          effective: `arn:${partition}:sts::${account}:assumed-role/${role}/${SESSION_PLACEHOLDER}`,
          suggested,
          anySession: true,
          note: `\`${arn}\` has no session name; read as any session of the role \`${role}\`.`,
        };
      }
      return { kind: p.kind, effective: arn, suggested };
    }
    case 'iam-role': {
      const role = p.roleName!.text;
      return {
        kind: p.kind,
        effective: `arn:${partition}:sts::${account}:assumed-role/${role}/${SESSION_PLACEHOLDER}`,
        suggested: `arn:${partition}:sts::${account}:assumed-role/${role}/*`,
        anySession: true,
        note: `\`${arn}\` is the IAM role, not a caller: a caller using it presents \`arn:${partition}:sts::${account}:assumed-role/${role}/<session>\`; read as such a session.`,
      };
    }
    case 'iam-user':
    case 'federated-user':
      return { kind: p.kind, effective: arn, suggested: arn };
    case 'root':
      return { kind: p.kind, unmappable: true, problem: 'The caller is the account root, which must never be mapped: create a role, assume it, and map its assumed-role ARN.' };
    default:
      return { kind: p.kind, problem: `\`${arn}\` is not a caller identity: give the ARN that \`aws sts get-caller-identity\` prints (\`arn:aws:sts::<account>:assumed-role/<role>/<session>\` or an IAM user).` };
  }
}

interface Miss {
  reason: NearMissReason;
  message: string;
  replaceWith?: string;
  /** 0 ≤ similarity < 1: breaks ties between misses of one reason. */
  similarity: number;
}

/** `anySession`: the caller stands for any session of its role (its session name is a placeholder, not to be quoted). */
function nearMiss(raw: string, c: ParsedArn, callerArn: string, suggested: string | undefined, anySession: boolean): Miss | undefined {
  const fix = (reason: NearMissReason, message: string, similarity = 0.5): Miss => ({ reason, message, replaceWith: suggested, similarity });
  const pattern = raw.trim();
  if (pattern !== raw && matches(pattern, callerArn)) return fix('whitespace', `\`${JSON.stringify(raw).slice(1, -1)}\` has white space around it, so it matches nothing.`);
  if (matches(pattern.toLowerCase(), callerArn.toLowerCase())) return fix('case', `\`${pattern}\` differs from the caller \`${callerArn}\` only in letter case: patterns are compared exactly.`);

  const p = parseArn(pattern);
  if (!p.isArn) return undefined;
  const partition = p.partition!.text;
  const account = p.account!.text;
  const callerAccount = c.account?.text ?? '';
  const callerRole = c.roleName?.text;
  const callerIsRole = c.kind === 'assumed-role' || c.kind === 'sso-assumed-role';

  // The IAM role ARN of the caller's role.
  if (p.kind === 'iam-role' && callerIsRole) {
    const candidate = `arn:${partition}:sts::${account}:assumed-role/${p.roleName!.text}/*`;
    if (matches(candidate, callerArn)) {
      return fix('iam-role-arn', `\`${pattern}\` is the IAM role ARN: a caller using the role presents its assumed-role ARN (\`${callerArn}\`), which an IAM role ARN never matches.`);
    }
  }
  if ((p.kind === 'assumed-role' || p.kind === 'sso-assumed-role') && callerIsRole) {
    const segs = p.segments;
    if (segs.length === 2 && matches(`${pattern}/*`, callerArn)) {
      return fix('missing-session', `\`${pattern}\` has no session part, so it matches nothing: a caller ARN always ends with a session name.`);
    }
    if (segs.length === 3 && !pattern.includes('*') && matches(`${pattern.slice(0, segs[2].start)}*`, callerArn)) {
      const theirs = anySession ? `the role's sessions are named by whatever assumes it (use \`/*\` for any session)` : `the caller's session is \`${c.session?.text ?? ''}\``;
      return fix('other-session', `\`${pattern}\` matches only the session \`${segs[2].text}\`; ${theirs}.`);
    }
    if (segs.length > 3) {
      const candidate = `${pattern.slice(0, p.resource!.start)}assumed-role/${segs[segs.length - 2].text}/${segs[segs.length - 1].text}`;
      if (matches(candidate, callerArn)) return fix('role-path', `\`${pattern}\` puts a role path in an assumed-role ARN; the caller's ARN carries none (\`…:assumed-role/<role>/<session>\`).`);
    }
  }
  // A region in an STS / IAM ARN.
  if (p.region!.text !== '') {
    const candidate = pattern.slice(0, p.region!.start) + pattern.slice(p.region!.end);
    if (matches(candidate, callerArn)) return fix('region', `\`${pattern}\` has a region (\`${p.region!.text}\`): STS and IAM ARNs have an empty region field, even for a regional STS endpoint.`);
  }
  // The caller's IAM user with another path.
  if (c.kind === 'iam-user' && p.kind === 'iam-user' && account === callerAccount && p.userName?.text === c.userName?.text) {
    const path = (x: ParsedArn) => (x.path.length ? `\`${x.path.map((s) => s.text).join('/')}/\`` : 'no path');
    return fix('user-path', `\`${pattern}\` names the user \`${p.userName!.text}\` with ${path(p)}; the caller's ARN has ${path(c)} (\`${callerArn}\`).`);
  }
  // A `*` that a glob would honour but the matcher does not.
  if (pattern.includes('*') && globMatches(pattern, callerArn)) {
    return fix('unsupported-wildcard', `\`${pattern}\` has a \`*\` where it is no wildcard (only a trailing \`/*\` after the role name is), so it does not match \`${callerArn}\`.`);
  }

  const patternRole = p.kind === 'assumed-role' || p.kind === 'sso-assumed-role' || p.kind === 'iam-role' ? p.roleName?.text : undefined;
  const patternIdentity = patternRole ?? (p.kind === 'iam-user' || p.kind === 'federated-user' ? p.userName?.text : undefined);
  const callerIdentity = callerRole ?? c.userName?.text;
  if (!patternIdentity || !callerIdentity) return undefined;
  const replace = (reason: NearMissReason, message: string, similarity: number): Miss => ({ reason, message, similarity });

  // The same SSO permission set with another role suffix (the suffix differs per account and per provisioning).
  if (patternRole && callerRole && patternRole !== callerRole && patternRole.startsWith(SSO_PREFIX) && callerRole.startsWith(SSO_PREFIX)) {
    const ps = permissionSet(patternRole);
    if (ps && ps === permissionSet(callerRole)) {
      const where = account === callerAccount ? '' : ` in account \`${account}\` (the caller is in \`${callerAccount}\`)`;
      const miss = fix('sso-permission-set', `\`${pattern}\` names the permission set \`${ps}\` with another role suffix${where}: IAM Identity Center gives the role a new suffix in each account and when the permission set is provisioned again. The caller's role is \`${callerRole}\`.`);
      return account === callerAccount ? miss : { ...miss, replaceWith: undefined };
    }
  }
  if (patternIdentity === callerIdentity && account !== callerAccount) {
    const what = patternRole ? 'role' : 'user';
    return replace('other-account', `\`${pattern}\` names the same ${what} (\`${callerIdentity}\`) in account \`${account}\`; the caller is in account \`${callerAccount}\`.`, similarity(account, callerAccount));
  }
  if (account === callerAccount && patternIdentity !== callerIdentity) {
    const what = patternRole ? 'role' : 'user';
    return replace('other-role', `\`${pattern}\` names another ${what} (\`${patternIdentity}\`) in the caller's account; the caller is \`${callerIdentity}\`.`, similarity(patternIdentity, callerIdentity));
  }
  return undefined;
}

/** `AWSReservedSSO_<permission set>_<16 hex>` → the permission set. */
function permissionSet(role: string): string | undefined {
  const m = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/.exec(role);
  return m?.[1];
}

/**
 * Matches `pattern` as a shell glob, `*` standing for any run of characters
 * but `/` and `:`. Linear: as a `*` never crosses a `/` or `:`, the two must
 * have the same separators in the same order, and each field between them is
 * a plain glob (a regular expression would backtrack exponentially on
 * `a*a*a*…b`).
 */
export function globMatches(pattern: string, arn: string): boolean {
  const fields = pattern.split(SEPARATORS);
  const arnFields = arn.split(SEPARATORS);
  if (fields.length !== arnFields.length) return false;
  // (Odd entries are the separators themselves, captured by the split.)
  return fields.every((field, i) => (i % 2 ? field === arnFields[i] : piecesMatch(field.split('*'), arnFields[i])));
}

const SEPARATORS = /([/:])/;

/** 0 ≤ result < 1: the share of the longer string covered by a common prefix and suffix. */
function similarity(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  if (!n) return 0;
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  return Math.min(0.99, (pre + suf) / n);
}

function idText(m: ExplainableMapping): string {
  return m.id ? ` \`${m.id}\`` : '';
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
