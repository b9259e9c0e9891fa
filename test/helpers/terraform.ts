// Shared by the Terraform tests and the benchmark: the loaded tree-sitter
// runtime, the shared corpus of real .tf files, a generator of large
// realistic .tf files, a structural dump of a tree for comparisons, and a
// counter of the work done reading trees (for linearity checks).

import * as fs from 'fs';
import * as path from 'path';
import type { Node } from 'web-tree-sitter';
import { loadHclLanguage, type LoadedHclRuntime } from '../../server/src/shared/treeSitter';
import { parseHcl, type HclRuntime, type HclTree } from '../../server/src/service/terraform/hcl';
import { Rng } from './corpus';
import { SHARED_DIR } from './markers';

export function runtime(): Promise<LoadedHclRuntime> {
  return loadHclLanguage();
}

/** Parses, hands the tree to `fn`, and frees it whatever happens. */
export async function withTree<T>(text: string, fn: (tree: HclTree) => T): Promise<T> {
  const tree = parseHcl(await runtime(), text);
  try {
    return fn(tree);
  } finally {
    tree.delete();
  }
}

/** ../shared/corpus/tf/real, or undefined when the shared directory is absent (a fresh clone). */
export const TF_CORPUS_DIR: string | undefined = (() => {
  const dir = path.join(SHARED_DIR, 'corpus', 'tf', 'real');
  return fs.existsSync(dir) ? dir : undefined;
})();

export const NO_TF_CORPUS_MESSAGE = `the shared corpus is absent (${path.join(SHARED_DIR, 'corpus', 'tf', 'real')}); clone it beside this checkout to run this test`;

/** File names of the real Terraform corpus (*.tf and *.terraform.lock.hcl), sorted; [] without it. */
export function tfCorpusNames(): string[] {
  if (!TF_CORPUS_DIR) return [];
  return fs
    .readdirSync(TF_CORPUS_DIR)
    .filter((f) => f.endsWith('.tf') || f.endsWith('.lock.hcl'))
    .sort();
}

export function readTfCorpus(name: string): string {
  return fs.readFileSync(path.join(TF_CORPUS_DIR!, name), 'utf8');
}

/**
 * A structural dump of a tree: every node's type, range and missing/error
 * flags, one per line. Two parses of the same text compare equal when this does.
 */
export function dumpTree(root: Node): string {
  const out: string[] = [];
  const cursor = root.walk();
  try {
    let depth = 0;
    let enter = true;
    for (;;) {
      if (enter) {
        out.push(`${' '.repeat(depth)}${cursor.nodeType}${cursor.nodeIsMissing ? '!' : ''} ${cursor.startIndex}-${cursor.endIndex} ${cursor.startPosition.row}:${cursor.startPosition.column}`);
        if (cursor.gotoFirstChild()) {
          depth++;
          continue;
        }
      }
      if (cursor.gotoNextSibling()) {
        enter = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      depth--;
      enter = false;
    }
  } finally {
    cursor.delete();
  }
  return out.join('\n');
}

/** The Node prototype of each runtime's trees, by its grammar (a runtime and its countingRuntime share one). */
const nodePrototypes = new WeakMap<object, Record<string, unknown>>();

/**
 * The prototype of the nodes of `rt`'s trees. Each runtime is an evaluation
 * of web-tree-sitter of its own (see createHclRuntime), with a Node class of
 * its own: the class this file imports is none of them.
 */
function nodePrototypeOf(rt: HclRuntime): Record<string, unknown> {
  let proto = nodePrototypes.get(rt.language);
  if (!proto) {
    const tree = parseHcl(rt, 'a = 1\n');
    try {
      proto = Object.getPrototypeOf(tree.root) as Record<string, unknown>;
    } finally {
      tree.delete();
    }
    nodePrototypes.set(rt.language, proto);
  }
  return proto;
}

/**
 * Runs `fn` and counts the calls it makes to the Node methods and getters
 * (children, type, parent, …) of the trees of `rt`, the runtime `fn` parses
 * with: the work of reading a tree, which does not depend on the machine's
 * speed. Linearity is shown by comparing the count at two sizes, never by
 * timing.
 */
export function countNodeCalls<T>(rt: HclRuntime, fn: () => T): { result: T; calls: number } {
  const proto = nodePrototypeOf(rt);
  let calls = 0;
  const saved: [string, PropertyDescriptor][] = [];
  for (const key of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (key === 'constructor' || !d || !d.configurable) continue;
    if (d.get) {
      const get = d.get;
      saved.push([key, d]);
      Object.defineProperty(proto, key, { ...d, get(this: unknown) { calls++; return get.call(this); } });
    } else if (typeof d.value === 'function') {
      const f = d.value as (...args: unknown[]) => unknown;
      saved.push([key, d]);
      Object.defineProperty(proto, key, { ...d, value(this: unknown, ...args: unknown[]) { calls++; return f.apply(this, args); } });
    }
  }
  try {
    return { result: fn(), calls };
  } finally {
    for (const [key, d] of saved) Object.defineProperty(proto, key, d);
  }
}

// ---------------------------------------------------------------------------
// A large, realistic Terraform file for the benchmark.

export const ORG_UUID = '3c7b2a10-4d5e-4f60-8a9b-0c1d2e3f4a5b';

/**
 * About `lines` lines of Terraform: a terraform block with required_providers,
 * two datadog provider blocks (one aliased, with cloud auth), WIF mappings,
 * monitors with heredocs and templates, variables, locals and comments of
 * every style, some non-ASCII.
 */
export function generateTerraform(lines: number, seed = 1): string {
  const rng = new Rng(seed);
  const out: string[] = [
    '# Generated Terraform configuration — données de test',
    'terraform {',
    '  required_version = ">= 1.5.0"',
    '  required_providers {',
    '    aws = {',
    '      source  = "hashicorp/aws"',
    '      version = "~> 5.0"',
    '    }',
    '    datadog = {',
    '      source  = "DataDog/datadog"',
    '      version = ">= 3.70.0"',
    '    }',
    '  }',
    '}',
    '',
    'provider "datadog" {',
    '  cloud_provider_type   = "aws"',
    '  cloud_provider_region = "us-east-1"',
    `  org_uuid              = "${ORG_UUID}"`,
    '}',
    '',
    'provider "datadog" {',
    '  alias   = "eu"',
    '  api_url = "https://api.datadoghq.eu/"',
    '  api_key = var.datadog_api_key // from the vault',
    '  app_key = var.datadog_app_key',
    '}',
    '',
  ];
  let n = 0;
  while (out.length < lines) {
    const kind = rng.int(6);
    n++;
    if (kind === 0) {
      out.push(
        `resource "datadog_monitor" "m${n}" {`,
        `  name    = "Monitor ${n} – ${rng.pick(['CPU', 'mémoire', 'disk', 'latency 🚀'])}"`,
        '  type    = "metric alert"',
        `  query   = "avg(last_5m):avg:system.cpu.user{env:\${var.env}} > ${rng.between(50, 99)}"`,
        '  message = <<-EOT',
        `    Monitor ${n} triggered on \${var.env}.`,
        '    Notify: @ops',
        '  EOT',
        '  monitor_thresholds {',
        `    critical = ${rng.between(50, 99)}`,
        `    warning  = ${rng.between(10, 49)}.5`,
        '  }',
        `  tags = ["team:t${rng.int(20)}", "env:\${var.env}"]`,
        '}',
        '',
      );
    } else if (kind === 1) {
      out.push(
        `resource "datadog_aws_wif_intake_mapping" "agent_${n}" {`,
        `  arn_pattern = "arn:aws:sts::\${data.aws_caller_identity.current.account_id}:assumed-role/role-${n}/*"`,
        '}',
        '',
        `resource "datadog_aws_wif_identity_mapping" "runner_${n}" {`,
        `  account_identifier = "runner-${n}@example.com"`,
        `  arn_pattern        = "arn:aws:sts::123456789012:assumed-role/runner-${n}/*"`,
        '}',
        '',
      );
    } else if (kind === 2) {
      out.push(`variable "v${n}" {`, '  type        = string', `  description = "Variable ${n}"`, `  default     = ${rng.pick(['null', 'true', '42', '"x"', '[]', '{}'])}`, '}', '');
    } else if (kind === 3) {
      out.push('locals {', `  l${n}_a = var.v${n} != null ? upper(var.v${n}) : "none"`, `  l${n}_b = [for s in var.list : "\${s}-${n}" if s != ""]`, `  l${n}_c = { for k, v in var.map : k => v * 2 }`, '}', '');
    } else if (kind === 4) {
      out.push('/*', ` * Block comment ${n}`, ' * with provider "datadog" { inside } — not a block', ' */', `# line comment ${n}`, `// another ${n}`, '');
    } else {
      out.push(`module "m${n}" {`, '  source  = "./modules/thing"', `  enabled = ${rng.chance(0.5)}`, `  name    = "thing-${n}"`, '  depends_on = [datadog_monitor.m1]', '}', '');
    }
  }
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------
// Runtimes that fail, and runtimes that count.

/**
 * A string left open on an endless run of `${`: not binary to the input
 * guard, and hostile to the parser (error recovery keeps ~2 KB of wasm
 * memory for each `${`). 50,000 of them (100 KB) want ~96 MB: a runtime given
 * 64 MiB runs out of memory on it (an abort, for real).
 */
export function hostileHcl(interpolations = 50_000): string {
  return 'a = "' + '${'.repeat(interpolations);
}

/**
 * The same runtime, with every text its parser is given recorded in `parsed`,
 * and in `incremental` those parsed from a previous tree (white box: what was
 * parsed, and how).
 */
export function countingRuntime(rt: HclRuntime): { runtime: HclRuntime; parsed: string[]; incremental: string[] } {
  const parsed: string[] = [];
  const incremental: string[] = [];
  const Base = rt.Parser;
  class Counting extends Base {
    override parse(...args: Parameters<InstanceType<typeof Base>['parse']>) {
      if (typeof args[0] === 'string') {
        parsed.push(args[0]);
        if (args[1]) incremental.push(args[0]);
      }
      return super.parse(...args);
    }
  }
  return { runtime: { ...rt, Parser: Counting }, parsed, incremental };
}

/**
 * The trees of `rt` not yet deleted (parses and copies): the wasm memory their
 * owners hold, as a count. Patches the Tree class of `rt`, which every runtime
 * has of its own (see createHclRuntime): give it a runtime no other test uses.
 */
export function trackTrees(rt: HclRuntime): { runtime: HclRuntime; live: () => number } {
  const alive = new Set<object>();
  const Base = rt.Parser;
  class Tracking extends Base {
    override parse(...args: Parameters<InstanceType<typeof Base>['parse']>) {
      const tree = super.parse(...args);
      if (tree) alive.add(tree);
      return tree;
    }
  }
  const probe = new Base();
  probe.setLanguage(rt.language);
  const sample = probe.parse('a = 1\n')!;
  const proto = Object.getPrototypeOf(sample) as { copy(): object; delete(): void };
  sample.delete();
  probe.delete();
  const { copy, delete: del } = proto;
  proto.copy = function (this: object) {
    const c = copy.call(this);
    alive.add(c);
    return c;
  };
  proto.delete = function (this: object) {
    alive.delete(this);
    del.call(this);
  };
  return { runtime: { ...rt, Parser: Tracking }, live: () => alive.size };
}
