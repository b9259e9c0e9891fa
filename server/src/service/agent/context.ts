// What an agent rule receives: the model, the text, and a way to report.

import type { Finding, QuickFix, Severity } from '../common/types';
import { TextIndex } from '../common/textIndex';
import type { FindingCollector } from '../common/filter';
import { ruleInfo } from '../catalog';
import type { AgentModel } from './model';
import type { Span } from './yamlTree';

export interface ReportOptions {
  severity?: Severity;
  fixes?: QuickFix[];
  data?: Record<string, unknown>;
}

export class AgentRuleContext {
  /**
   * One section reached twice (an anchor and its alias) is judged twice, at
   * the same text: one finding per code, range and message is reported.
   */
  private readonly reported = new Set<string>();

  constructor(
    readonly model: AgentModel,
    readonly index: TextIndex,
    private readonly sink: Pick<FindingCollector, 'add'>,
  ) {}

  get text(): string {
    return this.index.text;
  }

  report(code: string, span: Span, message: string, options: ReportOptions = {}): void {
    const info = ruleInfo(code);
    if (!info) throw new Error(`unknown rule code ${code}`);
    const key = `${code}|${span.start}|${span.end}|${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const finding: Finding = {
      code,
      severity: options.severity ?? info.severity,
      message,
      range: this.index.range(span.start, Math.max(span.end, span.start)),
    };
    if (options.fixes?.length || options.data) finding.data = { ...options.data, ...(options.fixes?.length ? { fixes: options.fixes } : {}) };
    this.sink.add(finding);
  }
}

export type AgentRule = (ctx: AgentRuleContext) => void;
