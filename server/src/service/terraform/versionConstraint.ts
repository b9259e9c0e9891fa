// Terraform provider version constraints (`required_providers { x = { version = "…" } }`),
// with the semantics Terraform gives them, and the interval arithmetic behind
// `tf/provider-version-too-old` (cloud auth needs provider 3.70.0 or later).
//
// What Terraform does with a provider constraint string: it first checks it
// with hashicorp/go-version (`version.NewConstraint`, split on ","), then
// re-parses the same text with apparentlymart/go-versions
// (`constraints.ParseRubyStyleMulti`) and selects versions with
// `versions.MeetingConstraints`. A string is valid only if both accept it,
// and the second decides what it means. Hence:
//
//   - operators `=` (or none), `!=`, `>`, `>=`, `<`, `<=`, `~>`; conditions
//     separated by "," and all must hold; any white space around a
//     condition, but at most ONE space between operator and version
//     (`>=  1.0` is refused: "only one space is expected after the operator");
//   - one to three numeric components; missing ones are 0 (`>= 3.70` is
//     `>= 3.70.0`); no wildcards; no `v` prefix (go-versions refuses it:
//     "a "v" prefix should not be used"); an optional `-prerelease` and
//     `+build` of dot-separated [0-9A-Za-z-] identifiers;
//   - `~>` lets only the rightmost written component increase: `~> 3.70.0`
//     is >= 3.70.0, < 3.71.0; `~> 3.7` is >= 3.7.0, < 4.0.0; and `~> 3`,
//     like two components, is >= 3.0.0, < 4.0.0 (go-versions treats every
//     `~>` with fewer than three numbers as "minor-only");
//   - the empty string is refused (go-version: "malformed constraint");
//   - a prerelease version (`3.70.0-beta1`) is selected only when an `=`
//     condition names it exactly (and every other condition holds):
//     `>= 3.0` does not admit 3.70.0-beta1, and neither does `~>` nor `!=`.
//
// Deliberate simplifications (documented in the report and tests):
//   - build metadata (`+abc`) is ignored by every comparison, as semver
//     precedence says; go-versions compares it in `=`/`!=` (so `= 1.0.0+a`
//     would not match 1.0.0), but registry provider versions carry none;
//   - prerelease identifiers are ordered by semver 2.0.0 (numeric < alpha,
//     then field by field, a shorter list first when it is a prefix);
//     go-versions orders a list with fewer fields first whatever its
//     contents, which differs only between prereleases such as `rc` and
//     `beta.1`.
//
// `lenient: true` additionally accepts what only go-version accepts (a `v`
// prefix, several spaces after the operator): useful for values typed into a
// box, never for checking a .tf file.
//
// Pure TypeScript: no I/O, no editor types.

export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~>';

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated prerelease identifiers; '' for a release. */
  prerelease: string;
  /** Build metadata; '' if none. Ignored by every comparison. */
  build: string;
}

export interface Clause {
  /** The operator; '=' when none is written. */
  operator: Operator;
  /** The operator as written ('' when omitted). */
  operatorText: string;
  /** The version, missing minor/patch filled with 0. */
  version: Version;
  /** The version as written, without a (lenient-mode) `v` prefix: "3.70". */
  versionText: string;
  /** How many numeric components were written (1-3): decides what `~>` lets increase. */
  components: 1 | 2 | 3;
  /** The condition as written, without surrounding white space. */
  text: string;
  /** [start, end) offsets of `text` in the constraint string. */
  at: [number, number];
}

export type ParsedConstraint = { ok: true; clauses: Clause[] } | { ok: false; error: string; at?: [number, number] };

export interface ParseOptions {
  /** Also accept a `v` prefix and several spaces after an operator (go-version only; Terraform refuses both for providers). */
  lenient?: boolean;
}

export interface MinimumAnalysis {
  /** Some version >= minimum meets the constraint. */
  admitsAtLeastMinimum: boolean;
  /** Some version < minimum meets the constraint. */
  admitsBelowMinimum: boolean;
  /** The lowest admitted version >= minimum, when there is one (a witness). */
  exampleAtLeast?: string;
  /** The lowest admitted version < minimum, when there is one (a witness). */
  exampleBelow?: string;
  /**
   * What to underline: with `error`, where the syntax goes wrong; when nothing
   * >= minimum is admitted, the condition that alone excludes the minimum and
   * above (else the whole constraint); when something below is admitted, the
   * condition giving the lower bound (else, no lower bound, the whole constraint).
   */
  at?: [number, number];
  /** The constraint does not parse (both flags are then false). */
  error?: string;
}

export const DEFAULT_MINIMUM = '3.70.0';

// ---------------------------------------------------------------------------
// Versions

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isIdentChar = (c: string | undefined) => c !== undefined && /^[0-9A-Za-z-]$/.test(c);
/** White space as go-version's `\s` (RE2: tab, newline, form feed, carriage return, space). */
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

type VersionScan =
  | { ok: true; version: Version; components: number; end: number }
  | { ok: false; error: string; at: [number, number] };

/** Scans `major[.minor[.patch]][-pre][+build]` at `i` (no prefix). */
function scanVersion(text: string, i: number): VersionScan {
  const start = i;
  const nums: number[] = [];
  for (;;) {
    if (!isDigit(text[i])) {
      const c = text[i];
      if (c === '*' || c === 'x' || c === 'X') {
        return { ok: false, error: `wildcards such as "${c}" are not allowed: omit the components that may vary (e.g. "~> 3.70")`, at: [i, i + 1] };
      }
      if (nums.length === 0) return { ok: false, error: c === undefined ? 'a version number is missing' : `expected a version number, found ${JSON.stringify(tokenAt(text, i))}`, at: tokenRange(text, i) };
      return { ok: false, error: 'expected a number after "."', at: [i - 1, i] };
    }
    const d = i;
    while (isDigit(text[i])) i++;
    const n = Number(text.slice(d, i));
    if (!Number.isSafeInteger(n)) return { ok: false, error: `version number ${text.slice(d, i)} is too large`, at: [d, i] };
    nums.push(n);
    if (text[i] === '.') {
      i++;
      continue;
    }
    break;
  }
  if (nums.length > 3) return { ok: false, error: 'too many numbered components: at most three are allowed (major.minor.patch)', at: [start, i] };
  const extra = (sigil: string, what: string): { ok: true; value: string } | { ok: false; error: string; at: [number, number] } => {
    if (text[i] !== sigil) return { ok: true, value: '' };
    const s = i;
    i++;
    for (;;) {
      const idStart = i;
      while (isIdentChar(text[i])) i++;
      if (i === idStart) {
        return { ok: false, error: `a ${what} is made of letters, digits and "-", in parts separated by single "."`, at: [s, Math.max(i, s + 1)] };
      }
      if (text[i] === '.') {
        i++;
        continue;
      }
      break;
    }
    return { ok: true, value: text.slice(s + 1, i) };
  };
  const pre = extra('-', 'prerelease suffix');
  if (!pre.ok) return pre;
  const build = extra('+', 'build suffix');
  if (!build.ok) return build;
  return { ok: true, version: { major: nums[0], minor: nums[1] ?? 0, patch: nums[2] ?? 0, prerelease: pre.value, build: build.value }, components: nums.length, end: i };
}

/** The run of non-space, non-comma characters at `i`. */
function tokenRange(text: string, i: number): [number, number] {
  let j = i;
  while (j < text.length && !isSpace(text[j]) && text[j] !== ',') j++;
  return [i, Math.max(j, Math.min(i + 1, text.length))];
}
const tokenAt = (text: string, i: number) => text.slice(...tokenRange(text, i));

/**
 * Parses a version: `3.70.0`, `3.70` (= 3.70.0), `3.70.0-beta1`,
 * `3.70.0+build`, with an optional leading `v` and surrounding white space.
 * Undefined when it is not one.
 */
export function parseVersion(s: string): Version | undefined {
  const t = s.trim();
  const r = scanVersion(t, t.startsWith('v') ? 1 : 0);
  return r.ok && r.end === t.length ? r.version : undefined;
}

/** `3.70.0`, `3.70.0-beta1` (build metadata only with `withBuild`). */
export function formatVersion(v: Version, withBuild = false): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}${withBuild && v.build ? `+${v.build}` : ''}`;
}

function toVersion(v: Version | string): Version {
  if (typeof v !== 'string') return v;
  const p = parseVersion(v);
  if (!p) throw new TypeError(`not a version: ${JSON.stringify(v)}`);
  return p;
}

const sign = (n: number): -1 | 0 | 1 => (n < 0 ? -1 : n > 0 ? 1 : 0);

function compareIdentifiers(a: string, b: string): -1 | 0 | 1 {
  const an = /^[0-9]+$/.test(a);
  const bn = /^[0-9]+$/.test(b);
  if (an && bn) {
    const x = a.replace(/^0+(?=.)/, '');
    const y = b.replace(/^0+(?=.)/, '');
    if (x.length !== y.length) return sign(x.length - y.length);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Semver precedence: -1, 0 or 1. A prerelease sorts before its release
 * (3.70.0-beta1 < 3.70.0); build metadata is ignored. Strings are parsed
 * with `parseVersion` (a TypeError if one is not a version).
 */
export function compareVersions(a: Version | string, b: Version | string): -1 | 0 | 1 {
  const x = toVersion(a);
  const y = toVersion(b);
  if (x.major !== y.major) return sign(x.major - y.major);
  if (x.minor !== y.minor) return sign(x.minor - y.minor);
  if (x.patch !== y.patch) return sign(x.patch - y.patch);
  if (x.prerelease === y.prerelease) return 0;
  if (x.prerelease === '') return 1;
  if (y.prerelease === '') return -1;
  const p = x.prerelease.split('.');
  const q = y.prerelease.split('.');
  for (let i = 0; i < Math.min(p.length, q.length); i++) {
    const c = compareIdentifiers(p[i], q[i]);
    if (c !== 0) return c;
  }
  return sign(p.length - q.length);
}

// ---------------------------------------------------------------------------
// Constraints

const OPERATORS: Record<string, Operator> = { '': '=', '=': '=', '!=': '!=', '>': '>', '>=': '>=', '<': '<', '<=': '<=', '~>': '~>' };
const DID_YOU_MEAN: Record<string, string> = { '=>': '>=', '=<': '<=', '==': '=', '!': '!=', '<>': '!=', '~': '~>', '~=': '~>', '^': '~>', '≥': '>=', '≤': '<=', '≠': '!=' };
/** Operator characters: what go-versions takes for one (not a digit, letter, space, ".", "*"), and not ",". */
const isOperatorChar = (c: string | undefined) => c !== undefined && !isSpace(c) && !/^[0-9A-Za-z.*,]$/.test(c);

/**
 * Parses a provider version constraint into its conditions ("clauses"), each
 * with its offsets in `text`; or says why Terraform would refuse it, and where.
 */
export function parseConstraint(text: string, options: ParseOptions = {}): ParsedConstraint {
  const n = text.length;
  let i = 0;
  const skipSpace = () => {
    while (i < n && isSpace(text[i])) i++;
  };
  skipSpace();
  if (i >= n) return { ok: false, error: 'empty version constraint: write at least one condition, such as ">= 3.70.0"', at: [0, n] };
  const clauses: Clause[] = [];
  for (;;) {
    const start = i;
    if (text[i] === ',') return { ok: false, error: 'empty condition: nothing before this ","', at: [i, i + 1] };
    while (isOperatorChar(text[i])) i++;
    const operatorText = text.slice(start, i);
    const operator = OPERATORS[operatorText];
    if (operator === undefined) {
      const hint = DID_YOU_MEAN[operatorText];
      return { ok: false, error: `invalid operator ${JSON.stringify(operatorText)}${hint ? `; did you mean "${hint}"?` : ''}`, at: [start, i] };
    }
    const sepStart = i;
    skipSpace();
    const sep = text.slice(sepStart, i);
    if (i >= n || text[i] === ',') return { ok: false, error: `the operator "${operatorText}" needs a version after it`, at: [start, sepStart] };
    if ((text[i] === 'v' || text[i] === 'V') && isDigit(text[i + 1])) {
      if (!options.lenient || text[i] === 'V') {
        return { ok: false, error: `a "${text[i]}" prefix is not allowed: write the bare version (e.g. "3.70.0")`, at: [i, i + 1] };
      }
      i++;
    }
    if (!options.lenient && sep !== '' && sep !== ' ') {
      return { ok: false, error: `only one space is allowed after the operator "${operatorText}"`, at: [sepStart, sepStart + sep.length] };
    }
    const versionStart = i;
    const scan = scanVersion(text, i);
    if (!scan.ok) return { ok: false, error: scan.error, at: scan.at };
    i = scan.end;
    if (i < n && !isSpace(text[i]) && text[i] !== ',') {
      const [a, b] = tokenRange(text, i);
      return { ok: false, error: `unexpected ${JSON.stringify(text.slice(a, b))} after ${JSON.stringify(text.slice(start, i))}${/^[A-Za-z]/.test(text[i]) ? ' (a prerelease suffix starts with "-")' : ''}`, at: [a, b] };
    }
    clauses.push({
      operator,
      operatorText,
      version: scan.version,
      versionText: text.slice(versionStart, i),
      components: scan.components as 1 | 2 | 3,
      text: text.slice(start, i),
      at: [start, i],
    });
    skipSpace();
    if (i >= n) break;
    if (text[i] !== ',') {
      let j = i;
      while (j < n && text[j] !== ',') j++;
      while (j > i && isSpace(text[j - 1])) j--;
      return { ok: false, error: `missing "," between ${JSON.stringify(text.slice(start, clauses[clauses.length - 1].at[1]))} and ${JSON.stringify(text.slice(i, j))}`, at: [i, j] };
    }
    const comma = i;
    i++;
    skipSpace();
    if (i >= n) return { ok: false, error: 'a "," must be followed by another condition', at: [comma, comma + 1] };
  }
  return { ok: true, clauses };
}

/** `~>`'s exclusive upper bound: the next minor for three components, else the next major. */
function pessimisticUpper(c: Clause): Version {
  const v = c.version;
  return c.components === 3 ? { major: v.major, minor: v.minor + 1, patch: 0, prerelease: '', build: '' } : { major: v.major + 1, minor: 0, patch: 0, prerelease: '', build: '' };
}

/** The clause's set of versions as an exact semver set (before the prerelease rule). */
function clauseHolds(c: Clause, v: Version): boolean {
  const d = compareVersions(v, c.version);
  switch (c.operator) {
    case '=':
      return d === 0;
    case '!=':
      return d !== 0;
    case '>':
      return d > 0;
    case '>=':
      return d >= 0;
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
    case '~>':
      return d >= 0 && compareVersions(v, pessimisticUpper(c)) < 0;
  }
}

type ConstraintInput = string | Clause[] | ParsedConstraint;

function clausesOf(constraint: ConstraintInput, options?: ParseOptions): Clause[] | undefined {
  if (typeof constraint === 'string') {
    const p = parseConstraint(constraint, options);
    return p.ok ? p.clauses : undefined;
  }
  if (Array.isArray(constraint)) return constraint;
  return constraint.ok ? constraint.clauses : undefined;
}

/**
 * Whether Terraform may select `version` under `constraint`: every condition
 * holds, and a prerelease version is also named exactly by an `=` condition.
 * False when the constraint or the version does not parse.
 */
export function admits(constraint: ConstraintInput, version: Version | string, options?: ParseOptions): boolean {
  const clauses = clausesOf(constraint, options);
  const v = typeof version === 'string' ? parseVersion(version) : version;
  if (!clauses || !v) return false;
  if (v.prerelease !== '' && !clauses.some((c) => c.operator === '=' && compareVersions(c.version, v) === 0)) return false;
  return clauses.every((c) => clauseHolds(c, v));
}

// ---------------------------------------------------------------------------
// Interval arithmetic over releases

const release = (major: number, minor: number, patch: number): Version => ({ major, minor, patch, prerelease: '', build: '' });
const ZERO = release(0, 0, 0);
/** The release of the same numbers: 3.70.0-beta1 → 3.70.0. */
const base = (v: Version) => release(v.major, v.minor, v.patch);
/** The next release after release `v`. */
const succ = (v: Version) => release(v.major, v.minor, v.patch + 1);
const maxV = (a: Version, b: Version) => (compareVersions(a, b) >= 0 ? a : b);

/**
 * The releases a clause admits, as [lo, hi) (hi undefined: no upper bound) minus
 * `exclude`. Releases are the triples in lexicographic order, so "> 3.69.0" is
 * ">= 3.69.1", and a prerelease bound moves to its release: the releases
 * above 3.70.0-beta1 start at 3.70.0, those below it end before 3.70.0.
 */
function releaseRange(c: Clause): { lo?: Version; hi?: Version; exclude?: Version } {
  const v = c.version;
  const pre = v.prerelease !== '';
  switch (c.operator) {
    case '=':
      return pre ? { lo: ZERO, hi: ZERO } : { lo: base(v), hi: succ(v) };
    case '!=':
      return pre ? {} : { exclude: base(v) };
    case '>':
      return { lo: pre ? base(v) : succ(v) };
    case '>=':
      return { lo: base(v) };
    case '<':
      return { hi: base(v) };
    case '<=':
      return { hi: pre ? base(v) : succ(v) };
    case '~>':
      return { lo: base(v), hi: pessimisticUpper(c) };
  }
}

/** The lowest release in [lo, hi) not in `excluded`; `excluded` is finite, so this loops at most |excluded| + 1 times. */
function firstRelease(lo: Version, hi: Version | undefined, excluded: Version[]): Version | undefined {
  for (let x = lo; ; x = succ(x)) {
    if (hi && compareVersions(x, hi) >= 0) return undefined;
    if (!excluded.some((e) => compareVersions(e, x) === 0)) return x;
  }
}

interface Witnesses {
  atLeast?: Version;
  below?: Version;
  /** The first clause that sets the effective lower bound of the releases (undefined: none does). */
  loClause?: Clause;
}

function witnesses(clauses: Clause[], minimum: Version): Witnesses {
  let lo = ZERO;
  let loClause: Clause | undefined;
  let hi: Version | undefined;
  const excluded: Version[] = [];
  for (const c of clauses) {
    const r = releaseRange(c);
    if (r.lo && compareVersions(r.lo, lo) > 0) {
      lo = r.lo;
      loClause = c;
    }
    if (r.hi && (!hi || compareVersions(r.hi, hi) < 0)) hi = r.hi;
    if (r.exclude) excluded.push(r.exclude);
  }
  // Releases >= a prerelease minimum are those >= its release; releases below it, those below its release.
  const m = base(minimum);
  let atLeast = firstRelease(maxV(lo, m), hi, excluded);
  let below = firstRelease(lo, hi && compareVersions(hi, m) < 0 ? hi : m, excluded);
  // Prereleases: only those an `=` names, and only if everything else holds.
  for (const c of clauses) {
    const p = c.version;
    if (c.operator !== '=' || p.prerelease === '' || !admits(clauses, p)) continue;
    if (compareVersions(p, minimum) >= 0) {
      if (!atLeast || compareVersions(p, atLeast) < 0) atLeast = p;
    } else if (!below || compareVersions(p, below) < 0) below = p;
  }
  return { atLeast, below, loClause };
}

/**
 * Whether the constraint admits some version >= `minimum`, and some below it,
 * computed exactly over the clauses (bounds, `~>` ranges, the finitely many
 * `!=` exclusions, the prerelease rule), with the lowest admitted version on
 * each side as a witness.
 */
export function analyseMinimum(text: string, minimum: string = DEFAULT_MINIMUM, options?: ParseOptions): MinimumAnalysis {
  const min = toVersion(minimum);
  const parsed = parseConstraint(text, options);
  if (!parsed.ok) return { admitsAtLeastMinimum: false, admitsBelowMinimum: false, error: parsed.error, at: parsed.at };
  const { clauses } = parsed;
  const w = witnesses(clauses, min);
  const whole: [number, number] = [clauses[0].at[0], clauses[clauses.length - 1].at[1]];
  const out: MinimumAnalysis = { admitsAtLeastMinimum: w.atLeast !== undefined, admitsBelowMinimum: w.below !== undefined };
  if (w.atLeast) out.exampleAtLeast = formatVersion(w.atLeast);
  if (w.below) out.exampleBelow = formatVersion(w.below);
  if (!w.atLeast) {
    const culprit = clauses.find((c) => witnesses([c], min).atLeast === undefined);
    out.at = culprit ? culprit.at : whole;
  } else if (w.below) {
    out.at = w.loClause ? w.loClause.at : whole;
  }
  return out;
}

/**
 * The quick fix: a constraint that admits `minimum` and nothing below it:
 * `>= minimum`, then the user's tightest upper bound that still admits the
 * minimum (a `<` or `<=` as written, a `~>` as its upper bound: `~> 3.7` →
 * `< 4.0.0`), then the user's `!=` exclusions between the two. Lower bounds
 * and `=` pins are replaced; bounds that exclude the minimum are dropped.
 *   `~> 3.7` → `>= 3.70.0, < 4.0.0`;  `>= 3.0` → `>= 3.70.0`;
 *   `~> 3.40.0` → `>= 3.70.0` (its 3.41.0 bound would exclude 3.70.0);
 *   `>= 3.0, < 5, != 4.1.0` → `>= 3.70.0, < 5, != 4.1.0`.
 * A version the user excluded stays excluded: when a `!=` names the minimum
 * (and the releases after it), the lower bound moves to the first release
 * left, `!= 3.70.0` → `>= 3.70.1`. That reads as `>= 3.70.0, != 3.70.0` does
 * (Terraform selects no prerelease without an `=` naming it) and is shorter;
 * the upper bound is then the tightest that admits that release.
 * The result admits every release >= minimum that `text` admits (it only
 * removes conditions), nothing `text` excluded with `!=`, and nothing above
 * the user's upper bounds that admit its lowest release. A constraint that
 * does not parse gives `>= minimum`; a `v` prefix or extra spaces in `text`
 * are tolerated and not copied.
 */
export function raiseToMinimum(text: string, minimum: string = DEFAULT_MINIMUM): string {
  const min = toVersion(minimum);
  const parsed = parseConstraint(text, { lenient: true });
  if (!parsed.ok) return `>= ${formatVersion(min)}`;
  // The lowest release the result admits: the minimum, or for a prerelease minimum its release,
  // moved past the releases the user excluded (finitely many: at most one step per `!=`).
  const excluded = new Set(parsed.clauses.filter((c) => c.operator === '!=' && c.version.prerelease === '').map((c) => formatVersion(c.version)));
  let floor = base(min);
  while (excluded.has(formatVersion(floor))) floor = succ(floor);
  const lowest = `>= ${formatVersion(compareVersions(floor, base(min)) === 0 ? min : floor)}`;
  let upper: { text: string; hi: Version } | undefined;
  for (const c of parsed.clauses) {
    let candidate: { text: string; hi: Version } | undefined;
    if ((c.operator === '<' || c.operator === '<=') && clauseHolds(c, floor)) candidate = { text: `${c.operator} ${c.versionText}`, hi: releaseRange(c).hi! };
    else if (c.operator === '~>' && compareVersions(floor, pessimisticUpper(c)) < 0) candidate = { text: `< ${formatVersion(pessimisticUpper(c))}`, hi: pessimisticUpper(c) };
    if (candidate && (!upper || compareVersions(candidate.hi, upper.hi) < 0)) upper = candidate;
  }
  const out = [lowest];
  if (upper) out.push(upper.text);
  for (const c of parsed.clauses) {
    if (c.operator !== '!=' || compareVersions(c.version, floor) <= 0 || (upper && compareVersions(c.version, upper.hi) >= 0)) continue;
    const t = `!= ${c.versionText}`;
    if (!out.includes(t)) out.push(t);
  }
  return out.join(', ');
}
