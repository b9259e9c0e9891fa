// How much work the agent lint does on a text, counted rather than timed, so
// a test can show that work grows with the text and no faster (a timing would
// flake on a busy machine; a count does not). What is counted:
//   - every read of an item of the parsed YAML's maps and lists while the
//     model is built (aliases resolved, merge keys expanded, sections found);
//   - every read of an item of the model's arrays (map entries, list items,
//     sections, duplicates, directives, ARN patterns) while the rules run;
//   - every finding the rules report, before the cap.
// A rule that rescans a map per key, or builds a set per key, reads the map n
// times n; a rule that reports every pair of n things reports n times n.
// Parsing is not counted: it is the yaml library's.

import { isMap, isPair, isSeq, type Document } from 'yaml';
import type { Finding } from '../../server/src/service';
import { TextIndex } from '../../server/src/service/common/textIndex';
import { FindingCollector } from '../../server/src/service/common/filter';
import { judgeAgentModel, parseAgentYaml } from '../../server/src/service/agent/lint';
import { extractAgentModel, type AgentModel } from '../../server/src/service/agent/model';

export interface AgentWork {
  treeReads: number;
  modelReads: number;
  findings: number;
  total: number;
  /** The longest message reported: a message quoting a megabyte-long key costs a megabyte per finding. */
  longestMessage: number;
}

/** An array whose element reads add one to `counter.n` each. */
function counting<T>(array: T[], counter: { n: number }): T[] {
  return new Proxy(array, {
    get(target, p, receiver) {
      if (typeof p === 'string' && p.length > 0 && p.charCodeAt(0) >= 48 && p.charCodeAt(0) <= 57) counter.n++;
      return Reflect.get(target, p, receiver);
    },
  });
}

/** Replaces the items of every map and list of a parsed document with counting arrays. */
function meterTree(doc: Document, counter: { n: number }): void {
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isPair(node)) stack.push(node.key, node.value);
    else if (isMap(node) || isSeq(node)) {
      // One at a time: a spread of a map of 140,000 items overflows the stack.
      for (const item of node.items) stack.push(item);
      (node as { items: unknown[] }).items = counting(node.items as unknown[], counter);
    }
  }
}

/** Replaces every array of the model (deeply, shared objects once) with counting arrays. */
function meterModel(model: AgentModel, counter: { n: number }): void {
  const seen = new Set<object>();
  const stack: object[] = [model];
  while (stack.length) {
    const o = stack.pop()!;
    if (seen.has(o)) continue;
    seen.add(o);
    for (const [k, v] of Object.entries(o)) {
      if (Array.isArray(v)) {
        for (const item of v) if (item && typeof item === 'object') stack.push(item);
        (o as Record<string, unknown>)[k] = counting(v, counter);
      } else if (v && typeof v === 'object') stack.push(v);
    }
  }
}

/** Lints `text` as a datadog.yaml (no suppressions, no overrides) and says how much work that took. */
export function measureAgentLint(text: string): AgentWork & { kept: Finding[] } {
  const index = new TextIndex(text);
  const tree = { n: 0 };
  const model = { n: 0 };
  let findings = 0;
  let longestMessage = 0;
  const collector = new FindingCollector();
  const sink = {
    add(f: Finding) {
      findings++;
      longestMessage = Math.max(longestMessage, f.message.length);
      collector.add(f);
    },
  };
  for (const doc of parseAgentYaml(text)) {
    meterTree(doc, tree);
    const m = extractAgentModel(doc, text);
    meterModel(m, model);
    judgeAgentModel(m, doc, index, sink);
  }
  return { treeReads: tree.n, modelReads: model.n, findings, total: tree.n + model.n + findings, longestMessage, kept: collector.findings() };
}
