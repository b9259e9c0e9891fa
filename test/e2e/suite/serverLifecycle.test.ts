// The server is killed for real: the client restarts it once, gives up on
// the second crash (the status item says so), and the Restart command brings
// it back.

import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor } from './util';
import type { LanguageClient } from 'vscode-languageclient/node';

interface Api {
  readonly client: LanguageClient | undefined;
  readonly statusText: string;
}

async function serverPid(api: Api): Promise<number | undefined> {
  const client = api.client;
  if (!client || !client.isRunning()) return undefined;
  try {
    const info = await client.sendRequest<{ pid: number }>('datadogWif/serverInfo');
    return info.pid;
  } catch {
    return undefined;
  }
}

suite('language server lifecycle', () => {
  test('restarts once after a crash, then stops and says so; Restart brings it back', async () => {
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'datadog.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const api = vscode.extensions.getExtension('datadog-wif.datadog-wif')!.exports as Api;

    const first = await waitFor('the server', () => serverPid(api));
    process.kill(first, 'SIGKILL');
    const second = await waitFor('the restarted server', async () => {
      const pid = await serverPid(api);
      return pid !== undefined && pid !== first ? pid : undefined;
    });
    assert.notStrictEqual(second, first);

    process.kill(second, 'SIGKILL');
    await waitFor('the status item to report the stop', () => (api.statusText.includes('server stopped') ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(await serverPid(api), undefined, 'no third automatic start');

    await vscode.commands.executeCommand('datadogWif.restartServer');
    const third = await waitFor('the server after Restart', () => serverPid(api));
    assert.ok(third !== first && third !== second);
    // And it works: diagnostics for the open file come back.
    await waitFor('diagnostics after restart', () => (vscode.languages.getDiagnostics(uri).some((d) => d.source === 'datadog-wif') ? true : undefined));
  });
});
