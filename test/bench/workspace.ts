// The bench's measure of #12 item 4: the whole workspace checked in the
// background, over real LSP (stdio). A generated workspace in a temp folder:
// DD_WIF_BENCH_WS_FILES (2,000) files of which DD_WIF_BENCH_WS_RELEVANT (100)
// are ours (datadog.yaml files, Terraform folders of two .tf files, Kubernetes
// manifests that set DD_* variables), the rest source files, docs and
// unrelated YAML/JSON (which the server must read to sniff). Measured:
//   scan:  initialize -> every file of ours published (the HCL parser's
//          load included), nothing opened;
//   edit:  while that scan runs, a datadog.yaml of the workspace is opened
//          and edited one character at a time, back to back; each edit timed
//          from its didChange to the publishDiagnostics of its version; the
//          same edits again once the scan is over, as the reference.
// It prints; it asserts nothing.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_NODE_FLAGS, serverEnvironment } from '../../server/src/shared/serverProcess';
import { LspClient } from '../lsp/jsonrpc-client';
import { OUR_SERVER, ROOT, agentDoc, sendEdit, type BenchDoc } from './lsp';

const FILES = Number(process.env.DD_WIF_BENCH_WS_FILES ?? 2_000);
const RELEVANT = Number(process.env.DD_WIF_BENCH_WS_RELEVANT ?? 100);
const PUBLISH = 'textDocument/publishDiagnostics';

const AGENT = (i: number) =>
  [`# service ${i}`, 'api_key: 0123456789abcdef0123456789abcdef', 'site: datadoghq.com', 'delegated_auth:', `  org_uuid: ${i % 3 === 0 ? 'not-a-uuid' : '11111111-2222-3333-4444-555555555555'}`, '  provider: aws', '  refresh_interval_mins: 60', '  aws:', '    region: us-east-1', 'logs_enabled: true', ''].join('\n');
const MAIN_TF = (i: number) =>
  [`provider "datadog" {`, '  cloud_provider_type   = "aws"', '  cloud_provider_region = "us-east-1"', `  org_uuid              = "${i % 4 === 0 ? 'not-a-uuid' : '11111111-2222-3333-4444-555555555555'}"`, '}', '', `resource "datadog_aws_wif_intake_mapping" "m${i}" {`, `  arn_pattern = "arn:aws:sts::123456789012:assumed-role/role-${i}/*"`, '}', ''].join('\n');
const VERSIONS_TF = ['terraform {', '  required_providers {', '    datadog = {', '      source  = "DataDog/datadog"', '      version = ">= 3.70.0"', '    }', '  }', '}', ''].join('\n');
const MANIFEST = (i: number) =>
  ['apiVersion: apps/v1', 'kind: DaemonSet', 'metadata:', `  name: datadog-agent-${i}`, 'spec:', '  template:', '    spec:', '      containers:', '        - name: agent', '          image: gcr.io/datadoghq/agent:7.78.0', '          env:', '            - name: DD_DELEGATED_AUTH_ORG_UUID', '              value: 11111111-2222-3333-4444-555555555555', ''].join('\n');
const SOURCE = (i: number) => `// module ${i}\nexport function f${i}(x: number): number {\n  return x * ${i};\n}\n`.repeat(20);
const UNRELATED_YAML = (i: number) => ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: app-${i}`, 'data:', ...Array.from({ length: 40 }, (_, k) => `  key${k}: value${k}`), ''].join('\n');
const UNRELATED_JSON = (i: number) => JSON.stringify({ name: `pkg-${i}`, version: '1.0.0', dependencies: Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`dep-${k}`, `^${k}.0.0`])) }, null, 2);

/** Writes the workspace; answers its folder, the files of ours (URIs) and the datadog.yaml to edit. */
function generate(): { dir: string; ours: Set<string>; edited: BenchDoc } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-bench-ws-'));
  const ours = new Set<string>();
  let written = 0;
  const write = (rel: string, text: string, mine: boolean) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    if (mine) ours.add(pathToFileURL(file).href);
    written++;
  };
  // Of ours: 40% Agent files, 40% Terraform (two files a folder), 20% manifests.
  const agents = Math.round(RELEVANT * 0.4);
  const tfFolders = Math.round((RELEVANT * 0.4) / 2);
  for (let i = 0; i < agents; i++) write(`services/svc-${i}/datadog.yaml`, AGENT(i), true);
  for (let i = 0; i < tfFolders; i++) {
    write(`infra/stack-${i}/main.tf`, MAIN_TF(i), true);
    write(`infra/stack-${i}/versions.tf`, VERSIONS_TF, true);
  }
  for (let i = 0; ours.size < RELEVANT; i++) write(`k8s/agent-${i}.yaml`, MANIFEST(i), true);
  // The rest: sources and docs, and unrelated YAML/JSON the server reads to sniff (a sixth of them).
  for (let i = 0; written < FILES; i++) {
    const pkg = `packages/p${i % 50}`;
    if (i % 6 === 0) write(`${pkg}/deploy/config-${i}.yaml`, UNRELATED_YAML(i), false);
    else if (i % 6 === 1) write(`${pkg}/data-${i}.json`, UNRELATED_JSON(i), false);
    else if (i % 6 === 2) write(`${pkg}/README-${i}.md`, `# Package ${i}\n\nNothing of ours here.\n`, false);
    else write(`${pkg}/src/m${i}.ts`, SOURCE(i), false);
  }
  const edited = agentDoc(path.join(dir, 'services', 'svc-0', 'datadog.yaml'), AGENT(0));
  return { dir, ours, edited };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[s.length >> 1] : (s[(s.length >> 1) - 1] + s[s.length >> 1]) / 2) : NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

export interface WorkspaceMeasure {
  files: number;
  relevant: number;
  scanMs: number;
  duringScan: number[];
  afterScan: number[];
}

export async function measureWorkspace(): Promise<WorkspaceMeasure> {
  const { dir, ours, edited } = generate();
  const client = LspClient.start(OUR_SERVER, { cwd: ROOT, timeoutMs: 300_000, nodeArgs: SERVER_NODE_FLAGS, env: serverEnvironment(process.env) });
  try {
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: [] } };
    client.onRequest('workspace/codeLens/refresh', () => null);
    const published = new Set<string>();
    let allPublished: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allPublished = resolve));
    let scanEnd = NaN;
    const t0 = performance.now();
    const watch = setInterval(() => {
      for (const p of client.received(PUBLISH) as { uri: string; version?: number }[]) if (p.version === undefined && ours.has(p.uri)) published.add(p.uri);
      if (published.size + 1 >= ours.size && !Number.isFinite(scanEnd)) {
        // Every file but the one opened (published with its version instead).
        scanEnd = performance.now() - t0;
        allPublished();
      }
    }, 2);
    const folder = pathToFileURL(dir).href;
    await client.initialize({
      rootUri: folder,
      workspaceFolders: [{ uri: folder, name: 'bench' }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: { synchronization: { dynamicRegistration: false, didSave: false }, publishDiagnostics: { versionSupport: true, dataSupport: true } },
      },
    });
    // The user opens a file and types while the scan runs.
    const open = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: edited.uri, languageId: 'yaml', version: 1, text: edited.text } });
    await client.waitForNotification(PUBLISH, (p: { uri: string; version?: number }) => p.uri === edited.uri && p.version === 1, { since: open });
    const duringScan: number[] = [];
    let version = 1;
    let n = 0;
    while (!Number.isFinite(scanEnd)) {
      const t = performance.now();
      await sendEdit(client, 'ours', edited, ++version, n++);
      if (!Number.isFinite(scanEnd)) duringScan.push(performance.now() - t);
    }
    await done;
    clearInterval(watch);
    const afterScan: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await sendEdit(client, 'ours', edited, ++version, n++);
      afterScan.push(performance.now() - t);
    }
    return { files: FILES, relevant: ours.size, scanMs: scanEnd, duringScan, afterScan };
  } finally {
    await client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the measure; answers it for the table of targets. */
export async function mainWorkspace(): Promise<WorkspaceMeasure> {
  const m = await measureWorkspace();
  console.log(`\n#12: the whole workspace in the background, ${m.files.toLocaleString('en-US')} files of which ${m.relevant} are ours, over LSP (stdio)`);
  console.log(`  initialize -> every file of ours published: ${ms(m.scanMs)} (target <= 3,000 ms)`);
  console.log(
    `  edit -> diagnostics of the open datadog.yaml while the scan runs: median ${ms(median(m.duringScan))}, max ${ms(Math.max(...m.duringScan))} over ${m.duringScan.length} edits; ` +
      `after the scan: median ${ms(median(m.afterScan))}, max ${ms(Math.max(...m.afterScan))}`,
  );
  return m;
}

if (require.main === module) {
  void mainWorkspace().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
