// Shared by the real-VS-Code tests.

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

/** Polls `probe` until it returns something other than undefined. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000, everyMs = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function workspaceUri(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, ...segments);
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Which of the extension's bundles (dist/*.js) this extension host has loaded, e.g. ['extension.js']. */
export function loadedBundles(ext: vscode.Extension<unknown>): string[] {
  const dist = path.join(ext.extensionPath, 'dist') + path.sep;
  return Object.keys(require.cache)
    .filter((f) => f.startsWith(dist))
    .map((f) => f.slice(dist.length))
    .sort();
}

/**
 * The pids of this extension's language servers (`node <extension>/dist/server.js`) running on this
 * machine, or undefined where there is no /proc to look in.
 */
export function languageServerPids(ext: vscode.Extension<unknown>): number[] | undefined {
  if (!fs.existsSync('/proc/self/cmdline')) return undefined;
  const server = path.join(ext.extensionPath, 'dist', 'server.js');
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(server)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/**
 * The emulator's control endpoints (`/__emulator/faults`, `state`, `reset`) at
 * the API the runner started (E2E_EMULATOR_API_URL).
 */
export async function emulatorControl(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${process.env.E2E_EMULATOR_API_URL ?? ''}/__emulator/${path}`, { method, ...(body ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}) });
  if (!res.ok) throw new Error(`emulator ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/**
 * A diagnostic's code link as the client leaves it: the command that previews the rule's page
 * (client/src/ruleDocLinks.ts), with the page's file URI, which must exist in the installed extension.
 */
export function ruleDocLink(d: vscode.Diagnostic, ext: vscode.Extension<unknown>): { command: string; page: vscode.Uri } {
  if (typeof d.code !== 'object') throw new Error(`${codeOf(d)} has no code link`);
  const target = d.code.target;
  if (target.scheme !== 'command') throw new Error(`the code link of ${codeOf(d)} is ${target.toString(true)}, not a command`);
  const [page] = JSON.parse(target.query) as string[];
  const uri = vscode.Uri.parse(page);
  const expected = path.join(ext.extensionPath, 'docs', 'rules', `${codeOf(d).replace('/', '-')}.md`);
  if (uri.fsPath !== expected) throw new Error(`the code link of ${codeOf(d)} opens ${uri.fsPath}, not ${expected}`);
  if (!fs.existsSync(uri.fsPath)) throw new Error(`${uri.fsPath} does not exist`);
  return { command: target.path, page: uri };
}
