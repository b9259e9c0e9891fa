// One reading of the user's Agent-file globs for every host. Kept apart from
// fileKinds.ts (which needs picomatch) so the extension's activation gate can
// build its document selector from it without loading a matcher.

// How a user's Agent-file glob (`datadogWif.agentConfigFiles`, `--agent-glob`)
// is read, the same in the editor, the language server and the CLI:
//   - without a `/`, it matches a file name anywhere (`agent-*.yaml`), as
//     `files.associations` does;
//   - with a `/`, it matches a path below any folder (`deploy/agent/*.yaml`
//     reads as `**/deploy/agent/*.yaml`): written relative to a workspace
//     folder or to a folder given to `dd-wif lint`, it must not depend on
//     where that folder is on disk (against an absolute path it would match
//     nothing);
//   - a glob starting with `**/`, and an absolute one, is taken as written.
export function agentGlobPattern(glob: string): string {
  const g = glob.trim().replace(/^(\.\/)+/, '');
  if (!g.includes('/') || g.startsWith('/') || g.startsWith('**/') || /^[A-Za-z]:\//.test(g)) return g;
  return `**/${g}`;
}
