// One reading of agentConfigFiles / --agent-glob for the editor, the server and the CLI.

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { agentGlobPattern } from '../../server/src/service/agentGlobs';
import { FileClassifier } from '../../server/src/service/fileKinds';

describe('agent globs', () => {
  test('a name anywhere; a relative path below any folder; ** and absolute globs as written', () => {
    assert.equal(agentGlobPattern('agent-*.yaml'), 'agent-*.yaml');
    assert.equal(agentGlobPattern('deploy/agent/*.yaml'), '**/deploy/agent/*.yaml');
    assert.equal(agentGlobPattern('./deploy/*.yaml'), '**/deploy/*.yaml');
    assert.equal(agentGlobPattern('**/agent/*.yaml'), '**/agent/*.yaml');
    assert.equal(agentGlobPattern('/etc/datadog-agent/*.yaml'), '/etc/datadog-agent/*.yaml');
  });

  test('deploy/agent/*.yaml matches a workspace file by URI and by path, not another folder', () => {
    const c = new FileClassifier(['deploy/agent/*.yaml']);
    assert.equal(c.classify('file:///home/me/repo/deploy/agent/main.yaml'), 'agent');
    assert.equal(c.classify('/home/me/repo/deploy/agent/main.yaml'), 'agent');
    assert.equal(c.classify('deploy/agent/main.yaml'), 'agent');
    assert.equal(c.classify('file:///home/me/repo/deploy/other/main.yaml'), undefined);
    assert.equal(c.classify('file:///home/me/repo/deploy/agent/sub/main.yaml'), undefined, '* stays within one folder');
  });

  test('a name glob matches the file name in any folder, and only the name', () => {
    const c = new FileClassifier(['agent-*.yaml']);
    assert.equal(c.classify('file:///r/a/b/agent-prod.yaml'), 'agent');
    assert.equal(c.classify('file:///r/agent-x/other.yaml'), undefined);
  });
});
