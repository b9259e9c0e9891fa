// The canary check over the whole session: runs after the login and mapping
// suites (files run in name order), which used every secret the emulator
// knows: AWS secret keys and session tokens, delegated tokens, managed API
// keys, and the Datadog API and application keys set through Set API Keys.
// None may appear in the output channel, its log file, or any setting.

import * as assert from 'assert';
import * as vscode from 'vscode';
import { EMULATOR_API_KEYS, TEST_IDENTITIES } from '../../../emulator/src/identities';

const EXTENSION_ID = 'datadog-wif.datadog-wif';

interface Api {
  readonly recentOutput: readonly string[];
  readonly logUri: vscode.Uri;
}

async function outputLogFiles(logUri: vscode.Uri): Promise<string> {
  let text = '';
  try {
    for (const [name] of await vscode.workspace.fs.readDirectory(logUri)) {
      if (name.endsWith('.log')) text += Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(logUri, name))).toString('utf8');
    }
  } catch {
    /* no log folder in this VS Code: the in-memory record stands */
  }
  return text;
}

suite('secrets: after every login and mapping test', () => {
  test('no AWS secret, session token, JWT, proof, API key or application key anywhere the extension wrote', async () => {
    const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as Api;
    const recent = api.recentOutput.join('\n');
    assert.match(recent, /Test Login/, 'the login suite ran before this one and was recorded');
    const haystacks: Record<string, string> = {
      'output channel': recent,
      'output log file': await outputLogFiles(api.logUri),
      settings: JSON.stringify(vscode.workspace.getConfiguration('datadogWif')),
    };
    const canaries: [string, string][] = [];
    for (const id of Object.values(TEST_IDENTITIES)) {
      canaries.push([`${id.name}'s secret access key`, id.secretAccessKey]);
      if (id.sessionToken) canaries.push([`${id.name}'s session token`, id.sessionToken]);
    }
    for (const [name, keys] of Object.entries(EMULATOR_API_KEYS)) {
      canaries.push([`the ${name} API key`, keys.apiKey], [`the ${name} application key`, keys.appKey]);
    }
    for (const [where, text] of Object.entries(haystacks)) {
      for (const [what, value] of canaries) assert.ok(!text.includes(value), `${what} in the ${where}`);
      assert.ok(!/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\./.test(text), `a JWT in the ${where}`);
      assert.ok(!/(Delegated|Bearer) [A-Za-z0-9+/=._-]{20,}/.test(text), `a proof or bearer token in the ${where}`);
      assert.ok(!/\b[0-9a-f]{32}\b/i.test(text), `a 32-hex key in the ${where}`);
    }
  });
});
