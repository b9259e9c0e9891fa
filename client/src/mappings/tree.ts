// The "Workload Identity Federation" tree: per site with stored credentials,
// its identity mappings and intake mappings. A failure is shown IN the tree,
// where the user is looking: what went wrong, and under it the next step as a
// clickable item. The lists are fetched when a site is expanded and kept until
// Refresh, a credential change or a settings change.

import * as vscode from 'vscode';
import { displayText } from '../../../server/src/shared/terminalText';
import { MAPPING_KINDS } from '../../../server/src/cloud/mappingTypes';
import { describeArn } from '../../../server/src/service/arn';
import { KIND_LABEL, KIND_TITLE, ProblemError, setKeysAction, toProblem, type Mapping, type MappingKind, type MappingsService, type Problem } from './service';
import { siteApiUrl } from './config';
import type { CredentialStore } from './secrets';
import type { DeclaredMapping, MappingsDrift } from '../../../server/src/service/orgSync/types';
import { compareWithCode, declarationPlace, openDeclarationCommand, type CodeComparison } from './codeComparison';


export interface SiteNode {
  readonly type: 'site';
  readonly site: string;
}
export interface GroupNode {
  readonly type: 'group';
  readonly site: string;
  readonly kind: MappingKind;
  readonly mappings: readonly Mapping[];
}
export interface MappingNode {
  readonly type: 'mapping';
  readonly site: string;
  readonly kind: MappingKind;
  readonly mapping: Mapping;
}
/** "Only in code (N)": the mappings the workspace declares that the site does not have. */
export interface CodeOnlyNode {
  readonly type: 'codeOnly';
  readonly site: string;
  readonly declared: readonly DeclaredMapping[];
}
/** A mapping the workspace declares (under "Only in code"). */
export interface DeclaredNode {
  readonly type: 'declared';
  readonly site: string;
  readonly declared: DeclaredMapping;
}
/** An error, its next step, or a note ("No identity mappings yet"). */
export interface MessageNode {
  readonly type: 'message';
  readonly severity: 'error' | 'next-step' | 'info';
  readonly site: string;
  readonly label: string;
  readonly detail?: string;
  readonly command?: vscode.Command;
  readonly key: string;
}
export type MappingsTreeNode = SiteNode | GroupNode | MappingNode | CodeOnlyNode | DeclaredNode | MessageNode;

type ListState = { ok: true; mappings: Mapping[] } | { ok: false; problem: Problem };

/** How one org mapping stands against the workspace. */
export type CodeMark = { state: 'declared'; declared: readonly DeclaredMapping[] } | { state: 'notInCode' } | { state: 'accountDiffers'; declared: DeclaredMapping };

/** A site's comparison with the workspace: the last answer (kept while the next is asked), or why there is none. */
interface Comparison {
  /** The generation it was asked in: an older one is asked again (the server said the declarations changed). */
  generation: number;
  pending?: Promise<void>;
  drift?: MappingsDrift;
  scanning?: boolean;
  /** Files that may declare mappings but could not be read (URIs). */
  unread?: string[];
  /** Org mapping id → its mark. */
  marks?: Map<string, CodeMark>;
  failed?: string;
}

/** Each org mapping's mark: declared (same kind, pattern, account), declared for another account, or not in code. */
export function codeMarks(drift: MappingsDrift): Map<string, CodeMark> {
  const marks = new Map<string, CodeMark>();
  for (const m of drift.onlyInOrg) marks.set(m.id, { state: 'notInCode' });
  for (const { org, declared } of drift.accountMismatch) marks.set(org.id, { state: 'accountDiffers', declared });
  // Declared wins: a pattern declared twice, once for its own account, is in step.
  for (const { org, declared } of drift.inStep) marks.set(org.id, { state: 'declared', declared });
  return marks;
}

/** The label the tree (and every message) shows for a mapping's target: what the server sent, escaped. */
export function targetOf(kind: MappingKind, mapping: Mapping): string {
  return kind === 'identity' ? displayText(mapping.accountIdentifier || mapping.accountUuid || '(no account)') : 'managed API key';
}

/** A mapping's pattern as shown: what the server sent, escaped (it cannot act on a label, a message or a log line). */
export function patternOf(mapping: Mapping): string {
  return displayText(mapping.arnPattern);
}

/** A value from the server as Markdown inline code: escaped, in a fence longer than any run of backticks in it. */
function code(value: string): string {
  const shown = displayText(value);
  const fence = '`'.repeat(Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** The characters of an ARN pattern; the Markdown description quotes the parts of one made of them only. */
const ARN_CHARS = /^[\w+=,.@/:*?-]*$/;

export class MappingsTreeProvider implements vscode.TreeDataProvider<MappingsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MappingsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Per site: the pending or finished fetch of both lists. */
  private readonly lists = new Map<string, Promise<Record<MappingKind, ListState>>>();
  private readonly siteNodes = new Map<string, SiteNode>();
  /** Per site: [short description, tooltip], computed when the roots are (async), shown by getTreeItem (sync). */
  private readonly descriptions = new Map<string, [string, string]>();

  /** Per site: how its mappings compare with what the workspace declares (datadogWif.mappings.compareWithCode). */
  private readonly comparisons = new Map<string, Comparison>();
  private comparisonGeneration = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly store: CredentialStore,
    private readonly service: MappingsService,
    private readonly comparison?: CodeComparison,
  ) {
    if (comparison) this.disposables.push(comparison.onDidChangeDeclared(() => this.recompare()));
  }

  dispose(): void {
    this.changed.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /**
   * Compares every site with the workspace again (the declarations changed,
   * or the setting did), keeping the org's lists: the marks shown stay until
   * the new answer replaces them.
   */
  recompare(): void {
    this.comparisonGeneration++;
    if (!compareWithCode()) this.comparisons.clear();
    this.changed.fire(undefined);
  }

  /** A site's comparison as known now; asks the server (once per generation) when it is due. Undefined when off. */
  private comparisonFor(site: string, lists: Record<MappingKind, ListState>): Comparison | undefined {
    if (!this.comparison || !compareWithCode()) return undefined;
    const known = this.comparisons.get(site);
    if (known && (known.generation === this.comparisonGeneration || known.pending)) return known;
    const generation = this.comparisonGeneration;
    const listed = MAPPING_KINDS.filter((k) => lists[k].ok);
    const mappings = listed.flatMap((k) => (lists[k] as { mappings: Mapping[] }).mappings);
    const next: Comparison = { ...(known ?? {}), generation };
    next.pending = this.comparison.compare(site, mappings).then(
      (result) => {
        // A kind whose list failed was not sent: its declarations are not "only in code".
        const drift = { ...result.drift, onlyInCode: result.drift.onlyInCode.filter((d) => listed.includes(d.kind)) };
        Object.assign(next, { drift, scanning: result.scanning, unread: result.unread ?? [], marks: codeMarks(drift), failed: undefined, pending: undefined });
      },
      (err: unknown) => {
        Object.assign(next, { drift: undefined, marks: undefined, scanning: undefined, failed: err instanceof Error ? err.message : String(err), pending: undefined });
      },
    ).then(() => {
      if (this.comparisons.get(site) === next) this.changed.fire(undefined);
    });
    this.comparisons.set(site, next);
    return next;
  }

  /**
   * The Terraform addresses of the mapping resources the workspace declares
   * (as last compared for `site`; none when the comparison is off or not in):
   * an exported mapping is named around them.
   */
  declaredAddresses(site: string): string[] {
    const drift = compareWithCode() ? this.comparisons.get(site)?.drift : undefined;
    if (!drift) return [];
    const declared = [...drift.inStep.flatMap((s) => s.declared), ...drift.onlyInCode, ...drift.accountMismatch.map((a) => a.declared), ...drift.unknown];
    return declared.flatMap((d) => /^datadog_aws_wif_(?:identity|intake)_mapping\.[A-Za-z_][\w-]*/.exec(d.owner)?.[0] ?? []);
  }

  /** The mark of an org mapping, when its site has been compared. */
  markOf(node: MappingNode): CodeMark | undefined {
    if (!compareWithCode()) return undefined;
    return this.comparisons.get(node.site)?.marks?.get(node.mapping.id);
  }

  /**
   * Fetches again: one site's lists (the others stay cached), or everything.
   * The tree is redrawn from its root either way: it is small, and VS Code
   * redraws a whole tree more dependably than one element's children.
   */
  refresh(site?: string): void {
    if (site === undefined) {
      this.lists.clear();
      this.comparisons.clear();
    } else {
      this.lists.delete(site);
      this.comparisons.delete(site);
    }
    this.changed.fire(undefined);
  }

  private async describeSite(site: string): Promise<void> {
    const baseUrl = this.store.baseUrl(site);
    if (!baseUrl) {
      this.descriptions.set(site, ['API URL refused', 'the API URL in `datadogWif.apiUrl` is refused, so nothing is sent (see below)']);
      return;
    }
    const [short, long] = await Promise.all([this.store.describe(site, { short: true, baseUrl }), this.store.describe(site, { baseUrl })]);
    // Which API the entry talks to, when it is not the site's own (an override in datadogWif.apiUrl).
    const via = baseUrl !== siteApiUrl(site) ? ` via ${baseUrl}` : '';
    this.descriptions.set(site, [`${short}${via}`, `${long}; API ${baseUrl}${via ? ' (datadogWif.apiUrl)' : ''}`]);
  }

  /** The mappings of `site` as last fetched (fetching when needed). Throws ProblemError on failure. */
  async mappings(site: string, kind: MappingKind): Promise<Mapping[]> {
    const state = (await this.load(site))[kind];
    if (!state.ok) throw new ProblemError(state.problem);
    return state.mappings;
  }

  private load(site: string): Promise<Record<MappingKind, ListState>> {
    let pending = this.lists.get(site);
    if (!pending) {
      const one = (kind: MappingKind): Promise<ListState> =>
        this.service.list(site, kind).then(
          (mappings) => ({ ok: true as const, mappings: [...mappings].sort((a, b) => a.arnPattern.localeCompare(b.arnPattern)) }),
          (err: unknown) => ({ ok: false as const, problem: toProblem(err, site) }),
        );
      pending = Promise.all([one('identity'), one('intake')]).then(([identity, intake]) => ({ identity, intake }));
      this.lists.set(site, pending);
    }
    return pending;
  }

  private siteNode(site: string): SiteNode {
    let node = this.siteNodes.get(site);
    if (!node) {
      node = { type: 'site', site };
      this.siteNodes.set(site, node);
    }
    return node;
  }

  async getChildren(element?: MappingsTreeNode): Promise<MappingsTreeNode[]> {
    if (!element) {
      const sites = this.store.sites();
      await Promise.all(sites.map((s) => this.describeSite(s)));
      // No sites: an empty tree, so the welcome view (Set API Keys) shows.
      return sites.map((s) => this.siteNode(s));
    }
    switch (element.type) {
      case 'site':
        return this.siteChildren(element.site);
      case 'group':
        if (element.mappings.length === 0) {
          return [{ type: 'message', severity: 'info', site: element.site, key: `${element.kind}-empty`, label: `No ${KIND_LABEL[element.kind]}s yet`, command: createCommand(element.kind, element.site) }];
        }
        return element.mappings.map((mapping) => ({ type: 'mapping', site: element.site, kind: element.kind, mapping }));
      case 'codeOnly':
        return element.declared.map((declared) => ({ type: 'declared', site: element.site, declared }));
      default:
        return [];
    }
  }

  private async siteChildren(site: string): Promise<MappingsTreeNode[]> {
    if (!vscode.workspace.isTrusted) {
      // Listing sends the stored keys: like the commands, only in a trusted workspace.
      return [
        { type: 'message', severity: 'info', site, key: 'untrusted', label: 'Mappings are listed in trusted workspaces only.' },
        { type: 'message', severity: 'next-step', site, key: 'untrusted-next', label: 'Manage Workspace Trust', command: { title: 'Manage Workspace Trust', command: 'workbench.trust.manage' } },
      ];
    }
    const lists = await this.load(site);
    const out: MappingsTreeNode[] = [];
    const first = MAPPING_KINDS.map((k) => lists[k]).find((s): s is { ok: false; problem: Problem } => !s.ok);
    // One failure for both lists (no keys, refused host, bad keys): say it once, at the site.
    if (first && MAPPING_KINDS.every((k) => !lists[k].ok && (lists[k] as { problem: Problem }).problem.message === first.problem.message)) {
      return problemNodes(site, 'site', first.problem);
    }
    for (const kind of MAPPING_KINDS) {
      const state = lists[kind];
      if (state.ok) out.push({ type: 'group', site, kind, mappings: state.mappings });
      else out.push(...problemNodes(site, kind, state.problem));
    }
    const comparison = this.comparisonFor(site, lists);
    if (comparison) out.push(...comparisonNodes(site, comparison));
    return out;
  }

  getTreeItem(element: MappingsTreeNode): vscode.TreeItem {
    switch (element.type) {
      case 'site': {
        const item = new vscode.TreeItem(element.site, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `site:${element.site}`;
        item.iconPath = new vscode.ThemeIcon('globe');
        const [short, long] = this.descriptions.get(element.site) ?? ['', ''];
        item.description = short;
        item.tooltip = `Datadog site ${element.site}: ${long}`;
        item.contextValue = 'datadogWif.site';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(KIND_TITLE[element.kind], vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${element.site}:${element.kind}`;
        item.iconPath = new vscode.ThemeIcon(element.kind === 'identity' ? 'person' : 'key');
        item.description = String(element.mappings.length);
        item.tooltip =
          element.kind === 'identity'
            ? 'An ARN pattern acts as a Datadog user or service account: what Terraform and API clients log in with (delegated token).'
            : "An ARN pattern may fetch the org's managed API key: what the Datadog Agent logs in with (intake key).";
        item.contextValue = `datadogWif.group.${element.kind}`;
        return item;
      }
      case 'mapping': {
        const { mapping, kind } = element;
        const item = new vscode.TreeItem(patternOf(mapping), vscode.TreeItemCollapsibleState.None);
        item.id = `mapping:${element.site}:${kind}:${mapping.id}`;
        item.iconPath = new vscode.ThemeIcon(kind === 'identity' ? 'account' : 'key');
        item.description = kind === 'identity' ? `→ ${targetOf(kind, mapping)}` : targetOf(kind, mapping);
        const tooltip = new vscode.MarkdownString(undefined, true);
        tooltip.appendMarkdown(`**${capitalise(KIND_LABEL[kind])}** on ${element.site}\n\n`);
        // Every value is the server's: inline code, escaped, so none can add Markdown (a link) or act.
        tooltip.appendMarkdown(`Pattern: ${code(mapping.arnPattern)}\n\n`);
        if (kind === 'identity') {
          tooltip.appendMarkdown(`Acts as: ${code(mapping.accountIdentifier ?? '?')}${mapping.accountUuid ? ` (${code(mapping.accountUuid)})` : ''}\n\n`);
        } else tooltip.appendMarkdown("May fetch the org's managed API key (the Agent flow).\n\n");
        tooltip.appendMarkdown(`ID: ${code(mapping.id)}\n\n---\n\n`);
        tooltip.appendMarkdown(ARN_CHARS.test(mapping.arnPattern.trim()) ? describeArn(mapping.arnPattern) : '**Not an ARN pattern**: it has characters no ARN has.');
        const mark = this.markOf(element);
        if (mark) {
          item.description = `${item.description} · ${markText(mark)}`;
          tooltip.appendMarkdown(`\n\n---\n\n${markTooltip(mark)}`);
          // The icon says it too: in a narrow sidebar a long pattern leaves no room for the description.
          item.iconPath = markIcon(mark);
          if (mark.state === 'declared') item.command = openDeclarationCommand(mark.declared[0]);
          if (mark.state === 'accountDiffers') item.command = openDeclarationCommand(mark.declared);
        }
        item.tooltip = tooltip;
        // A suffix only: the menus match /^datadogWif\.mapping\./ (Copy, Delete), Export to Terraform the suffix.
        item.contextValue = `datadogWif.mapping.${kind}${mark?.state === 'notInCode' ? '.notInCode' : ''}`;
        return item;
      }
      case 'codeOnly': {
        const item = new vscode.TreeItem(`Only in code (${element.declared.length})`, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `codeOnly:${element.site}`;
        item.iconPath = new vscode.ThemeIcon('file-code');
        item.tooltip = `Mappings the workspace declares (Terraform resources, YAML/JSON arn_pattern lists) that ${element.site} does not have: \`terraform apply\` (or your pipeline) has not created them yet, or they were deleted in the org.`;
        item.contextValue = 'datadogWif.codeOnly';
        return item;
      }
      case 'declared': {
        const d = element.declared;
        const item = new vscode.TreeItem(displayText(d.pattern ?? '(pattern not known)'), vscode.TreeItemCollapsibleState.None);
        item.id = `declared:${element.site}:${d.path}:${d.line}:${d.kind}`;
        item.iconPath = new vscode.ThemeIcon(d.kind === 'identity' ? 'account' : 'key');
        const account = d.kind === 'identity' && d.accountIdentifier ? `→ ${displayText(d.accountIdentifier)} · ` : '';
        item.description = `${account}${KIND_LABEL[d.kind]} · ${displayText(declarationPlace(d))}`;
        item.tooltip = `${capitalise(KIND_LABEL[d.kind])} ${displayText(d.owner)}, declared in ${displayText(declarationPlace(d))}; ${element.site} has no such mapping.`;
        item.command = openDeclarationCommand(d);
        item.contextValue = `datadogWif.declared.${d.kind}`;
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.None);
        item.id = `message:${element.site}:${element.key}`;
        item.iconPath = new vscode.ThemeIcon(
          element.severity === 'error' ? 'error' : element.severity === 'next-step' ? 'arrow-right' : 'info',
          element.severity === 'error' ? new vscode.ThemeColor('problemsErrorIcon.foreground') : undefined,
        );
        item.tooltip = element.detail ? `${element.label}\n\n${element.detail}` : element.label;
        item.command = element.command;
        item.contextValue = `datadogWif.message.${element.severity}`;
        return item;
      }
    }
  }
}

/** A mark as the mapping's description ends: "declared in infra/wif.tf:12", "not in code". */
export function markText(mark: CodeMark): string {
  switch (mark.state) {
    case 'declared':
      return `declared in ${displayText(declarationPlace(mark.declared[0]))}${mark.declared.length > 1 ? ` (+${mark.declared.length - 1})` : ''}`;
    case 'accountDiffers':
      return `declared in ${displayText(declarationPlace(mark.declared))} for another account`;
    case 'notInCode':
      return 'not in code';
  }
}

function markIcon(mark: CodeMark): vscode.ThemeIcon {
  switch (mark.state) {
    case 'declared':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'accountDiffers':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'notInCode':
      return new vscode.ThemeIcon('cloud');
  }
}

function markTooltip(mark: CodeMark): string {
  switch (mark.state) {
    case 'declared':
      return `Declared in the workspace: ${mark.declared.map((d) => `${code(declarationPlace(d))} (${code(d.owner)})`).join(', ')}.`;
    case 'accountDiffers':
      return `Declared in ${code(declarationPlace(mark.declared))} (${code(mark.declared.owner)}) for ${code(mark.declared.accountIdentifier ?? '?')}: the org maps this pattern to another account.`;
    case 'notInCode':
      return 'Not declared in the workspace: no Terraform resource or YAML/JSON `arn_pattern` list has it. **Export to Terraform** writes its resource and import block.';
  }
}

/** Under a site: "Only in code (N)", and notes on the comparison (scan under way, patterns not known, a failure). */
function comparisonNodes(site: string, c: Comparison): MappingsTreeNode[] {
  const out: MappingsTreeNode[] = [];
  if (c.failed) {
    out.push({ type: 'message', severity: 'info', site, key: 'compare-failed', label: `Not compared with the workspace: ${c.failed}.`, command: { title: 'Show Logs', command: 'datadogWif.showLogs' } });
    return out;
  }
  if (!c.drift) return out;
  if (c.drift.onlyInCode.length) out.push({ type: 'codeOnly', site, declared: c.drift.onlyInCode });
  if (c.scanning) out.push({ type: 'message', severity: 'info', site, key: 'compare-scanning', label: 'Comparing with the workspace: its files are still being read.' });
  // Relevant only when a mapping is "not in code": it may be one whose pattern the files do not state.
  const unknown = c.drift.unknown.filter((d) => c.drift!.onlyInOrg.some((m) => m.kind === d.kind));
  if (unknown.length) {
    out.push({
      type: 'message',
      severity: 'info',
      site,
      key: 'compare-unknown',
      label: `${unknown.length} declared mapping${unknown.length === 1 ? ' has a pattern' : 's have patterns'} not known here (a variable, a template): "not in code" may be wrong`,
      detail: unknown.map((d) => `${displayText(d.owner)} (${displayText(declarationPlace(d))})`).join('\n'),
      command: openDeclarationCommand(unknown[0]),
    });
  }
  if (c.unread?.length && c.drift.onlyInOrg.length) {
    const n = c.unread.length;
    out.push({
      type: 'message',
      severity: 'info',
      site,
      key: 'compare-unread',
      label: `${n} file${n === 1 ? '' : 's'} that may declare mappings could not be read (too large, not parsed): "not in code" may be wrong`,
      detail: c.unread.map((u) => displayText(vscode.workspace.asRelativePath(vscode.Uri.parse(u)))).join('\n'),
      command: { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(c.unread[0])] },
    });
  }
  return out;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function createCommand(kind: MappingKind, site: string): vscode.Command {
  return { title: `Create ${capitalise(KIND_LABEL[kind])}`, command: kind === 'identity' ? 'datadogWif.createIdentityMapping' : 'datadogWif.createIntakeMapping', arguments: [{ site }] };
}

/** The error and, under it, the next step (clickable when there is a command for it). */
function problemNodes(site: string, key: string, problem: Problem): MessageNode[] {
  const nodes: MessageNode[] = [{ type: 'message', severity: 'error', site, key: `${key}-error`, label: problem.message, detail: problem.nextStep }];
  const action = problem.action ?? setKeysAction(site);
  const label = problem.nextStep ? `${action.title}: ${stripTrailingDot(problem.nextStep)}` : action.title;
  nodes.push({ type: 'message', severity: 'next-step', site, key: `${key}-next`, label, detail: problem.nextStep, command: action });
  return nodes;
}

function stripTrailingDot(s: string): string {
  return s.replace(/\.\s*$/, '');
}
