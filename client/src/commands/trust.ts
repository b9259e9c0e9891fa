// The login commands send a proof of the user's AWS identity to a host and
// read the user's AWS credentials: never in a workspace the user has not
// trusted (package.json hides them there too; this refuses a direct call).

import * as vscode from 'vscode';

export interface UntrustedResult {
  ok: false;
  code: 'untrusted';
  message: string;
}

/** Undefined when the workspace is trusted; otherwise says so (a toast) and returns the refusal. */
export function ensureTrusted(what: string): UntrustedResult | undefined {
  if (vscode.workspace.isTrusted) return undefined;
  const message = `${what} is disabled in an untrusted workspace: it would use your AWS credentials and send a proof of them. Trust the workspace to use it (linting works either way).`;
  void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return { ok: false, code: 'untrusted', message };
}
