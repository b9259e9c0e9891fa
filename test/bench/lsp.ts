// The bench's measures over real LSP (stdio), with the tests' JSON-RPC client:
// this server (dist/server.js) beside yaml-language-server, the anchor of #11,
// run as it ships (its own 200 ms validation delay included) and configured
// with this project's JSON Schema for datadog.yaml.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_NODE_FLAGS, serverEnvironment } from '../../server/src/shared/serverProcess';
import { LspClient, delay } from '../lsp/jsonrpc-client';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const OUR_SERVER = path.join(ROOT, 'dist', 'server.js');
export const YLS_BIN = path.join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const AGENT_SCHEMA = path.join(ROOT, 'schemas', 'datadog-agent-delegated-auth.schema.json');
const PUBLISH = 'textDocument/publishDiagnostics';
/** A pause after opening documents, before edits are timed or counted. */
const SETTLE_MS = 500;

export type ServerName = 'ours' | 'yls';

export interface BenchDoc {
  uri: string;
  languageId: string;
  text: string;
  /** Where the one-character edit goes: a character that `editChar(n)` replaces, the text's length unchanged. */
  at: { line: number; character: number };
  editChar: (n: number) => string;
}

interface PublishParams {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

/** A folder of its own for a run's documents (nothing is written there: documents travel with their text). */
export function benchFolder(): string {
  return path.join(os.tmpdir(), `dd-wif-bench-${process.pid}`);
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** An Agent file whose edit changes the digit of `refresh_interval_mins: 60` (inside delegated_auth), 1 to 9 in turn. */
export function agentDoc(file: string, text: string): BenchDoc {
  const key = 'refresh_interval_mins: ';
  const at = text.indexOf(key + '60');
  if (at < 0) throw new Error(`${file}: no "refresh_interval_mins: 60" to edit`);
  return { uri: pathToFileURL(file).href, languageId: 'yaml', text, at: positionAt(text, at + key.length), editChar: (n) => String((n % 9) + 1) };
}

/** A Terraform file whose edit changes the letter after the first `role-`, a to z in turn. */
export function terraformDoc(file: string, text: string): BenchDoc {
  const at = text.indexOf('role-');
  if (at < 0) throw new Error(`${file}: no "role-" to edit`);
  return { uri: pathToFileURL(file).href, languageId: 'terraform', text, at: positionAt(text, at + 'role-'.length), editChar: (n) => String.fromCharCode(97 + (n % 26)) };
}

/**
 * Starts a server and completes the handshake; settings come through
 * workspace/configuration. Ours runs with the node options and environment
 * the extension gives it; yaml-language-server with none of them.
 */
export async function startServer(name: ServerName, folder: string): Promise<LspClient> {
  const bin = name === 'ours' ? OUR_SERVER : YLS_BIN;
  const client = LspClient.start(bin, { cwd: ROOT, timeoutMs: 300_000, ...(name === 'ours' ? { nodeArgs: SERVER_NODE_FLAGS, env: serverEnvironment(process.env) } : {}) });
  const folderUri = pathToFileURL(folder).href;
  if (name === 'ours') client.settings = { datadogWif: { severity: {}, agentConfigFiles: [] } };
  else {
    const yaml = {
      validate: true,
      hover: true,
      completion: true,
      format: { enable: false },
      // No download of the SchemaStore catalogue: only our schema, read from disk.
      schemaStore: { enable: false },
      schemas: { [pathToFileURL(AGENT_SCHEMA).href]: ['**/datadog.yaml', '**/datadog.yml'] },
    };
    client.settings = { yaml, http: {}, '[yaml]': {}, editor: {}, files: {} };
  }
  await client.initialize({
    rootUri: folderUri,
    workspaceFolders: [{ uri: folderUri, name: 'bench' }],
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: false },
      textDocument: {
        synchronization: { dynamicRegistration: false, didSave: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      },
    },
  });
  // yaml-language-server reads its settings when told they changed (it then pulls them).
  if (name === 'yls') client.notify('workspace/didChangeConfiguration', { settings: client.settings });
  return client;
}

/** The publishDiagnostics for `uri` after `mark`: for this server, the one for `version`; yaml-language-server sends no version, so its next one. */
function published(client: LspClient, name: ServerName, uri: string, version: number, mark: number): Promise<PublishParams> {
  return client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && (name === 'yls' || p.version === version), { since: mark });
}

/** Opens `doc` (version 1) and waits for its first diagnostics. */
export async function openDoc(client: LspClient, name: ServerName, doc: BenchDoc): Promise<PublishParams> {
  const mark = client.mark();
  client.notify('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: doc.languageId, version: 1, text: doc.text } });
  return published(client, name, doc.uri, 1, mark);
}

/** Sends the n-th one-character edit of `doc` as `version`; resolves with its diagnostics. */
export function sendEdit(client: LspClient, name: ServerName, doc: BenchDoc, version: number, n: number): Promise<PublishParams> {
  const mark = client.mark();
  const range = { start: doc.at, end: { line: doc.at.line, character: doc.at.character + 1 } };
  client.notify('textDocument/didChange', { textDocument: { uri: doc.uri, version }, contentChanges: [{ range, text: doc.editChar(n) }] });
  return published(client, name, doc.uri, version, mark);
}

export interface EditLatency {
  /** ms from sending each didChange to receiving the diagnostics of that version. */
  samples: number[];
  /** Diagnostics in the last list (a sanity check that the server judged the file). */
  diagnostics: number;
}

/**
 * Edit -> diagnostics: `edits` single-character edits of `doc`, one at a time,
 * each timed from writing its didChange to reading its publishDiagnostics,
 * after `warmup` untimed ones; `gapMs` between an answer and the next edit (a
 * typist's pause; 0: back to back).
 */
export async function editLatency(name: ServerName, doc: BenchDoc, edits: number, warmup: number, gapMs: number): Promise<EditLatency> {
  const client = await startServer(name, benchFolder());
  try {
    let last = await openDoc(client, name, doc);
    // A settings pull still under way may re-check the file once more: let it pass before timing.
    await delay(SETTLE_MS);
    const samples: number[] = [];
    let version = 1;
    for (let i = 0; i < warmup + edits; i++) {
      version++;
      const t0 = performance.now();
      last = await sendEdit(client, name, doc, version, i);
      const ms = performance.now() - t0;
      if (i >= warmup) samples.push(ms);
      if (gapMs > 0) await delay(gapMs);
    }
    return { samples, diagnostics: last.diagnostics.length };
  } finally {
    await client.dispose();
  }
}

/** Resident and peak memory of a process, in MB (/proc/<pid>/status: VmRSS, VmHWM). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * Memory with `docs` open after `edits` edits: rounds in which each document
 * gets one edit, then the round's diagnostics are awaited (so every edit is
 * checked, none coalesced away by a debounce).
 */
export async function memoryAfterEdits(name: ServerName, docs: BenchDoc[], edits: number): Promise<{ rss: number; peak: number; edits: number }> {
  const client = await startServer(name, benchFolder());
  try {
    for (const doc of docs) await openDoc(client, name, doc);
    await delay(SETTLE_MS);
    const versions = docs.map(() => 1);
    let sent = 0;
    for (let round = 0; sent < edits; round++) {
      const batch: Promise<PublishParams>[] = [];
      for (let d = 0; d < docs.length && sent < edits; d++, sent++) batch.push(sendEdit(client, name, docs[d], ++versions[d], round));
      await Promise.all(batch);
    }
    return { ...memoryOf(client.child.pid!), edits: sent };
  } finally {
    await client.dispose();
  }
}

/** Spawn -> initialize -> didOpen -> first diagnostics, in ms. */
export async function coldStart(name: ServerName, doc: BenchDoc): Promise<number> {
  const t0 = performance.now();
  const client = await startServer(name, benchFolder());
  try {
    await openDoc(client, name, doc);
    return performance.now() - t0;
  } finally {
    await client.dispose();
  }
}
