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
export type MappingsTreeNode = SiteNode | GroupNode | MappingNode | MessageNode;

type ListState = { ok: true; mappings: Mapping[] } | { ok: false; problem: Problem };

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

  constructor(
    private readonly store: CredentialStore,
    private readonly service: MappingsService,
  ) {}

  dispose(): void {
    this.changed.dispose();
  }

  /**
   * Fetches again: one site's lists (the others stay cached), or everything.
   * The tree is redrawn from its root either way: it is small, and VS Code
   * redraws a whole tree more dependably than one element's children.
   */
  refresh(site?: string): void {
    if (site === undefined) this.lists.clear();
    else this.lists.delete(site);
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
        item.tooltip = tooltip;
        item.contextValue = `datadogWif.mapping.${kind}`;
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
