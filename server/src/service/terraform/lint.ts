// Lints a Terraform file or a .terraform.lock.hcl: parse (incrementally when
// a previous tree is given), extract the model, run the tf/* and arn/* rules
// with what the rest of the folder says, and the agent/* rules on the Agent
// containers of `aws_ecs_task_definition` resources (ecs.ts).

import type { Finding } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import { TfRuleContext, type FolderFacts } from './context';
import { isHclRuntimeFailure, parseHcl, syntaxProblems, type HclRuntime, type HclTree, type ParseOptions, type SyntaxProblem } from './hcl';
import { extractLockModel, extractTerraformModel, literalString, type TerraformLockModel, type TerraformModel } from './model';
import { lockFileRules, runTerraformRules, usesCloudAuth } from './rules';
import { terraformAgentEnv } from './ecs';
import { judgeAgentEnv } from '../agentEnv/rules';

export interface TerraformAnalysis {
  /**
   * The parse, kept only to re-parse the next edit incrementally: the rules
   * need none of it (the model and `syntax` are plain data), so the owner may
   * delete it (a tree of a 1,000-line file holds ~2 MB of wasm memory, which
   * the runtime never gives back).
   */
  tree: HclTree;
  /** The tree's syntax problems, read once at the parse. */
  syntax: SyntaxProblem[];
  model?: TerraformModel;
  lock?: TerraformLockModel;
}

/**
 * Parses and extracts. `previous` (the same document's last analysis) is
 * consumed: its tree is reused. With `options.timeoutMs`, parsing and the
 * re-parses of recovery together give up after that long (HclParseCancelled).
 */
export function analyseTerraform(runtime: HclRuntime, text: string, isLock: boolean, previous?: TerraformAnalysis, options: ParseOptions = {}): TerraformAnalysis {
  const tree = parseHcl(runtime, text, previous && !previous.tree.deleted ? { tree: previous.tree } : undefined, options);
  try {
    const syntax = syntaxProblems(tree);
    return isLock ? { tree, syntax, lock: extractLockModel(tree) } : { tree, syntax, model: extractTerraformModel(tree) };
  } catch (err) {
    // A tree of a runtime that failed goes with that runtime.
    if (!isHclRuntimeFailure(err)) tree.delete();
    throw err;
  }
}

/** What one folder's files say together: cloud auth anywhere, and the lock file's pin. */
export function folderFacts(analyses: readonly TerraformAnalysis[]): FolderFacts {
  // Terraform reads a module's files as one: a local name declared in versions.tf names main.tf's provider.
  const datadogLocalNames = new Set(['datadog']);
  for (const a of analyses) for (const r of a.model?.datadogRequirements ?? []) datadogLocalNames.add(r.localName);
  const cloudAuth = analyses.some((a) => a.model && datadogProviders(a.model, datadogLocalNames).some(usesCloudAuth));
  const facts: FolderFacts = { cloudAuth, datadogLocalNames };
  const locked = analyses.find((a) => a.lock?.datadog?.version)?.lock?.datadog?.version;
  const version = locked && literalString(locked.value);
  if (version) facts.lockedVersion = version;
  return facts;
}

const EMPTY_MODEL: TerraformModel = { providers: [], otherProviders: [], requiredProviders: [], datadogRequirements: [], mappings: [], arnPatterns: [] };

/** The file's Datadog provider blocks, counting those whose local name another file of the folder declares. */
export function datadogProviders(model: TerraformModel, folderNames: ReadonlySet<string>): TerraformModel['providers'] {
  const more = model.otherProviders.filter((p) => folderNames.has(p.localName));
  return more.length ? [...model.providers, ...more].sort((x, y) => x.span.start - y.span.start) : model.providers;
}

export function lintTerraform(a: TerraformAnalysis, index: TextIndex, folder: FolderFacts): Finding[] {
  const model = a.model ? { ...a.model, providers: datadogProviders(a.model, folder.datadogLocalNames) } : EMPTY_MODEL;
  const ctx = new TfRuleContext(model, index, folder);
  for (const p of a.syntax) ctx.report('tf/hcl-syntax', p.span, `HCL syntax: ${p.message}`);
  if (a.model) {
    runTerraformRules(ctx);
    // The Agent containers of `aws_ecs_task_definition` resources: the same agent/* judgments as in any other form.
    judgeAgentEnv(terraformAgentEnv(a.model), index, { add: (f) => ctx.findings.push(f) });
  }
  if (a.lock) lockFileRules(ctx, a.lock);
  return ctx.findings.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
}
