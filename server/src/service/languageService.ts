// The language service: pure functions from a document's text to findings,
// hovers, completions and quick fixes. The LSP wiring, the CLI and the tests
// all call this; none of it knows about editors, files or the network.

import type { Document } from 'yaml';
import type { CompletionItem, FileKind, Finding, Hover, Position, QuickFix, Range } from './common/types';
import { TextIndex } from './common/textIndex';
import { FindingCollector, applySeverityOverrides, capFindings, findingFilter, type SeverityOverrides } from './common/filter';
import { byStart, lintAgentConfig, parseAgentYaml } from './agent/lint';
import { AgentBlocks, hasJunkLine } from './agent/blocks';
import { agentHover } from './agent/hover';
import { agentCompletion } from './agent/completion';
import { FileClassifier } from './fileKinds';
import { HclParseCancelled, isHclRuntimeFailure, type HclRuntime } from './terraform/hcl';
import { MAX_INPUT_BYTES, checkInput, checkSize, formatBytes, looksBinary, notCheckedFinding, parseTimeoutMs, refusalFinding, type InputRefusal } from './common/inputGuard';
import { terraformHover } from './terraform/hover';
import { terraformCompletion } from './terraform/completion';
import { analyseTerraform, datadogProviders, folderFacts, lintTerraform, type TerraformAnalysis } from './terraform/lint';
import { agentEnvLoginTargets, agentFileSite, agentLoginTargets, terraformLoginTargets, workloadSite, type LoginTarget } from './loginTargets';
import { sniffAgentEnv, type AgentEnvHint } from './agentEnv/discover';
import { readAgentEnv } from './agentEnv/readers';
import { judgeAgentEnv } from './agentEnv/rules';
import { agentEnvHover } from './agentEnv/hover';
import { agentEnvCompletion } from './agentEnv/completion';
import type { AgentEnvFile } from './agentEnv/settings';
import { insideEcsTaskDefinition, terraformAgentEnv } from './terraform/ecs';
import { baseName } from './fileKinds';
import { collectArnPatterns, type ArnPatternValue } from './agent/arnPatterns';
import { roleNotMapped, type AgentEnvSource, type PatternListSource, type TerraformSource } from './workspace/roleMapping';
import { declaredMappings, type DeclaredMappings } from './orgSync/declared';
import { OrgMappings, importedAddresses, liveFindings, terraformLivePatterns, yamlLivePatterns } from './orgSync/live';
import type { OrgFacts, OrgMappingsSnapshot } from './orgSync/types';
import { ORG_UUID_CODES, agentEnvOrgFix, agentYamlOrgFix, cleanOrgFacts, orgForSite, orgHoverLine, settingFinder, targetOf, terraformOrgFix, type FoundSetting } from './orgSync/orgFacts';

export interface ServiceSettings {
  /** Per-code severity overrides (`datadogWif.severity`, `--severity`). */
  severity?: SeverityOverrides;
  /** Extra globs of files to treat as Agent configuration (`datadogWif.agentConfigFiles`, `--agent-glob`). */
  agentConfigFiles?: readonly string[];
}

export interface SourceDocument {
  /** A path or URI; only its name and the globs decide what kind of file it is. */
  path: string;
  text: string;
  /** Overrides classification by path (e.g. an untitled buffer the user marked as Agent config). */
  kind?: FileKind;
  /**
   * Severity overrides for this document alone, used instead of the configured
   * `severity` (e.g. those of the workspace folder that holds it).
   */
  severity?: SeverityOverrides;
}

/** What the service knows of one text; each part is computed when first asked for. */
class Analysis {
  private _index: TextIndex | undefined;
  /** The parsed Agent YAML, kept for hover (lint and code lenses read it without keeping it: a whole parse of a large file is tens of MB). */
  docs?: Document[];
  /** Agent files: the text cut into blocks (agent/blocks.ts), made from `base` or read whole once the text was edited. */
  blocks?: AgentBlocks;
  /** The blocks of an earlier text of the same path, to update into this text's. */
  base?: AgentBlocks;
  /** Another text of the same path came before: the file is being edited, so blocks pay off even if they cannot be linted yet. */
  edited = false;
  /** What a user sees, for the severity overrides in `findingsFor` (suppressions come with the text). */
  findings?: Finding[];
  findingsFor?: string;
  /** What the content sniff says the text may be (agent-env files; see kindOf). */
  envHints?: AgentEnvHint[];
  /** Agent-env files: what the readers found (lint, hover and code lenses share it). */
  envFile?: AgentEnvFile;
  /** Agent files: every `arn_pattern` (mappings listed in YAML or JSON), for agent/role-not-mapped and the live checks. */
  arnPatternList?: ArnPatternValue[];
  /** Agent files: the site the file states (`site`, `dd_url`), null when none; for the live checks. */
  agentSite?: string | null;
  /** Agent files: the live checks' findings (orgSync/live.ts), filtered, for one org snapshot and severity setting. */
  live?: { key: string; findings: Finding[] };
  /** Terraform files: the tree (kept for incremental re-parse) and the model. */
  terraform?: TerraformAnalysis;
  /** Terraform files whose parse gave up or broke the parser: why. Such a text is not parsed again. */
  failed?: string;
  private _refusal: InputRefusal | null | undefined;

  constructor(readonly text: string) {}

  get index(): TextIndex {
    return (this._index ??= this.blocks ? this.blocks.index() : new TextIndex(this.text));
  }

  /** Why the text is not to be parsed at all (too large, binary), or null. */
  get refusal(): InputRefusal | null {
    if (this._refusal === undefined) this._refusal = checkInput(this.text, this.blocks?.bytes) ?? null;
    return this._refusal;
  }
}

/** What the host may tune; the defaults are the product's. */
export interface ServiceLimits {
  /** How long parsing a Terraform text of `chars` UTF-16 units may take (default: inputGuard's parseTimeoutMs). */
  parseTimeoutMs?: (chars: number) => number;
  /**
   * Whether an edited Agent file is re-checked block by block (default true).
   * Off, every text is parsed whole: the tests compare the two.
   */
  incrementalYaml?: boolean;
}

export class LanguageService {
  private classifier: FileClassifier;
  private settings: ServiceSettings;
  /** The last analysis of each path, reused while its text is unchanged. */
  private readonly cache = new Map<string, Analysis>();
  /** The tree-sitter runtime for HCL, loaded by the host (it needs file I/O); without it Terraform files are not checked. */
  private hcl: HclRuntime | undefined;
  /**
   * The one path whose Terraform tree is kept: the file last parsed for its
   * own sake (linted, hovered…), whose next edit is re-parsed from it. Every
   * other analysis keeps its model and syntax problems only: a tree takes
   * ~80 bytes of wasm memory a character, which the runtime never gives back,
   * and the file being typed in is the one that needs a tree.
   */
  private treeKeptFor: string | undefined;
  /** Told when the runtime fails and is dropped (see setHclRuntime). */
  private onHclLost: ((err: Error) => void) | undefined;
  private readonly parseTimeoutMs: (chars: number) => number;
  private readonly incrementalYaml: boolean;
  /** The org's mappings per site for the live checks (`datadogWif.live`); empty when they are off. */
  private org = new OrgMappings();
  /** Bumped by each setOrgMappings: the key of the live findings cached with an Agent file's analysis. */
  private orgGeneration = 0;
  /** The orgs the host reached with the user's credentials (setOrgFacts): the org UUID quick fix and the org_uuid hover. */
  private orgs: OrgFacts[] = [];

  constructor(settings: ServiceSettings = {}, limits: ServiceLimits = {}) {
    this.settings = settings;
    this.classifier = new FileClassifier(settings.agentConfigFiles ?? []);
    this.parseTimeoutMs = limits.parseTimeoutMs ?? parseTimeoutMs;
    this.incrementalYaml = limits.incrementalYaml ?? true;
  }

  configure(settings: ServiceSettings): void {
    this.settings = settings;
    this.classifier = new FileClassifier(settings.agentConfigFiles ?? []);
  }

  /**
   * The orgs the host learnt from `/api/v2/current_user` with the user's
   * stored keys or a Test Login token (replacing the previous list). With
   * them, the org UUID findings get a fix that writes the org of the file's
   * site, and a valid org_uuid's hover says whether it is that org.
   */
  setOrgFacts(orgs: readonly OrgFacts[]): void {
    this.orgs = cleanOrgFacts(orgs);
  }

  /**
   * What kind of file a document is: the host's word, else its name, else
   * (a YAML or JSON file, or an untitled buffer, whose text is given) its
   * content: `agent-env` when the sniff finds a form that configures Agents
   * by environment. The sniff runs once per text (kept with its analysis).
   */
  kindOf(doc: Pick<SourceDocument, 'path' | 'kind'> & { text?: string }): FileKind | undefined {
    const byName = doc.kind ?? this.classifier.classify(doc.path);
    if (byName || doc.text === undefined || !mayConfigureAgentEnv(doc.path)) return byName;
    const a = this.analysis({ path: doc.path, text: doc.text });
    a.envHints ??= sniffAgentEnv(doc.text);
    return a.envHints.length ? 'agent-env' : undefined;
  }

  /**
   * Hands the service the HCL runtime once the host has loaded it.
   *
   * The runtime is WebAssembly with a memory of its own: when it fails on a
   * file (an abort, usually out of memory), nothing more can be parsed with
   * it. The service then reports that file as not checked (and will not parse
   * that text again), drops the runtime with every tree it made, and calls
   * `onLost` at once, from inside the lint, hover… that found out. Until the
   * host hands over a fresh runtime, Terraform files get no findings (other
   * than those not parsed anyway): the host loads one, hands it over and lints
   * its Terraform files again. `canCheckTerraform` says whether a lint just
   * lost the runtime.
   */
  setHclRuntime(runtime: HclRuntime, onLost?: (err: Error) => void): void {
    // Trees live in their runtime's memory: none is used with another one.
    if (this.hcl !== runtime) this.dropTrees();
    this.hcl = runtime;
    this.onHclLost = onLost;
  }

  get canCheckTerraform(): boolean {
    return this.hcl !== undefined;
  }

  /**
   * The org's mappings per site, as the host listed them last (`datadogWif.live`);
   * an empty list turns the live checks off. Replaces the previous list. From
   * then on `lint` adds org/mapping-exists and org/mapping-conflict
   * (orgSync/live.ts) to the files that declare mapping patterns: a layer over
   * each file's own findings, so the files' own lint caches stay as they are
   * and only this layer is computed again (the host republishes those files).
   */
  setOrgMappings(snapshots: readonly OrgMappingsSnapshot[]): void {
    this.org = new OrgMappings(snapshots);
    this.orgGeneration++;
  }

  forget(path: string): void {
    this.cache.get(path)?.terraform?.tree.delete();
    this.cache.delete(path);
    if (this.treeKeptFor === path) this.treeKeptFor = undefined;
  }

  /**
   * Findings after suppression comments and severity overrides, at most
   * MAX_FINDINGS_PER_FILE of them (then one saying how many more): what a
   * user sees.
   */
  lint(doc: SourceDocument, folder: readonly SourceDocument[] = []): Finding[] {
    const kind = this.kindOf(doc);
    if (!kind) return [];
    const overrides = doc.severity ?? this.settings.severity;
    if (kind === 'agent') {
      const a = this.agentAnalysis(doc);
      if (a.refusal) return applySeverityOverrides([refusalFinding(kind, a.refusal)], overrides);
      const key = JSON.stringify(overrides ?? {});
      if (a.findings === undefined || a.findingsFor !== key) {
        // Block by block when the blocks allow it (agent/blocks.ts); else the whole text, as a first lint always is.
        a.findings = a.blocks?.lint(overrides);
        // Filtered as rules report, so what is off never counts against the cap.
        a.findings ??= lintAgentConfig(a.text, a.index, a.docs ?? parseAgentYaml(a.text), new FindingCollector(findingFilter(a.text, 'yaml', overrides)));
        a.findingsFor = key;
      }
      return this.withAgentLive(a, a.findings, overrides, key);
    }
    if (kind === 'agent-env') {
      const a = this.analysis(doc);
      if (a.refusal) return applySeverityOverrides([refusalFinding(kind, a.refusal)], overrides);
      const key = JSON.stringify(overrides ?? {});
      if (a.findings === undefined || a.findingsFor !== key) {
        // JSON has no comments; a `#` comment in YAML silences as in datadog.yaml.
        const sink = new FindingCollector(findingFilter(a.text, 'yaml', overrides));
        judgeAgentEnv(this.envFileOf(a), a.index, sink);
        a.findings = sink.findings().sort(byStart);
        a.findingsFor = key;
      }
      return a.findings;
    }
    const runtime = this.hcl;
    // (terraformAnalysis first: it takes the previous tree of this path before its analysis is replaced.)
    const own = this.terraformAnalysis(doc, kind);
    if (own.refusal) return applySeverityOverrides([refusalFinding(kind, own.refusal)], overrides);
    if (own.failed) return applySeverityOverrides([notCheckedFinding(kind, own.failed)], overrides);
    if (!own.terraform) return [];
    // The other .tf files and the lock file of the folder decide folder-wide rules (cloud auth, pinned version).
    const others: TerraformAnalysis[] = [];
    for (const d of folder) {
      const k = d.path === doc.path ? undefined : this.kindOf(d);
      const mate = k === 'terraform' || k === 'terraform-lock' ? this.folderMateAnalysis(d, k) : undefined;
      // The runtime failed on a folder-mate and took this file's tree with it: the host lints again with a fresh one.
      if (this.hcl !== runtime) return [];
      if (mate) others.push(mate);
    }
    const facts = folderFacts([own.terraform!, ...others]);
    const findings = this.attempt(own, () => lintTerraform(own.terraform!, own.index, facts));
    if (!findings) return own.failed ? applySeverityOverrides([notCheckedFinding(kind, own.failed)], overrides) : [];
    const filter = findingFilter(own.text, 'hcl', overrides);
    const shown = capFindings(findings, filter);
    const model = own.terraform.model;
    if (this.org.empty || !model?.arnPatterns.length) return shown;
    // The live checks (orgSync/live.ts): the site of the resource's provider may be stated in another file of the folder, and so may its `import` block.
    const providers = [model, ...others.flatMap((o) => (o.model ? [o.model] : []))].flatMap((m) => datadogProviders(m, facts.datadogLocalNames));
    const imported = importedAddresses([own.text, ...folder.filter((d) => d.path !== doc.path && this.kindOf(d) === 'terraform').map((d) => d.text)]);
    const live = capFindings(liveFindings(terraformLivePatterns(model, own.text, providers, imported), this.org, own.index, 'terraform'), filter);
    return live.length ? [...shown, ...live] : shown;
  }

  /**
   * An Agent file's findings with the live checks' (orgSync/live.ts) after
   * them: computed once per text, org snapshot and severity setting, and
   * capped on their own (at most one of each code per pattern).
   */
  private withAgentLive(a: Analysis, own: Finding[], overrides: SeverityOverrides | undefined, overridesKey: string): Finding[] {
    if (this.org.empty || !a.text.includes('arn_pattern')) return own;
    const key = `${this.orgGeneration}|${overridesKey}`;
    if (a.live?.key !== key) {
      if (a.arnPatternList === undefined || a.agentSite === undefined) {
        const docs = a.docs ?? parseAgentYaml(a.text);
        a.arnPatternList ??= docs.flatMap((d) => collectArnPatterns(d));
        a.agentSite ??= agentFileSite(docs) ?? null;
      }
      const raw = liveFindings(yamlLivePatterns(a.arnPatternList, a.agentSite ?? undefined), this.org, a.index, 'yaml');
      a.live = { key, findings: capFindings(raw, findingFilter(a.text, 'yaml', overrides)) };
    }
    return a.live.findings.length ? [...own, ...a.live.findings] : own;
  }

  /**
   * `a` with its Terraform analysis, or with `failed` set; a file not parsed
   * (refused, failed before, no runtime) is returned as is. A file parsed for
   * its own sake keeps its tree (see treeKeptFor); one read for its folder
   * (`own` false) keeps it only if it had it.
   */
  private terraformAnalysis(doc: SourceDocument, kind: FileKind, own = true): Analysis {
    const previous = this.cache.get(doc.path)?.terraform;
    const a = this.analysis(doc);
    const runtime = this.hcl;
    if (a.terraform) return a;
    if (a.refusal || a.failed || !runtime) {
      // The previous text's tree is of no use to a text that is not parsed.
      previous?.tree.delete();
      return a;
    }
    a.terraform = this.attempt(a, () => analyseTerraform(runtime, a.text, kind === 'terraform-lock', previous, { timeoutMs: this.parseTimeoutMs(a.text.length) }));
    if (a.terraform && this.hcl === runtime) {
      if (own) this.keepTreeOf(doc.path);
      else if (this.treeKeptFor !== doc.path) a.terraform.tree.delete();
    }
    return a;
  }

  /** Makes `path` the one whose tree is kept, freeing the tree kept before. */
  private keepTreeOf(path: string): void {
    if (this.treeKeptFor !== undefined && this.treeKeptFor !== path) this.cache.get(this.treeKeptFor)?.terraform?.tree.delete();
    this.treeKeptFor = path;
  }

  /**
   * A file read only for the folder's facts. Its tree is freed as soon as its
   * model is extracted unless it is the one kept (the file being edited): in a
   * large monorepo, keeping every folder-mate's tree exhausted tree-sitter's
   * WebAssembly memory. Undefined for a file that is not parsed (refused, or
   * its parse failed).
   */
  private folderMateAnalysis(doc: SourceDocument, kind: FileKind): TerraformAnalysis | undefined {
    return this.terraformAnalysis(doc, kind, false).terraform;
  }

  /**
   * Runs a step that parses or walks a Terraform tree. A parse that ran out of
   * time, or a runtime that failed, marks `a` failed (its text is not parsed
   * again) and answers undefined; a failed runtime is dropped too (see
   * setHclRuntime). Other errors are bugs, and are thrown.
   */
  private attempt<T>(a: Analysis, step: () => T): T | undefined {
    const runtime = this.hcl;
    try {
      return step();
    } catch (err) {
      if (err instanceof HclParseCancelled) {
        a.failed = `Not checked: parsing this file took longer than ${(err.timeoutMs / 1000).toFixed(err.timeoutMs < 10_000 ? 1 : 0)} s and was abandoned (HCL that slow to parse is generated or hostile).`;
        return undefined;
      }
      if (!isHclRuntimeFailure(err) || !runtime) throw err;
      const max = runtime.maxMemoryBytes;
      const outOfMemory = max !== undefined && (runtime.memoryBytes?.() ?? 0) >= max * 0.9;
      a.failed = outOfMemory
        ? `Not checked: the HCL parser ran out of memory on this file (it may use ${formatBytes(max)}); a fresh one checks the other files.`
        : `Not checked: the HCL parser failed on this file (${err.message.replace(/\. .*$/s, '')}); a fresh one checks the other files.`;
      this.loseHclRuntime(err);
      return undefined;
    }
  }

  private loseHclRuntime(err: Error): void {
    const onLost = this.onHclLost;
    this.hcl = undefined;
    this.onHclLost = undefined;
    this.dropTrees();
    onLost?.(err);
  }

  /** Forgets every tree (with the model made from it) without freeing it: they live in a runtime that is gone or going. */
  private dropTrees(): void {
    for (const a of this.cache.values()) a.terraform = undefined;
    this.treeKeptFor = undefined;
  }

  hover(doc: SourceDocument, pos: Position): Hover | null {
    const hover = this.ruleHover(doc, pos);
    return this.orgs.length ? this.withOrgLine(doc, pos, hover) : hover;
  }

  /** On a valid org_uuid value whose site has org facts: the line saying whether it is that org, added to the hover (or alone). */
  private withOrgLine(doc: SourceDocument, pos: Position, hover: Hover | null): Hover | null {
    const target = this.targetsOf(doc).find((t) => t.orgUuidRange && t.orgUuid !== undefined && overlaps(t.orgUuidRange, { start: pos, end: pos }));
    const line = target ? orgHoverLine(this.orgs, target.site, target.orgUuid!) : undefined;
    if (!target || !line) return hover;
    return hover ? { ...hover, contents: `${hover.contents}\n\n${line}` } : { contents: line, range: target.orgUuidRange! };
  }

  private ruleHover(doc: SourceDocument, pos: Position): Hover | null {
    const kind = this.kindOf(doc);
    if (kind === 'terraform') {
      const a = this.terraformAnalysis(doc, kind);
      const model = a.terraform?.model;
      // The Agent containers of aws_ecs_task_definition resources get the env forms' hover.
      return model ? (terraformHover(model, a.index, pos) ?? agentEnvHover(terraformAgentEnv(model), a.index, pos)) : null;
    }
    if (kind === 'agent-env') {
      const a = this.analysis(doc);
      return a.refusal ? null : agentEnvHover(this.envFileOf(a), a.index, pos);
    }
    if (kind !== 'agent') return null;
    const a = this.analysis(doc);
    if (a.refusal) return null;
    a.docs ??= parseAgentYaml(a.text);
    return agentHover(a.docs, a.index, pos);
  }

  complete(doc: SourceDocument, pos: Position): CompletionItem[] {
    const kind = this.kindOf(doc);
    if (kind === 'terraform') {
      const a = this.terraformAnalysis(doc, kind);
      const model = a.terraform?.model;
      if (!model) return [];
      const items = terraformCompletion(model, a.index, pos);
      // Inside an aws_ecs_task_definition: the Agent's variable names and values, as in the env forms.
      if (items.length === 0 && insideEcsTaskDefinition(model, a.index.offsetAt(pos))) return agentEnvCompletion(a.index, pos);
      return items;
    }
    if (kind === 'agent-env') {
      const a = this.analysis(doc);
      return a.refusal ? [] : agentEnvCompletion(a.index, pos);
    }
    if (kind !== 'agent') return [];
    const a = this.analysis(doc);
    return a.refusal ? [] : agentCompletion(a.index, pos);
  }

  /** Where a login test can start (code lenses): each `delegated_auth` section, each `provider "datadog"` block. */
  loginTargets(doc: SourceDocument): LoginTarget[] {
    // Where the org UUID is written is for the org_uuid hover only: the hosts get the targets as they were.
    return this.targetsOf(doc).map(({ orgUuidRange: _range, ...target }) => target);
  }

  /** The login targets, with where each org UUID value is written (`orgUuidRange`). */
  private targetsOf(doc: SourceDocument): LoginTarget[] {
    const kind = this.kindOf(doc);
    if (kind === 'terraform') {
      const a = this.terraformAnalysis(doc, kind);
      const model = a.terraform?.model;
      // Each provider "datadog" block, and each org UUID variable of an Agent container of an aws_ecs_task_definition.
      return model ? [...terraformLoginTargets(model, a.index), ...agentEnvLoginTargets(terraformAgentEnv(model), a.index)] : [];
    }
    if (kind === 'agent-env') {
      const a = this.analysis(doc);
      return a.refusal ? [] : agentEnvLoginTargets(this.envFileOf(a), a.index);
    }
    if (kind !== 'agent') return [];
    const a = this.agentAnalysis(doc);
    if (a.refusal) return [];
    // The relevant blocks hold every section and what a target reads (`site`, `dd_url`).
    const fromBlocks = a.blocks?.safe ? a.blocks.rulesDocument() : undefined;
    const docs = a.blocks?.safe ? (fromBlocks ? [fromBlocks] : []) : (a.docs ?? parseAgentYaml(a.text));
    return agentLoginTargets(a.text, a.index, docs);
  }

  /**
   * The findings of a file known only by its size, when that size alone
   * refuses it (the CLI asks before reading a file); undefined when the file
   * has to be read and linted.
   */
  tooLarge(doc: Pick<SourceDocument, 'path' | 'kind' | 'severity'>, bytes: number): Finding[] | undefined {
    const kind = this.kindOf(doc);
    const refusal = kind && checkSize(bytes);
    return kind && refusal ? applySeverityOverrides([refusalFinding(kind, refusal)], doc.severity ?? this.settings.severity) : undefined;
  }

  /**
   * The finding of a file whose bytes could not be read as text the way its
   * reader (the Agent, Terraform) reads them: `reason` says why and what to do
   * (the CLI decodes files; see shared/textEncoding.ts). Like a binary file, it
   * is reported, not parsed.
   */
  undecodable(doc: Pick<SourceDocument, 'path' | 'kind' | 'severity'>, reason: string): Finding[] {
    const kind = this.kindOf(doc) ?? 'agent';
    return applySeverityOverrides([notCheckedFinding(kind, `Not checked: this file is ${reason}.`)], doc.severity ?? this.settings.severity);
  }

  /**
   * Findings that depend on several files of the workspace at once
   * (`agent/role-not-mapped`: a workload's role against the intake mappings
   * declared anywhere), by path. `docs` are every relevant file of the
   * workspace, open or not; the hosts (server, `dd-wif lint FOLDER`) add
   * these to each file's own findings.
   */
  workspaceFindings(docs: readonly SourceDocument[]): Map<string, Finding[]> {
    const collected = this.workspaceInput(docs);
    // The runtime failed on a file and was dropped: the host checks again with a fresh one.
    if (!collected) return new Map();
    const { input, byPath, unread } = collected;
    // A .tf not parsed (too large, failed, no runtime) may hold the mapping a role needs.
    const mappingsIncomplete = unread.some((d) => this.kindOf(d) === 'terraform' && d.text.includes('datadog_aws_wif_intake_mapping'));
    const roleInput = { ...input, mappingsIncomplete };
    const out = new Map<string, Finding[]>();
    for (const [path, findings] of roleNotMapped(roleInput)) {
      const doc = byPath.get(path);
      if (!doc) continue;
      // Suppression comments and severity overrides of the file each finding lands in.
      const filter = findingFilter(doc.text, this.kindOf(doc) === 'terraform' ? 'hcl' : 'yaml', doc.severity ?? this.settings.severity);
      const kept = findings.map(filter).filter((f): f is Finding => f !== undefined);
      if (kept.length) out.set(path, kept);
    }
    return out;
  }

  /**
   * The mappings the workspace declares (orgSync/declared.ts), from the files
   * a host hands over as to workspaceFindings: Terraform mapping resources
   * and the `arn_pattern` lists of a known kind in Agent YAML/JSON files.
   * `incomplete` when a file that may declare some could not be read (too
   * large, not parsed, the HCL runtime missing or lost on it).
   */
  declaredMappings(docs: readonly SourceDocument[]): DeclaredMappings {
    const collected = this.workspaceInput(docs);
    if (!collected) return { mappings: [], incomplete: true, unread: [] };
    const unread = collected.unread.filter((d) => /datadog_aws_wif_|arn_pattern/.test(d.text)).map((d) => d.path);
    return declaredMappings({ terraform: collected.input.terraform, patternLists: collected.input.patternLists, unread });
  }

  /**
   * What the cross-file readers need of `docs`: the Agent workloads, the
   * Terraform models and the `arn_pattern` lists, each read once per text;
   * `unread`, the Agent, agent-env and Terraform files that could not be
   * (refused, not parsed). Undefined when the HCL runtime failed on a file
   * and was dropped (the host goes again with a fresh one).
   */
  private workspaceInput(docs: readonly SourceDocument[]): { input: { agentEnv: AgentEnvSource[]; terraform: TerraformSource[]; patternLists: PatternListSource[] }; byPath: Map<string, SourceDocument>; unread: SourceDocument[] } | undefined {
    const input = { agentEnv: [] as AgentEnvSource[], terraform: [] as TerraformSource[], patternLists: [] as PatternListSource[] };
    const unread: SourceDocument[] = [];
    const runtime = this.hcl;
    const byPath = new Map<string, SourceDocument>();
    for (const doc of docs) {
      byPath.set(doc.path, doc);
      const kind = this.kindOf(doc);
      if (kind === 'agent-env') {
        const a = this.analysis(doc);
        if (!a.refusal) input.agentEnv.push({ path: doc.path, index: a.index, file: this.envFileOf(a) });
        else unread.push(doc);
      } else if (kind === 'agent') {
        // A datadog.yaml (or a file of the Agent globs) may list mappings: its `arn_pattern`s, read once per text.
        const a = this.analysis(doc);
        if (a.refusal) unread.push(doc);
        if (a.refusal || !a.text.includes('arn_pattern')) continue;
        a.arnPatternList ??= parseAgentYaml(a.text).flatMap((d) => collectArnPatterns(d));
        input.patternLists.push({ path: doc.path, index: a.index, patterns: a.arnPatternList });
      } else if (kind === 'terraform') {
        // Read for the workspace, not for its own sake: its tree is freed unless it is the one kept (terraformAnalysis).
        const a = this.terraformAnalysis(doc, kind, false);
        if (this.hcl !== runtime) return undefined;
        if (a.terraform?.model) {
          input.terraform.push({ path: doc.path, index: a.index, model: a.terraform.model });
          // Its aws_ecs_task_definition containers are Agent workloads too (task_role_arn).
          const ecs = terraformAgentEnv(a.terraform.model);
          if (ecs.workloads.length) input.agentEnv.push({ path: doc.path, index: a.index, file: ecs });
        } else unread.push(doc);
      }
    }
    return { input, byPath, unread };
  }

  /**
   * Quick fixes for the findings that touch `range`. Recomputed from the
   * current text, so a client that drops diagnostic data still gets them.
   * `codes` narrows them to the diagnostics the client asked about. The
   * fixes of cross-file findings travel with them (workspaceFindings): the
   * host offers those as it published them.
   */
  quickFixes(doc: SourceDocument, range: Range, codes?: readonly string[], folder: readonly SourceDocument[] = []): { finding: Finding; fix: QuickFix }[] {
    const out: { finding: Finding; fix: QuickFix }[] = [];
    // Read once for all the findings in range (a whole-file range may hold hundreds of org UUID findings).
    let targets: LoginTarget[] | undefined;
    let finder: ((r: Range) => FoundSetting | undefined) | undefined;
    const once = { targets: () => (targets ??= this.loginTargets(doc)), setting: (r: Range) => (finder ??= this.settingFinderOf(doc))(r) };
    for (const finding of this.lint(doc, folder)) {
      if (codes && codes.length && !codes.includes(finding.code)) continue;
      if (!overlaps(finding.range, range)) continue;
      const orgFix = this.orgs.length && ORG_UUID_CODES.has(finding.code) ? this.orgUuidFix(doc, finding, once) : undefined;
      // The org's own UUID is the better fix: the rule's placeholder is no longer the preferred one.
      if (orgFix) out.push({ finding, fix: orgFix });
      for (const fix of finding.data?.fixes ?? []) out.push({ finding, fix: orgFix && fix.isPreferred ? { ...fix, isPreferred: false } : fix });
    }
    return out;
  }

  /** The env settings of an agent-env file, or of a .tf file's aws_ecs_task_definition containers, by span. */
  private settingFinderOf(doc: SourceDocument): (r: Range) => FoundSetting | undefined {
    const kind = this.kindOf(doc);
    const a = this.analysis(doc);
    if (kind === 'agent-env') return settingFinder(this.envFileOf(a), a.index);
    const model = kind === 'terraform' ? a.terraform?.model : undefined;
    return model ? settingFinder(terraformAgentEnv(model), a.index) : () => undefined;
  }

  /** The fix that writes the org UUID of the file's site where an org UUID finding is; undefined without facts for that site. */
  private orgUuidFix(doc: SourceDocument, finding: Finding, read: { targets: () => LoginTarget[]; setting: (r: Range) => FoundSetting | undefined }): QuickFix | undefined {
    const kind = this.kindOf(doc);
    if (kind === 'agent') {
      const a = this.analysis(doc);
      const org = orgForSite(this.orgs, targetOf(read.targets(), finding.range)?.site);
      return org ? agentYamlOrgFix(finding, a.index, org) : undefined;
    }
    if (kind !== 'agent-env' && kind !== 'terraform') return undefined;
    const a = this.analysis(doc);
    // An Agent container's env (an agent-env file, a .tf's aws_ecs_task_definition), else a provider block.
    const found = read.setting(finding.range);
    if (found) {
      const org = orgForSite(this.orgs, workloadSite(found.workload));
      return org ? agentEnvOrgFix(finding, a.index, found, org) : undefined;
    }
    if (kind !== 'terraform' || !a.terraform?.model) return undefined;
    const org = orgForSite(this.orgs, targetOf(read.targets().filter((t) => t.flow === 'terraform'), finding.range)?.site);
    return org ? terraformOrgFix(finding, a.index, org) : undefined;
  }

  /** An agent-env file's settings, read once per text. */
  private envFileOf(a: Analysis): AgentEnvFile {
    return (a.envFile ??= readAgentEnv(a.text));
  }

  private analysis(doc: SourceDocument): Analysis {
    const cached = this.cache.get(doc.path);
    if (cached && cached.text === doc.text) return cached;
    const fresh = new Analysis(doc.text);
    if (cached) {
      fresh.edited = true;
      fresh.base = cached.blocks ?? cached.base;
    }
    this.cache.set(doc.path, fresh);
    return fresh;
  }

  /**
   * An Agent file's analysis, with its blocks: updated from the previous
   * text's (only what the edit touched is read again), or read whole. A text
   * seen first is read block by block too (each block's parse is garbage
   * sooner than one parse of the whole file, and the blocks are there for the
   * first edit), unless a line at column 0 already says the blocks cannot be
   * linted alone: then it is parsed whole only, until it is edited. No blocks
   * for a text the input guard refuses: it is not parsed at all.
   */
  private agentAnalysis(doc: SourceDocument): Analysis {
    const a = this.analysis(doc);
    if (!this.incrementalYaml || a.blocks) return a;
    if (a.text.length > MAX_INPUT_BYTES || looksBinary(a.text)) return a;
    if (!a.base && !a.edited && hasJunkLine(a.text)) return a;
    a.blocks = a.base ? a.base.update(a.text) : AgentBlocks.build(a.text);
    a.base = undefined;
    return a;
  }
}

/**
 * Files whose content may make them `agent-env`: YAML and JSON by extension
 * (a manifest, values file or task definition has any name), and untitled
 * buffers (no name yet).
 */
function mayConfigureAgentEnv(path: string): boolean {
  return /\.(?:ya?ml|json)$/i.test(baseName(path)) || path.startsWith('untitled:');
}

/** Whether two ranges share a position (touching counts): a finding's fixes are offered for a range that touches it. */
export function overlaps(a: Range, b: Range): boolean {
  const before = (p: Position, q: Position) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
