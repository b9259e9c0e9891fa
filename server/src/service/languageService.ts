// The language service: pure functions from a document's text to findings,
// hovers, completions and quick fixes. The LSP wiring, the CLI and the tests
// all call this; none of it knows about editors, files or the network.

import type { Document } from 'yaml';
import type { CompletionItem, FileKind, Finding, Hover, Position, QuickFix, Range } from './common/types';
import { TextIndex } from './common/textIndex';
import { FindingCollector, capFindings, findingFilter, type SeverityOverrides } from './common/filter';
import { lintAgentConfig, parseAgentYaml } from './agent/lint';
import { agentHover } from './agent/hover';
import { agentCompletion } from './agent/completion';
import { FileClassifier } from './fileKinds';
import type { HclRuntime } from './terraform/hcl';
import { terraformHover } from './terraform/hover';
import { terraformCompletion } from './terraform/completion';
import { analyseTerraform, folderFacts, lintTerraform, type TerraformAnalysis } from './terraform/lint';
import { agentLoginTargets, terraformLoginTargets, type LoginTarget } from './loginTargets';

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

interface Analysis {
  text: string;
  index: TextIndex;
  docs?: Document[];
  /** What a user sees, for the severity overrides in `findingsFor` (suppressions come with the text). */
  findings?: Finding[];
  findingsFor?: string;
  /** Terraform files: the tree (kept for incremental re-parse) and the model. */
  terraform?: TerraformAnalysis;
}

export class LanguageService {
  private classifier: FileClassifier;
  private settings: ServiceSettings;
  /** The last analysis of each path, reused while its text is unchanged. */
  private readonly cache = new Map<string, Analysis>();
  /** The tree-sitter runtime for HCL, loaded by the host (it needs file I/O); without it Terraform files are not checked. */
  private hcl: HclRuntime | undefined;

  constructor(settings: ServiceSettings = {}) {
    this.settings = settings;
    this.classifier = new FileClassifier(settings.agentConfigFiles ?? []);
  }

  configure(settings: ServiceSettings): void {
    this.settings = settings;
    this.classifier = new FileClassifier(settings.agentConfigFiles ?? []);
  }

  kindOf(doc: Pick<SourceDocument, 'path' | 'kind'>): FileKind | undefined {
    return doc.kind ?? this.classifier.classify(doc.path);
  }

  /** Hands the service the HCL runtime once the host has loaded it. */
  setHclRuntime(runtime: HclRuntime): void {
    this.hcl = runtime;
  }

  get canCheckTerraform(): boolean {
    return this.hcl !== undefined;
  }

  forget(path: string): void {
    this.cache.get(path)?.terraform?.tree.delete();
    this.cache.delete(path);
  }

  /**
   * Findings after suppression comments and severity overrides, at most
   * MAX_FINDINGS_PER_FILE of them (then one saying how many more): what a
   * user sees.
   */
  lint(doc: SourceDocument, folder: readonly SourceDocument[] = []): Finding[] {
    const kind = this.kindOf(doc);
    const overrides = doc.severity ?? this.settings.severity;
    if (kind === 'agent') {
      const a = this.analysis(doc);
      a.docs ??= parseAgentYaml(a.text);
      // Filtered as rules report, so what is off never counts against the cap.
      const key = JSON.stringify(overrides ?? {});
      if (a.findings === undefined || a.findingsFor !== key) {
        a.findings = lintAgentConfig(a.text, a.index, a.docs, new FindingCollector(findingFilter(a.text, 'yaml', overrides)));
        a.findingsFor = key;
      }
      return a.findings;
    }
    if ((kind === 'terraform' || kind === 'terraform-lock') && this.hcl) {
      // The other .tf files and the lock file of the folder decide folder-wide rules (cloud auth, pinned version).
      const own = this.terraformAnalysis(doc, kind);
      const others = folder.filter((d) => d.path !== doc.path).flatMap((d) => {
        const k = this.kindOf(d);
        return k === 'terraform' || k === 'terraform-lock' ? [this.folderMateAnalysis(d, k)] : [];
      });
      const findings = lintTerraform(own.terraform!, own.index, folderFacts([own.terraform!, ...others]));
      return capFindings(findings, findingFilter(own.text, 'hcl', overrides));
    }
    return [];
  }

  private terraformAnalysis(doc: SourceDocument, kind: FileKind): Analysis {
    const previous = this.cache.get(doc.path)?.terraform;
    const a = this.analysis(doc);
    // A folder-mate's analysis keeps only its model (its tree was freed): a file linted itself needs the tree.
    if (a.terraform?.tree.deleted) a.terraform = undefined;
    a.terraform ??= analyseTerraform(this.hcl!, a.text, kind === 'terraform-lock', previous);
    return a;
  }

  /**
   * A file read only for the folder's facts. Its tree is freed as soon as its
   * model is extracted unless it had one already (an open document, whose tree
   * the next edit re-parses from): in a large monorepo, keeping every
   * folder-mate's tree exhausted tree-sitter's WebAssembly memory.
   */
  private folderMateAnalysis(doc: SourceDocument, kind: FileKind): TerraformAnalysis {
    const cached = this.cache.get(doc.path);
    if (cached?.terraform && cached.text === doc.text) return cached.terraform;
    const hadTree = !!cached?.terraform && !cached.terraform.tree.deleted;
    const a = this.terraformAnalysis(doc, kind);
    if (!hadTree) a.terraform!.tree.delete();
    return a.terraform!;
  }

  hover(doc: SourceDocument, pos: Position): Hover | null {
    const kind = this.kindOf(doc);
    if (kind === 'terraform' && this.hcl) {
      const a = this.terraformAnalysis(doc, kind);
      return a.terraform?.model ? terraformHover(a.terraform.model, a.index, pos) : null;
    }
    if (kind !== 'agent') return null;
    const a = this.analysis(doc);
    a.docs ??= parseAgentYaml(a.text);
    return agentHover(a.docs, a.index, pos);
  }

  complete(doc: SourceDocument, pos: Position): CompletionItem[] {
    const kind = this.kindOf(doc);
    if (kind === 'terraform' && this.hcl) {
      const a = this.terraformAnalysis(doc, kind);
      return a.terraform?.model ? terraformCompletion(a.terraform.model, a.index, pos) : [];
    }
    if (kind !== 'agent') return [];
    return agentCompletion(this.analysis(doc).index, pos);
  }

  /** Where a login test can start (code lenses): each `delegated_auth` section, each `provider "datadog"` block. */
  loginTargets(doc: SourceDocument): LoginTarget[] {
    const kind = this.kindOf(doc);
    if (kind === 'terraform' && this.hcl) {
      const a = this.terraformAnalysis(doc, kind);
      return a.terraform?.model ? terraformLoginTargets(a.terraform.model, a.index) : [];
    }
    if (kind !== 'agent') return [];
    const a = this.analysis(doc);
    a.docs ??= parseAgentYaml(a.text);
    return agentLoginTargets(a.text, a.index, a.docs);
  }

  /**
   * Quick fixes for the findings that touch `range`. Recomputed from the
   * current text, so a client that drops diagnostic data still gets them.
   * `codes` narrows them to the diagnostics the client asked about.
   */
  quickFixes(doc: SourceDocument, range: Range, codes?: readonly string[], folder: readonly SourceDocument[] = []): { finding: Finding; fix: QuickFix }[] {
    const out: { finding: Finding; fix: QuickFix }[] = [];
    for (const finding of this.lint(doc, folder)) {
      if (codes && codes.length && !codes.includes(finding.code)) continue;
      if (!overlaps(finding.range, range)) continue;
      for (const fix of finding.data?.fixes ?? []) out.push({ finding, fix });
    }
    return out;
  }

  private analysis(doc: SourceDocument): Analysis {
    const cached = this.cache.get(doc.path);
    if (cached && cached.text === doc.text) return cached;
    const fresh: Analysis = { text: doc.text, index: new TextIndex(doc.text) };
    this.cache.set(doc.path, fresh);
    return fresh;
  }
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Position, q: Position) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
