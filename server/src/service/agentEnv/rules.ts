// The agent/* rules on an Agent configured by environment variables (any
// form a reader fills: Kubernetes, Helm values, DatadogAgent, compose, ECS):
// the same codes and judgments as for datadog.yaml (agent/judgments.ts), on
// the exact characters of the value (or of the name, for a name's problem),
// and messages that name what the user wrote (`DD_DELEGATED_AUTH_ORG_UUID`,
// `datadog.site`).
//
// A workload is judged only when it sets a delegated-auth variable; a
// misspelt one (`DD_DELEGATED_AUTH_ORGUUID`) is agent/unknown-key wherever it
// is. Unknown values (a Secret, `valueFrom`, an interpolation) are never
// judged and count as present. For a name given twice, the later value is
// the one the Agent reads, and the only one judged.

import { ruleInfo } from '../catalog';
import type { FindingCollector } from '../common/filter';
import type { TextIndex } from '../common/textIndex';
import type { Finding, QuickFix, Severity, TextEdit } from '../common/types';
import { closest } from '../common/strings';
import { SITE_NAMES } from '../common/sites';
import { shorten } from '../agent/describe';
import { isValidProvider, judgeOrgUuid, judgeRefreshInterval, judgeRegion, judgeSite, siteSuggestion } from '../agent/judgments';
import { SUPPORTED_PARENTS } from '../agent/model';
import type { Span } from '../agent/yamlTree';
import { ENV_VARIABLES, envNameOf, envVariable, isGlobalOnly, mentionsDelegatedAuth } from './names';
import type { AgentEnvFile, AgentWorkload, EnvSetting, LiteralValue } from './settings';
import { MIN_AGENT_VERSION, formatVersion, isOlder, parseAgentImage } from './version';

type Sink = Pick<FindingCollector, 'add'>;

/** The delegated-auth variables of the table, for "did you mean". */
const DELEGATED_AUTH_NAMES = ENV_VARIABLES.filter((v) => v.section).map((v) => v.name);
/** `LOGS_CONFIG`, … : the supported parents as they appear in a variable's name. */
const PARENT_PREFIXES = SUPPORTED_PARENTS.filter((p): p is string => p !== null).map((p) => p.toUpperCase());
const SECTION_SUFFIXES = ['ORG_UUID', 'PROVIDER', 'AWS_REGION', 'REFRESH_INTERVAL_MINS'];

export function judgeAgentEnv(file: AgentEnvFile, index: TextIndex, sink: Sink): void {
  // Workloads may share text (chart components reading one `datadog.env`, containers reading one
  // ConfigMap key): a finding said in the same words at the same place is said once.
  const said = new Set<string>();
  const once: Sink = {
    add(f) {
      const id = `${f.code}|${f.range.start.line}:${f.range.start.character}|${f.range.end.line}:${f.range.end.character}|${f.message}`;
      if (said.has(id)) return;
      said.add(id);
      sink.add(f);
    },
  };
  for (const w of file.workloads) new WorkloadJudge(w, index, once).run();
}

class WorkloadJudge {
  /** The setting the Agent reads for each name: the last one. */
  private readonly effective = new Map<string, EnvSetting>();
  private readonly opaque: boolean;

  constructor(
    private readonly w: AgentWorkload,
    private readonly index: TextIndex,
    private readonly sink: Sink,
  ) {
    // A name written in another case (`dd_site`) is another variable: the Agent reads upper case only.
    for (const s of w.settings) if (!isMiscased(s)) this.effective.set(s.name, s);
    this.opaque = w.opaqueSources.length > 0;
  }

  run(): void {
    this.names();
    // Only a workload that sets a delegated-auth variable the Agent reads is judged further.
    if (![...this.effective.values()].some((s) => envVariable(s.name)?.section)) return;
    this.duplicates();
    for (const parent of SUPPORTED_PARENTS) this.section(parent);
    this.site();
    if (!this.enabled()) return;
    this.fallback();
    this.version();
  }

  private report(code: string, span: Span, message: string, options: { severity?: Severity; fixes?: QuickFix[] } = {}): void {
    const info = ruleInfo(code);
    if (!info) throw new Error(`unknown rule code ${code}`);
    const finding: Finding = { code, severity: options.severity ?? info.severity, message, range: this.index.range(span.start, Math.max(span.start, span.end)) };
    if (options.fixes?.length) finding.data = { fixes: options.fixes };
    this.sink.add(finding);
  }

  private get where(): string {
    return this.w.label;
  }

  /** A section (`DD_DELEGATED_AUTH_`, `DD_LOGS_CONFIG_DELEGATED_AUTH_`) is on when its org UUID is set to something (or to a value we cannot see). */
  private orgUuidOf(parent: string | null): EnvSetting | undefined {
    return this.effective.get(`${sectionPrefix(parent)}ORG_UUID`);
  }

  private enabled(): boolean {
    return SUPPORTED_PARENTS.some((p) => isSet(this.orgUuidOf(p)));
  }

  // -------------------------------------------------------------------------
  // Names: unknown-key, legacy-key, unsupported-section.

  private names(): void {
    const seen = new Set<EnvSetting>();
    for (const s of this.w.settings) {
      if (isMiscased(s) && (envVariable(s.name) || mentionsDelegatedAuth(s.name))) {
        const rename = this.renameEdit(s, s.name);
        this.report('agent/unknown-key', s.nameSpan, `Unknown variable \`${shorten(s.label, 80)}\` (in ${this.where}): the Agent reads upper-case names only; did you mean \`${s.name}\`?`, {
          fixes: rename ? [{ title: `Rename to \`${s.name}\``, edits: [rename], isPreferred: true }] : [],
        });
        continue;
      }
      if (envVariable(s.name) || !looksDelegatedAuth(s.name) || seen.has(s)) continue;
      seen.add(s);
      const legacy = /^DD_(?:([A-Z0-9_]+)_)?DELEGATED_AUTH_(ENABLED|REFRESH_INTERVAL)$/.exec(s.name);
      if (legacy && (legacy[1] === undefined || PARENT_PREFIXES.includes(legacy[1]))) {
        this.legacyKey(s, legacy[1], legacy[2]);
        continue;
      }
      const section = /^DD_([A-Z0-9_]+)_DELEGATED_AUTH_([A-Z0-9_]+)$/.exec(s.name);
      if (section && SECTION_SUFFIXES.includes(section[2]) && !closest(section[1], PARENT_PREFIXES, 2)) {
        const parent = section[1].toLowerCase();
        this.report(
          'agent/unsupported-section',
          s.nameSpan,
          `\`${parent}\` does not read \`delegated_auth\`, so \`${shorten(s.label, 80)}\` has no effect (in ${this.where}): only the global section (\`DD_DELEGATED_AUTH_…\`) and \`logs_config\`, \`remote_configuration\`, \`evp_proxy_config\` and \`ol_proxy_config\` do.`,
        );
        continue;
      }
      this.unknownKey(s);
    }
  }

  private legacyKey(s: EnvSetting, parent: string | undefined, key: string): void {
    const prefix = `DD_${parent ? parent + '_' : ''}DELEGATED_AUTH_`;
    if (key === 'ENABLED') {
      this.report(
        'agent/legacy-key',
        s.nameSpan,
        `\`${shorten(s.label, 80)}\` is a pre-release variable the Agent no longer reads: setting \`${prefix}ORG_UUID\` is what turns delegated authentication on. Remove it.`,
      );
      return;
    }
    const target = `${prefix}REFRESH_INTERVAL_MINS`;
    const fixes: QuickFix[] = [];
    const rename = this.renameEdit(s, target);
    const seconds = s.value.kind === 'literal' && /^\s*\d+\s*$/.test(s.value.text) ? Number(s.value.text) : undefined;
    const minutes = seconds !== undefined && seconds > 0 ? Math.max(1, Math.round(seconds / 60)) : undefined;
    if (rename && !this.effective.has(target)) {
      const valueEdit = minutes !== undefined && s.value.kind === 'literal' ? replaceLiteral(this.index, s.value, String(minutes)) : undefined;
      if (minutes === undefined) fixes.push({ title: `Rename to \`${target}\``, edits: [rename] });
      else if (valueEdit) fixes.push({ title: `Replace with \`${target}\` = ${minutes}`, edits: [rename, valueEdit], isPreferred: true });
    }
    this.report(
      'agent/legacy-key',
      s.nameSpan,
      `\`${shorten(s.label, 80)}\` (seconds) is a pre-release variable the Agent no longer reads; use \`${target}\` (minutes)${minutes !== undefined ? `: ${seconds} s is ${minutes} min` : ''}.`,
      { fixes },
    );
  }

  private unknownKey(s: EnvSetting): void {
    // A known name already set is no suggestion.
    const suggestion = closest(s.name, DELEGATED_AUTH_NAMES.filter((n) => !this.effective.has(n)), 4);
    const rename = suggestion ? this.renameEdit(s, suggestion) : undefined;
    this.report(
      'agent/unknown-key',
      s.nameSpan,
      `Unknown variable \`${shorten(s.label, 80)}\` (in ${this.where}): the Agent does not read it; ${suggestion ? `did you mean \`${suggestion}\`?` : `known ones: ${DELEGATED_AUTH_NAMES.filter((n) => n.startsWith('DD_DELEGATED_AUTH_')).map((n) => `\`${n}\``).join(', ')}`}`,
      { fixes: rename ? [{ title: `Rename to \`${suggestion}\``, edits: [rename], isPreferred: true }] : [] },
    );
  }

  /** Replaces a variable's name where it is written as itself (not a form's own key such as `datadog.site`). */
  private renameEdit(s: EnvSetting, name: string): TextEdit | undefined {
    if (s.label.toUpperCase() !== s.name || s.label.includes('.')) return undefined;
    let { start, end } = s.nameSpan;
    const raw = this.index.text.slice(start, end);
    if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0]) {
      start++;
      end--;
    }
    if (this.index.text.slice(start, end) !== s.label) return undefined;
    return { range: this.index.range(start, end), newText: name };
  }

  // -------------------------------------------------------------------------
  // duplicate-key: a delegated-auth variable (or DD_SITE / an API key) given twice.

  private duplicates(): void {
    const first = new Map<string, EnvSetting>();
    for (const s of this.w.settings) {
      if ((!envVariable(s.name) && !mentionsDelegatedAuth(s.name)) || isMiscased(s)) continue;
      const prior = first.get(s.name);
      if (!prior) {
        first.set(s.name, s);
        continue;
      }
      const line = this.index.positionAt(prior.nameSpan.start).line + 1;
      this.report(
        'agent/duplicate-key',
        s.nameSpan,
        `\`${shorten(s.label, 80)}\` is set twice in ${this.where} (first${prior.label !== s.label ? ` as \`${shorten(prior.label, 80)}\`` : ''} on line ${line}); only the last one takes effect. Keep one.`,
      );
    }
  }

  // -------------------------------------------------------------------------
  // One delegated_auth section's variables.

  private section(parent: string | null): void {
    const prefix = sectionPrefix(parent);
    const org = this.orgUuidOf(parent);
    const others = [...this.effective.values()].filter((s) => s.name.startsWith(prefix) && s.name !== `${prefix}ORG_UUID` && envVariable(s.name)?.section);
    if (!org && others.length && !this.opaque) {
      const s = others[0];
      this.report(
        'agent/org-uuid-missing',
        s.nameSpan,
        `\`${shorten(s.label, 80)}\` is set but \`${prefix}ORG_UUID\` is not (in ${this.where}), so delegated authentication stays off${parent ? ` for \`${parent}\`` : ''}. Add \`${prefix}ORG_UUID\` with your Datadog org UUID.`,
      );
    }
    if (org) this.orgUuid(org);
    for (const s of others) {
      const key = envVariable(s.name)!.sectionKey!;
      if (parent !== null && isGlobalOnly(key)) {
        this.productKeyIgnored(s, key);
        continue;
      }
      if (parent !== null || s.value.kind !== 'literal') continue;
      if (key === 'provider') this.provider(s, s.value);
      else if (key === 'aws.region') this.region(s, s.value);
      else if (key === 'refresh_interval_mins') this.refreshInterval(s, s.value);
    }
  }

  private orgUuid(s: EnvSetting): void {
    if (s.value.kind !== 'literal') return;
    const value = s.value;
    const verdict = judgeOrgUuid(value.text);
    const name = shorten(s.label, 80);
    if (verdict.kind === 'empty') {
      this.report('agent/org-uuid-missing', value.span.end > value.span.start ? value.span : s.nameSpan, `\`${name}\` is empty (in ${this.where}), so delegated authentication stays off. Set it to your Datadog org UUID.`);
    } else if (verdict.kind === 'pasted-secret') {
      this.report(
        'agent/secret-in-org-uuid',
        value.span,
        `\`${name}\` holds what looks like a Datadog ${verdict.secret}, not an org UUID. Remove it from this file (and rotate it if the file was shared); the org UUID is 8-4-4-4-12 hex, shown under Organization Settings.`,
      );
    } else if (verdict.kind === 'shell-reference') {
      this.report(
        'agent/org-uuid-invalid',
        value.span,
        `Nothing expands \`${shorten(value.text.trim())}\` here: the Agent would read those characters as \`${name}\`. Write the org UUID, or take it from a Secret or ConfigMap.`,
      );
    } else if (verdict.kind === 'not-a-uuid') {
      this.report('agent/org-uuid-invalid', value.span, `\`${name}\` must be a UUID (8-4-4-4-12 hexadecimal digits, e.g. 11111111-2222-3333-4444-555555555555), not \`${shorten(value.text)}\`.`);
    }
  }

  private productKeyIgnored(s: EnvSetting, key: string): void {
    const global = envNameOf(`delegated_auth.${key}`);
    const rename = this.effective.has(global) ? undefined : this.renameEdit(s, global);
    this.report(
      'agent/product-key-ignored',
      s.nameSpan,
      `\`${shorten(s.label, 80)}\` has no effect: the Agent reads \`provider\`, \`aws.region\` and \`refresh_interval_mins\` from the global section only (\`${global}\`). Use that variable or remove this one.`,
      { fixes: rename ? [{ title: `Rename to \`${global}\``, edits: [rename], isPreferred: true }] : [] },
    );
  }

  private provider(s: EnvSetting, value: LiteralValue): void {
    if (isValidProvider(value.text)) return;
    const edit = replaceLiteral(this.index, value, 'aws');
    this.report(
      'agent/provider-invalid',
      value.span,
      `\`${shorten(s.label, 80)}\` must be \`aws\` (the only provider delegated authentication supports), not \`${shorten(value.text)}\`. Leave it out to auto-detect.`,
      { fixes: edit ? [{ title: 'Replace with `aws`', edits: [edit], isPreferred: true }] : [] },
    );
  }

  private region(s: EnvSetting, value: LiteralValue): void {
    const region = value.text;
    const verdict = judgeRegion(region);
    if (verdict.kind === 'ok') return;
    const name = shorten(s.label, 80);
    if (verdict.kind === 'other-partition') {
      this.report('agent/region-invalid', value.span, `\`${region}\` (\`${name}\`) belongs to another AWS partition; Datadog only accepts proofs from the \`aws\` partition's STS.`, { severity: 'warning' });
      return;
    }
    const suggestion = verdict.suggestion;
    const edit = suggestion ? replaceLiteral(this.index, value, suggestion) : undefined;
    const fixes: QuickFix[] = edit ? [{ title: `Replace with \`${suggestion}\``, edits: [edit], isPreferred: true }] : [];
    const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : '';
    if (verdict.kind === 'malformed') {
      this.report('agent/region-invalid', value.span, `\`${shorten(region)}\` (\`${name}\`) is not an AWS region name (like \`us-east-1\`).${hint} Leave it empty for global STS.`, { severity: 'error', fixes });
    } else {
      this.report('agent/region-invalid', value.span, `\`${shorten(region)}\` (\`${name}\`) is not a known AWS region.${hint}`, { severity: 'warning', fixes });
    }
  }

  private refreshInterval(s: EnvSetting, value: LiteralValue): void {
    const verdict = judgeRefreshInterval(value.text);
    const name = shorten(s.label, 80);
    if (verdict.kind === 'not-integer') {
      this.report('agent/refresh-interval-invalid', value.span, `\`${name}\` must be a whole number of minutes, not \`${shorten(value.text)}\`.`, { severity: 'error' });
    } else if (verdict.kind === 'not-positive') {
      this.report('agent/refresh-interval-invalid', value.span, `\`${name}\` is ${verdict.minutes}: the Agent replaces zero or negative values with 60 and logs a warning. Set a positive number of minutes.`, { severity: 'warning' });
    }
  }

  // -------------------------------------------------------------------------
  // DD_SITE: unknown-site, gov-site-unsupported.

  private site(): void {
    const s = this.effective.get('DD_SITE');
    if (!s || s.value.kind !== 'literal') return;
    const value = s.value.text.trim();
    if (value === '') return;
    const verdict = judgeSite(value);
    if (verdict.kind === 'ok') return;
    const name = shorten(s.label, 80);
    if (verdict.kind === 'gov') {
      const enabled = SUPPORTED_PARENTS.filter((p) => isSet(this.orgUuidOf(p))).map((p) => `\`${this.orgUuidOf(p)!.label}\``);
      if (!enabled.length) return;
      this.report(
        'agent/gov-site-unsupported',
        s.value.span,
        `The Agent flow of delegated authentication is not offered on \`${value}\` (${enabled.join(', ')} set in ${this.where}). Use an API key on this site; the Terraform flow still works.`,
      );
      return;
    }
    const suggestion = siteSuggestion(verdict);
    const edit = suggestion ? replaceLiteral(this.index, s.value, suggestion) : undefined;
    let message: string;
    if (verdict.kind === 'host') message = `\`${name}\` takes the site name, not a host or URL: \`${verdict.site}\`.`;
    else if (verdict.kind === 'shell-reference') message = `Nothing expands \`${shorten(value)}\` here: the Agent would read those characters as \`${name}\`. Write the site (e.g. \`datadoghq.com\`).`;
    else message = `\`${shorten(value)}\` (\`${name}\`) is not a known Datadog site${suggestion ? `; did you mean \`${suggestion}\`?` : ` (${SITE_NAMES.map((n) => `\`${n}\``).join(', ')}).`} A login test will not send a proof there unless the host is allowed in user settings.`;
    this.report('agent/unknown-site', s.value.span, message, { fixes: edit ? [{ title: `Replace with \`${suggestion}\``, edits: [edit], isPreferred: true }] : [] });
  }

  // -------------------------------------------------------------------------
  // no-fallback-api-key, version-unsupported.

  private fallback(): void {
    if (this.opaque) return;
    const globalKey = hasValue(this.effective.get('DD_API_KEY'));
    for (const parent of SUPPORTED_PARENTS) {
      const org = this.orgUuidOf(parent);
      if (!isSet(org)) continue;
      const slot = envNameOf(parent ? `${parent}.api_key` : 'api_key');
      if (globalKey || (parent !== null && hasValue(this.effective.get(slot)))) continue;
      this.report(
        'agent/no-fallback-api-key',
        org!.nameSpan,
        parent
          ? `Neither \`${slot}\` nor \`DD_API_KEY\` is set (in ${this.where}): if the delegated exchange fails, \`${parent}\` has no API key to fall back on and sends nothing. Keep an API key (from a Secret, say) as a fallback.`
          : `\`DD_API_KEY\` is not set (in ${this.where}): if the delegated exchange fails, the Agent has no API key to fall back on and sends nothing. Keep an API key (from a Secret, say) as a fallback.`,
      );
    }
  }

  private version(): void {
    for (const image of this.w.images) {
      const v = parseAgentImage(image);
      if (!v || !isOlder(v.version)) continue;
      this.report(
        'agent/version-unsupported',
        image.span,
        `Agent ${formatVersion(v.version)}${v.tag === formatVersion(v.version) ? '' : ` (\`${shorten(v.tag, 60)}\`)`} does not read the delegated-auth variables set in ${this.where}: they need Agent ${formatVersion(MIN_AGENT_VERSION)} or later. Upgrade the image.`,
      );
    }
  }
}

/** A name that means delegated auth, spelt right or close to one of its variables (`DD_DELEGATD_AUTH_ORG_UUID`). */
function looksDelegatedAuth(name: string): boolean {
  return mentionsDelegatedAuth(name) || (name.startsWith('DD_') && name.length < 80 && closest(name, DELEGATED_AUTH_NAMES, 3) !== undefined);
}

/** The variable written as itself in another case (`dd_site`): not what the Agent reads. */
function isMiscased(s: EnvSetting): boolean {
  return s.label !== s.name && s.label.toUpperCase() === s.name;
}

/** `DD_DELEGATED_AUTH_`, `DD_LOGS_CONFIG_DELEGATED_AUTH_`. */
function sectionPrefix(parent: string | null): string {
  return `${envNameOf(parent ? `${parent}.delegated_auth` : 'delegated_auth')}_`;
}

/** Set to something the Agent reads as on: a value we cannot see, or a literal that is not blank. */
function isSet(s: EnvSetting | undefined): boolean {
  return !!s && (s.value.kind === 'unknown' || /\S/.test(s.value.text));
}

/** An API key is present when given, literally (not blank) or from somewhere we cannot see. */
function hasValue(s: EnvSetting | undefined): boolean {
  return isSet(s);
}

// ---------------------------------------------------------------------------
// Replacing a literal value in its own syntax.

const YAML_PLAIN_SAFE = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
/** Plain words YAML 1.1 or 1.2 reads as something other than a string. */
const YAML_NOT_STRINGS = /^(?:y|n|yes|no|on|off|true|false|null|nan|inf)$/i;

/**
 * The edit that makes a literal read `text`, written in the literal's own
 * syntax: a YAML scalar that stays a string (Kubernetes env values must be
 * strings), a JSON string, an HCL string; inside a `KEY=value` item, the
 * value part as is. Undefined when the value is not written here.
 */
export function replaceLiteral(index: TextIndex, value: LiteralValue, text: string): TextEdit | undefined {
  if (!value.replaceable) return undefined;
  if (value.inner) return { range: index.range(value.inner.start, value.inner.end), newText: text };
  const raw = index.text.slice(value.span.start, value.span.end);
  let written: string;
  if (value.syntax === 'json') written = JSON.stringify(text);
  else if (value.syntax === 'hcl') written = JSON.stringify(text).replace(/([$%])\{/g, (_, c: string) => `${c}${c}{`);
  else if (raw.startsWith("'")) written = `'${text.replace(/'/g, "''")}'`;
  else if (raw.startsWith('"') || !YAML_PLAIN_SAFE.test(text) || YAML_NOT_STRINGS.test(text)) written = JSON.stringify(text);
  else written = text;
  return { range: index.range(value.span.start, value.span.end), newText: written };
}
