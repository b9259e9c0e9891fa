// The language server under a second real LSP client: headless Neovim (0.7+),
// driven by test/lsp/nvim/run-nvim.mjs. Skipped, with a message, when nvim is
// not installed (bash .ci/setup-tools.sh installs it) or the bundle is missing.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(__dirname, '..', '..', '..');
const serverJs = path.join(root, 'dist', 'server.js');
const runner = path.join(root, 'test', 'lsp', 'nvim', 'run-nvim.mjs');
const fixtures = path.join(root, 'test', 'fixtures', 'lsp');

interface Pos {
  line: number;
  character: number;
}
interface NvimDiagnostic {
  range: { start: Pos; end: Pos };
  severity?: number;
  code?: string;
  source?: string;
  message: string;
  codeDescription?: { href: string };
}
interface NvimResult {
  diagnostics: NvimDiagnostic[];
  diagnosticsTimedOut: boolean;
  hovers: { position: Pos; result: unknown; error: unknown; text: string }[];
  codeActions: { title: string; kind?: string; isPreferred?: boolean; edit?: { changes?: Record<string, { range: { start: Pos; end: Pos }; newText: string }[]> } }[] | null;
  codeLenses?: { range: { start: Pos; end: Pos }; command?: { title: string; command: string; arguments?: unknown[] } }[];
  serverInfo?: { name?: string; version?: string };
  nvim: string;
  ms: number;
}
interface NvimModule {
  runNeovimLsp(o: { server: string; file: string; hovers?: Pos[]; codeActions?: boolean; codeLens?: boolean; timeoutMs?: number }): Promise<NvimResult>;
  neovimVersion(): number[];
  NeovimNotInstalledError: new (...args: unknown[]) => Error;
}

// tsc compiles `import()` to `require()` under CommonJS, which cannot load an
// ES module: keep a real dynamic import.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** Loads the runner and checks nvim, or says why the tests are skipped. */
async function setup(): Promise<{ nvim: NvimModule } | { skip: string }> {
  if (!fs.existsSync(serverJs)) return { skip: 'dist/server.js is missing: run `npm run build` first (Neovim tests skipped)' };
  if (!fs.existsSync(runner)) return { skip: 'test/lsp/nvim/run-nvim.mjs is missing (Neovim tests skipped)' };
  const nvim = (await importEsm(pathToFileURL(runner).href)) as NvimModule;
  try {
    nvim.neovimVersion();
  } catch (err) {
    if (isNotInstalled(nvim, err)) return { skip: `Neovim tests skipped: ${(err as Error).message}` };
    throw err;
  }
  return { nvim };
}

function isNotInstalled(nvim: NvimModule, err: unknown): boolean {
  return err instanceof nvim.NeovimNotInstalledError || (err as { code?: string })?.code === 'NVIM_NOT_INSTALLED';
}

/** Runs Neovim, turning "not installed" into a skip of the calling test. */
async function run(t: { skip(message?: string): void }, nvim: NvimModule, options: Parameters<NvimModule['runNeovimLsp']>[0]): Promise<NvimResult | undefined> {
  try {
    return await nvim.runNeovimLsp(options);
  } catch (err) {
    if (isNotInstalled(nvim, err)) {
      t.skip(`Neovim tests skipped: ${(err as Error).message}`);
      return undefined;
    }
    throw err;
  }
}

describe('language server under Neovim (headless, built-in LSP client)', async () => {
  const ready = await setup();
  const skip = 'skip' in ready ? ready.skip : false;

  test('a bad org_uuid: the diagnostic with its code and exact range, and markdown hover on the key', { skip, timeout: 60_000 }, async (t) => {
    const { nvim } = ready as { nvim: NvimModule };
    const file = path.join(fixtures, 'datadog.yaml');
    const r = await run(t, nvim, {
      server: serverJs,
      file,
      hovers: [
        { line: 3, character: 4 }, // `org_uuid` (key)
        { line: 1, character: 2 }, // `api_key`: not ours to explain
      ],
      codeActions: true,
      timeoutMs: 30_000,
    });
    if (!r) return;
    assert.equal(r.diagnosticsTimedOut, false, 'diagnostics arrived');
    assert.equal(r.serverInfo?.name, 'datadog-wif-language-server');

    const d = r.diagnostics.find((x) => x.code === 'agent/org-uuid-invalid');
    assert.ok(d, `agent/org-uuid-invalid among ${JSON.stringify(r.diagnostics.map((x) => x.code))}`);
    assert.deepEqual(d.range, { start: { line: 3, character: 12 }, end: { line: 3, character: 22 } });
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'datadog-wif');
    assert.match(d.message, /not-a-uuid/);
    // The rule's page shipped beside the server (docs/rules/), as in VS Code.
    assert.equal(d.codeDescription?.href, pathToFileURL(path.join(root, 'docs', 'rules', 'agent-org-uuid-invalid.md')).href);
    assert.ok(fs.existsSync(fileURLToPath(d.codeDescription.href)));
    const u = r.diagnostics.find((x) => x.code === 'agent/unknown-key');
    assert.deepEqual(u?.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 9 } });

    assert.equal(r.hovers.length, 2);
    const [onKey, onApiKey] = r.hovers;
    assert.equal(onKey.error, null);
    assert.equal((onKey.result as { contents?: { kind?: string } }).contents?.kind, 'markdown');
    assert.match(onKey.text, /delegated_auth\.org_uuid/);
    assert.match(onKey.text, /UUID of the Datadog organization/);
    assert.deepEqual((onKey.result as { range?: unknown }).range, { start: { line: 3, character: 2 }, end: { line: 3, character: 10 } });
    assert.equal(onApiKey.error, null);
    assert.equal(onApiKey.result, null);

    // The first diagnostic is the org_uuid one, which has no quick fix.
    assert.deepEqual(r.codeActions, []);
  });

  test('the unknown-key quick fix reaches Neovim as a quickfix WorkspaceEdit', { skip, timeout: 60_000 }, async (t) => {
    const { nvim } = ready as { nvim: NvimModule };
    const file = path.join(fixtures, 'nvim-quickfix', 'datadog.yaml');
    const r = await run(t, nvim, { server: serverJs, file, codeActions: true, timeoutMs: 30_000 });
    if (!r) return;
    assert.deepEqual(
      r.diagnostics.map((x) => x.code),
      ['agent/unknown-key'],
    );
    assert.ok(Array.isArray(r.codeActions) && r.codeActions.length === 1, JSON.stringify(r.codeActions));
    const [action] = r.codeActions;
    assert.equal(action.kind, 'quickfix');
    assert.equal(action.title, 'Rename to `provider`');
    assert.equal(action.isPreferred, true);
    const changes = Object.values(action.edit?.changes ?? {});
    assert.deepEqual(changes, [[{ range: { start: { line: 3, character: 2 }, end: { line: 3, character: 9 } }, newText: 'provider' }]]);
  });

  test('the Test Login code lens reaches Neovim on the delegated_auth line, with the section\'s values as its argument', { skip, timeout: 60_000 }, async (t) => {
    const { nvim } = ready as { nvim: NvimModule };
    // The quick-fix fixture has a delegated_auth section (and one diagnostic, which the session waits for).
    const file = path.join(fixtures, 'nvim-quickfix', 'datadog.yaml');
    const r = await run(t, nvim, { server: serverJs, file, codeLens: true, timeoutMs: 30_000 });
    if (!r) return;
    const lenses = r.codeLenses ?? [];
    assert.equal(lenses.length, 1, JSON.stringify(lenses));
    const [lens] = lenses;
    const text = fs.readFileSync(file, 'utf8').split('\n');
    assert.match(text[lens.range.start.line], /^delegated_auth:/);
    assert.equal(lens.command?.command, 'datadogWif.testLoginAgent');
    assert.match(lens.command?.title ?? '', /Test Login \(Agent\)/);
    const arg = (lens.command?.arguments ?? [])[0] as { orgUuid?: string };
    assert.match(arg?.orgUuid ?? '', /^[0-9a-f-]{36}$/);
  });
});
