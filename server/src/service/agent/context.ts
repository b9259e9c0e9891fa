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
  /** Other places in the document the finding concerns. */
  related?: { span: Span; message: string }[];
  /**
   * What the finding says about the text at its range, in words that do not
   * name the section that reached it ('' when the code says it all). Two
   * findings with the same code, range and `about` are one: an anchor that
   * two sections use (`*da` under `logs_config` and under
   * `remote_configuration`) gets it once, not once per section, though each
   * message names its own section. Without it, the message is what is compared.
   */
  about?: string;
}

export class AgentRuleContext {
  /** What was reported in text an alias reaches (the only text a rule can reach twice), to report it once. */
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
    const end = Math.max(span.end, span.start);
    if (this.inAliasedText(span.start)) {
      const key = `${code}|${span.start}|${end}|${options.about ?? message}`;
      if (this.reported.has(key)) return;
      this.reported.add(key);
    }
    const finding: Finding = {
      code,
      severity: options.severity ?? info.severity,
      message,
      range: this.index.range(span.start, end),
    };
    if (options.fixes?.length || options.data) finding.data = { ...options.data, ...(options.fixes?.length ? { fixes: options.fixes } : {}) };
    if (options.related?.length) finding.related = options.related.map((r) => ({ range: this.index.range(r.span.start, Math.max(r.span.end, r.span.start)), message: r.message }));
    this.sink.add(finding);
  }

  /** Whether an offset lies in an anchor that some alias uses (a binary search over the model's spans). */
  private inAliasedText(offset: number): boolean {
    const spans = this.model.aliasedSpans;
    let lo = 0;
    let hi = spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offset < spans[mid].start) hi = mid - 1;
      else if (offset >= spans[mid].end) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

export type AgentRule = (ctx: AgentRuleContext) => void;
