// Which documents are ours: by name (datadog.yaml, datadog.yml, *.tf, the
// lock file) or by the user's `datadogWif.agentConfigFiles` globs, or a YAML
// or JSON file whose text configures an Agent through its environment
// (a Kubernetes manifest, Helm values, …: the server's own cheap sniff, no
// parse), never every YAML file. The language client's document selector and
// the activation gate (extension.ts) both come from here, so this module
// stays light: vscode, the settings section and the sniff only.

import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../server/src/lsp/protocol';
import { agentGlobPattern } from '../../server/src/service/agentGlobs';
import { sniffAgentEnv } from '../../server/src/service/agentEnv/discover';

/** YAML and JSON files, whose content says whether they are ours (the server's discovery reads the same names). */
const MAY_BE_AGENT_ENV = { pattern: '**/*.{yaml,yml,json}' };

export const AGENT_CONFIG_FILES = `${SETTINGS_SECTION}.agentConfigFiles`;

/** `datadogWif.agentConfigFiles` as the window sees it (user, workspace, or a single folder's settings). */
export function agentConfigGlobs(): string[] {
  const globs = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('agentConfigFiles');
  return Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string') : [];
}

export function documentSelector(agentGlobs: readonly string[]): { pattern: string }[] {
  return [
    { pattern: '**/datadog.yaml' },
    { pattern: '**/datadog.yml' },
    { pattern: '**/*.tf' },
    { pattern: '**/.terraform.lock.hcl' },
    ...agentGlobs.filter((g) => typeof g === 'string' && g.trim() !== '').map((g) => ({ pattern: selectorPattern(g) })),
  ];
}

/**
 * A glob as VS Code's document filters read it (against the whole path): a
 * name anywhere, or a path below any folder, as the server and dd-wif read it.
 */
function selectorPattern(glob: string): string {
  const pattern = agentGlobPattern(glob);
  return pattern.includes('/') ? pattern : `**/${pattern}`;
}

/**
 * What the language client sends the server: the files ours by name, and
 * every YAML and JSON file, since only its content says whether it configures
 * an Agent (the server sniffs it; one that is not ours gets no diagnostics).
 */
export function syncSelector(agentGlobs: readonly string[]): { pattern: string }[] {
  return [...documentSelector(agentGlobs), MAY_BE_AGENT_ENV];
}

/**
 * Ours by name (the selector matches it, as the language client would
 * decide), or a YAML/JSON file whose text the server's sniff accepts: one
 * search of the text for `DD_`, `datadog` or `delegated` rejects almost every
 * other file.
 */
export function isOurDocument(doc: vscode.TextDocument, agentGlobs: readonly string[] = agentConfigGlobs()): boolean {
  if (vscode.languages.match(documentSelector(agentGlobs), doc) > 0) return true;
  return vscode.languages.match(MAY_BE_AGENT_ENV, doc) > 0 && sniffAgentEnv(doc.getText()).length > 0;
}
