#!/usr/bin/env node
// Drives the language server from a second real LSP client, Neovim's built-in
// one (headless), so we know the server works outside VS Code too.
//
// As a module:
//   import { runNeovimLsp, NeovimNotInstalledError } from './run-nvim.mjs';
//   const r = await runNeovimLsp({
//     server: 'dist/server.js',            // started as `node dist/server.js --stdio`
//     file: 'test/e2e/workspace/datadog.yaml',
//     hovers: [{ line: 3, character: 4 }], // zero-based LSP positions
//     codeActions: true,                   // textDocument/codeAction for the first diagnostic
//   });
//   // r = { diagnostics, diagnosticsTimedOut, hovers: [{position, result, error, text}], codeActions, ... }
//   // Callers skip (rather than fail) on `err instanceof NeovimNotInstalledError`.
//
// From the command line (prints the JSON result):
//   node test/lsp/nvim/run-nvim.mjs --server dist/server.js --file path/datadog.yaml \
//        [--hover 3:4 ...] [--code-actions] [--timeout 20000] [--out result.json]
//   node test/lsp/nvim/run-nvim.mjs job.json     # same options as the module, as JSON
//   NVIM_LSP_JOB='{"server":...}' node test/lsp/nvim/run-nvim.mjs
// Exit codes: 0 result written, 1 error, 3 Neovim not installed (run .ci/setup-tools.sh).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLIENT_LUA = path.join(HERE, 'client.lua');
const MIN_NVIM = [0, 7]; // first version with everything client.lua uses

/** Thrown when no usable `nvim` is on PATH: callers should skip, not fail. */
export class NeovimNotInstalledError extends Error {
  constructor(detail) {
    super(`neovim not installed (${detail}); install it with: bash .ci/setup-tools.sh (or apt-get install neovim)`);
    this.name = 'NeovimNotInstalledError';
    this.code = 'NVIM_NOT_INSTALLED';
  }
}

/** Returns Neovim's version as [major, minor, patch], or throws NeovimNotInstalledError. */
export function neovimVersion(nvim = process.env.NVIM_BIN || 'nvim') {
  const probe = spawnSync(nvim, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) throw new NeovimNotInstalledError(probe.error.code === 'ENOENT' ? `no ${nvim} on PATH` : probe.error.message);
  const m = /NVIM v(\d+)\.(\d+)\.(\d+)/.exec(probe.stdout || '');
  if (!m) throw new NeovimNotInstalledError(`unrecognised \`${nvim} --version\` output`);
  const v = m.slice(1).map(Number);
  if (v[0] < MIN_NVIM[0] || (v[0] === MIN_NVIM[0] && v[1] < MIN_NVIM[1])) {
    throw new NeovimNotInstalledError(`found ${v.join('.')}, need ${MIN_NVIM.join('.')} or newer`);
  }
  return v;
}

/** Hover contents (MarkupContent | MarkedString | MarkedString[]) as plain text. */
function hoverText(hover) {
  if (!hover || !hover.contents) return '';
  const part = (c) => (typeof c === 'string' ? c : c.value ?? '');
  return Array.isArray(hover.contents) ? hover.contents.map(part).join('\n') : part(hover.contents);
}

/**
 * Runs one Neovim session against the language server.
 * @param {object} o
 * @param {string|string[]} o.server  server JS file (run with this Node and `--stdio`) or a full command line
 * @param {string} o.file             document to open
 * @param {Array<{line:number,character:number}>} [o.hovers]
 * @param {boolean} [o.codeActions]
 * @param {boolean} [o.codeLens]          textDocument/codeLens for the document, last
 * @param {number} [o.timeoutMs]          whole session (default 20000)
 * @param {number} [o.diagnosticsWaitMs]  wait for non-empty diagnostics (default: timeoutMs / 2)
 * @param {string} [o.root]           workspace root (default: the file's folder)
 * @param {object} [o.settings]       answers to workspace/configuration
 * @param {boolean} [o.keepTmp]       keep the temp folder (Neovim + LSP logs)
 */
export async function runNeovimLsp({
  server, file, hovers = [], codeActions = false, codeLens = false, timeoutMs = 20_000, diagnosticsWaitMs, root, settings, keepTmp = false,
}) {
  if (!server) throw new Error('runNeovimLsp: `server` is required');
  if (!file) throw new Error('runNeovimLsp: `file` is required');
  const nvim = process.env.NVIM_BIN || 'nvim';
  neovimVersion(nvim);

  const absFile = path.resolve(file);
  if (!fs.existsSync(absFile)) throw new Error(`runNeovimLsp: no such file ${absFile}`);
  const cmd = Array.isArray(server) ? server : [process.execPath, path.resolve(server), '--stdio'];
  if (!Array.isArray(server) && !fs.existsSync(cmd[1])) throw new Error(`runNeovimLsp: server ${cmd[1]} not found (npm run build?)`);

  // Neovim writes shada, logs and its LSP log under the XDG folders: keep all
  // of that in a temp folder so runs neither read nor litter the user's setup.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-nvim-'));
  const xdg = Object.fromEntries(['CONFIG', 'DATA', 'CACHE', 'STATE', 'RUNTIME'].map((k) => {
    const dir = path.join(tmp, k.toLowerCase());
    fs.mkdirSync(dir, { mode: 0o700 });
    return [`XDG_${k}_HOME`, dir];
  }));
  xdg.XDG_RUNTIME_DIR = xdg.XDG_RUNTIME_HOME;
  delete xdg.XDG_RUNTIME_HOME;

  const jobFile = path.join(tmp, 'job.json');
  const outFile = path.join(tmp, 'result.json');
  fs.writeFileSync(jobFile, JSON.stringify({
    cmd,
    file: absFile,
    root: path.resolve(root || path.dirname(absFile)),
    hovers: hovers.map(({ line, character }) => ({ line, character })),
    codeActions: !!codeActions,
    codeLens: !!codeLens,
    timeoutMs,
    diagnosticsWaitMs: diagnosticsWaitMs ?? Math.floor(timeoutMs / 2),
    settings,
    out: outFile,
  }));

  try {
    const { code, signal, stderr } = await new Promise((resolve, reject) => {
      // stdin is /dev/null: with a terminal or pipe there, Neovim would wait
      // for input or read it as a buffer.
      const child = spawn(nvim, ['--headless', '--clean', '-n', '-i', 'NONE', '-u', CLIENT_LUA], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, ...xdg, DD_WIF_NVIM_JOB: jobFile, NVIM_LOG_FILE: path.join(tmp, 'nvim.log') },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      // client.lua enforces timeoutMs itself; this is the backstop for a wedged editor.
      const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 10_000);
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        clearTimeout(killer);
        resolve({ code, signal, stderr });
      });
    });
    if (!fs.existsSync(outFile)) {
      throw new Error(`neovim exited (code ${code}, signal ${signal}) without a result; stderr:\n${stderr.trim()}`);
    }
    const result = JSON.parse(fs.readFileSync(outFile, 'utf8'));
    if (result.error) throw new Error(`neovim LSP session failed: ${result.error}`);
    // Lua cannot tell an empty list from an empty object: normalise.
    const list = (v) => (Array.isArray(v) ? v : v && typeof v === 'object' && Object.keys(v).length === 0 ? [] : v);
    result.diagnostics = list(result.diagnostics);
    result.hovers = list(result.hovers).map((h) => ({ ...h, text: hoverText(h.result) }));
    if (result.codeActions !== null) result.codeActions = list(result.codeActions);
    if (result.codeLenses !== undefined) result.codeLenses = list(result.codeLenses);
    return result;
  } finally {
    if (keepTmp) console.error(`[nvim] temp folder kept: ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// --- command line ------------------------------------------------------------

function parseArgs(argv) {
  if (argv.length === 1 && argv[0].endsWith('.json')) return JSON.parse(fs.readFileSync(argv[0], 'utf8'));
  if (argv.length === 0 && process.env.NVIM_LSP_JOB) return JSON.parse(process.env.NVIM_LSP_JOB);
  const job = { hovers: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--server') job.server = value();
    else if (a === '--file') job.file = value();
    else if (a === '--root') job.root = value();
    else if (a === '--hover') {
      const [line, character] = value().split(':').map(Number);
      job.hovers.push({ line, character });
    } else if (a === '--code-actions') job.codeActions = true;
    else if (a === '--timeout') job.timeoutMs = Number(value());
    else if (a === '--diagnostics-wait') job.diagnosticsWaitMs = Number(value());
    else if (a === '--out') job.out = value();
    else if (a === '--keep-tmp') job.keepTmp = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return job;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const job = parseArgs(process.argv.slice(2));
    const result = await runNeovimLsp(job);
    const json = JSON.stringify(result, null, 2);
    if (job.out) fs.writeFileSync(job.out, `${json}\n`);
    console.log(json);
  } catch (err) {
    console.error(`[nvim] ${err.message}`);
    process.exit(err instanceof NeovimNotInstalledError ? 3 : 1);
  }
}
