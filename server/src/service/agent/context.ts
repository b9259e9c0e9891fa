// What an agent rule receives: the model, the text, and a way to report.

import type { Finding, QuickFix, Severity } from '../common/types';
import { TextIndex } from '../common/textIndex';
import { ruleInfo } from '../catalog';
import type { AgentModel } from './model';
import type { Span } from './yamlTree';

export interface ReportOptions {
  severity?: Severity;
  fixes?: QuickFix[];
  data?: Record<string, unknown>;
  /** Other places in the document the finding concerns. */
  related?: { span: Span; message: string }[];
}

export class AgentRuleContext {
  readonly findings: Finding[] = [];

  constructor(
    readonly model: AgentModel,
    readonly index: TextIndex,
  ) {}

  get text(): string {
    return this.index.text;
  }

  report(code: string, span: Span, message: string, options: ReportOptions = {}): void {
    const info = ruleInfo(code);
    if (!info) throw new Error(`unknown rule code ${code}`);
    const finding: Finding = {
      code,
      severity: options.severity ?? info.severity,
      message,
      range: this.index.range(span.start, Math.max(span.end, span.start)),
    };
    if (options.fixes?.length || options.data) finding.data = { ...options.data, ...(options.fixes?.length ? { fixes: options.fixes } : {}) };
    if (options.related?.length) finding.related = options.related.map((r) => ({ range: this.index.range(r.span.start, Math.max(r.span.end, r.span.start)), message: r.message }));
    this.findings.push(finding);
  }
}

export type AgentRule = (ctx: AgentRuleContext) => void;
