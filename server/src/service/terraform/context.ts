// What a tf rule receives: the model of one file, what its folder says
// (cloud auth anywhere in it, the lock file's pin), and a way to report.

import type { Finding, QuickFix, Severity, TextEdit } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import { ruleInfo } from '../catalog';
import type { Span } from './hcl';
import type { TerraformModel } from './model';

export interface FolderFacts {
  /** Some `provider "datadog"` block of the folder configures cloud auth. */
  cloudAuth: boolean;
  /** The lock file's pinned datadog/datadog version, when the folder has one. */
  lockedVersion?: string;
  /** Local names some file of the folder maps to datadog/datadog in `required_providers` (and `datadog`). */
  datadogLocalNames: ReadonlySet<string>;
}

export class TfRuleContext {
  readonly findings: Finding[] = [];

  constructor(
    readonly model: TerraformModel,
    readonly index: TextIndex,
    readonly folder: FolderFacts,
  ) {}

  get text(): string {
    return this.index.text;
  }

  edit(span: Span, newText: string): TextEdit {
    return { range: this.index.range(span.start, span.end), newText };
  }

  report(code: string, span: Span, message: string, options: { severity?: Severity; fixes?: QuickFix[]; related?: { span: Span; message: string }[] } = {}): void {
    const info = ruleInfo(code);
    if (!info) throw new Error(`unknown rule code ${code}`);
    const f: Finding = { code, severity: options.severity ?? info.severity, message, range: this.index.range(span.start, Math.max(span.start, span.end)) };
    if (options.fixes?.length) f.data = { fixes: options.fixes };
    if (options.related?.length) f.related = options.related.map((r) => ({ range: this.index.range(r.span.start, Math.max(r.span.start, r.span.end)), message: r.message }));
    this.findings.push(f);
  }
}
