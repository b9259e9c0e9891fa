// The readers of Agents configured by environment, one per form the content
// sniff names (discover.ts), and the one entry point that parses a file once
// (YAML; JSON is YAML too) and hands each of its documents to the readers
// the sniff named. A reader decides per document whether it is one of its
// own and returns nothing otherwise; what they find is put together.

import type { Document } from 'yaml';
import { parseAgentYaml } from '../agent/lint';
import { resetAliasBudget, toValue, type YValue } from '../agent/yamlTree';
import { sniffAgentEnv, type AgentEnvHint } from './discover';
import { readHelmValues } from './helm';
import { readKubernetes } from './kubernetes';
import { readCompose } from './compose';
import { readEcsTaskDefinitions } from './ecs';
import { readDatadogAgent } from './operator';
import { emptyAgentEnvFile, type AgentEnvFile, type KeyRef, type LiteralValue } from './settings';

/** A reader: one document of the file, converted once for all of them (documentRoot), and the file's text. */
export type AgentEnvReader = (root: YValue, text: string) => AgentEnvFile;

/** The reader of each form (forms without one yet are skipped). */
export const READERS: Partial<Record<AgentEnvHint, AgentEnvReader>> = {
  kubernetes: readKubernetes,
  compose: readCompose,
  ecs: readEcsTaskDefinitions,
  helm: readHelmValues,
  operator: readDatadogAgent,
};

/**
 * What a file says about Agents configured by environment: empty when the
 * sniff rejects it. `docs`: the file's documents, when the caller parsed it
 * already. Never throws on input.
 */
export function readAgentEnv(text: string, docs?: readonly Document[]): AgentEnvFile {
  const hints = sniffAgentEnv(text);
  const out = emptyAgentEnvFile();
  if (hints.length === 0) return out;
  const readers = hints.map((h) => READERS[h]).filter((r): r is AgentEnvReader => !!r);
  if (readers.length === 0) return out;
  for (const doc of docs ?? parseAgentYaml(text)) {
    // One conversion per document, whatever number of readers the sniff named (a DatadogAgent is a Kubernetes object too).
    const root = documentRoot(doc);
    if (!root) continue;
    for (const read of readers) {
      const found = read(root, text);
      out.workloads.push(...found.workloads);
      out.serviceAccounts.push(...found.serviceAccounts);
      if (found.keyValues) (out.keyValues ??= []).push(...found.keyValues);
    }
  }
  if (out.keyValues) resolveKeyRefs(out);
  return out;
}

/**
 * A document as the readers see it (aliases followed, merge keys expanded),
 * or undefined when it is nested too deeply to convert: the conversion
 * recurses per level, and thousands of levels are no configuration.
 */
export function documentRoot(doc: Document): YValue | undefined {
  resetAliasBudget(doc);
  try {
    return toValue(doc.contents, doc);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * A value from a Secret or ConfigMap key that the same file states is that
 * literal (findings land on the key's value there). A reference that several
 * declarations could answer (another namespace, or none said) stays unknown.
 */
function resolveKeyRefs(file: AgentEnvFile): void {
  const byKey = new Map<string, { ref: KeyRef; value: LiteralValue }[]>();
  for (const kv of file.keyValues ?? []) {
    const id = `${kv.ref.kind}\u0000${kv.ref.name}\u0000${kv.ref.key}`;
    const list = byKey.get(id);
    if (list) list.push(kv);
    else byKey.set(id, [kv]);
  }
  for (const w of file.workloads) {
    for (const s of w.settings) {
      const ref = s.value.kind === 'unknown' ? s.value.ref : undefined;
      if (!ref) continue;
      const candidates = (byKey.get(`${ref.kind}\u0000${ref.name}\u0000${ref.key}`) ?? []).filter((kv) => kv.ref.namespace === undefined || ref.namespace === undefined || kv.ref.namespace === ref.namespace);
      if (candidates.length === 1) s.value = candidates[0].value;
    }
  }
}
