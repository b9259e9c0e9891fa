// Which documents are ours: by name (datadog.yaml, datadog.yml, *.tf, the
// lock file) or by the user's `datadogWif.agentConfigFiles` globs, never
// every YAML file. The language client's document selector and the
// activation gate (extension.ts) both come from here, so this module stays
// light: vscode and the settings section only.

import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../server/src/lsp/protocol';
import { agentGlobPattern } from '../../server/src/service/agentGlobs';

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

/** The selector matches it, exactly as the language client would decide. */
export function isOurDocument(doc: vscode.TextDocument, agentGlobs: readonly string[] = agentConfigGlobs()): boolean {
  return vscode.languages.match(documentSelector(agentGlobs), doc) > 0;
}
