// Plain data shared by every part of the language service. No editor or
// protocol types: the LSP wiring and the CLI translate these.

/** 0-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';
export type SeverityLevel = Severity | 'off';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix, computed when the finding is made and carried in its data. */
export interface QuickFix {
  title: string;
  /** Edits of the finding's own document. */
  edits: TextEdit[];
  /**
   * Edits of other files (a cross-file rule's fix: agent/role-not-mapped adds
   * a mapping to the Terraform file that holds the others), by the `path` of
   * their SourceDocument (a URI in the server, a file path in the CLI).
   */
  changes?: { path: string; edits: TextEdit[] }[];
  /** The fix an editor may apply on "fix all" / auto-fix. */
  isPreferred?: boolean;
}

/** What a finding carries besides its message: the fixes and anything a client may need. */
export interface FindingData {
  fixes?: QuickFix[];
  [key: string]: unknown;
}

/** Another place a finding concerns (LSP `relatedInformation`): in the same document unless `path` says which. */
export interface RelatedRange {
  range: Range;
  message: string;
  /** Another document's `path` (a cross-file rule's): a URI in the server, a file path in the CLI. */
  path?: string;
}

/** One problem a rule found. */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  data?: FindingData;
  /** A few other places it concerns (bounded by the rule), e.g. the patterns an overlapping one collides with. */
  related?: RelatedRange[];
}

export interface Hover {
  /** Markdown. */
  contents: string;
  range: Range;
}

export type CompletionKind = 'property' | 'value' | 'enum' | 'snippet' | 'keyword';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert; a snippet when `isSnippet`. Defaults to the label. */
  insertText?: string;
  isSnippet?: boolean;
  /** The range the insert replaces (the partial word typed so far). */
  range?: Range;
  sortText?: string;
  filterText?: string;
}

/**
 * The kinds of file the product understands. `agent-env`: a YAML or JSON file
 * whose content configures an Agent through its environment (Kubernetes,
 * Helm values, DatadogAgent, docker-compose, ECS task definitions; see
 * agentEnv/discover.ts).
 */
export type FileKind = 'agent' | 'agent-env' | 'terraform' | 'terraform-lock';
