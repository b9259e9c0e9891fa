// Rule links as VS Code opens them: the server links a rule to its page, a
// file URI of docs/rules/<code>.md in the installed extension (any editor
// can open it; SARIF carries the same). In VS Code a file link opens the
// Markdown source in a text tab, so the client turns links to those pages
// into a command URI of datadogWif.openRuleDoc, which shows the rendered
// preview. VS Code opens a diagnostic's code link (Problems, the hover, the
// peek) with command URIs allowed; a hover's Markdown trusts that one command.
// Pure: no vscode import, so the unit tests check it without an editor.

export const OPEN_RULE_DOC = 'datadogWif.openRuleDoc';

/** The folder of the rule pages, as a file URI ending in `/`. */
export function ruleDocsFolder(extensionFileUri: string): string {
  return `${extensionFileUri.replace(/\/$/, '')}/docs/rules/`;
}

/** A page of ours: a file directly in the rule pages' folder, named like a rule (no `..`, no sub folder, no query). */
export function isRuleDocUri(target: string, folder: string): boolean {
  if (!target.startsWith(folder)) return false;
  return /^[a-z]+-[a-z0-9-]+\.md$/.test(target.slice(folder.length));
}

/**
 * The command URI that opens a page of ours in the preview; undefined for any other link (left as it
 * is). `normalize` spells a URI as `folder` is spelled (the server's file URIs and VS Code's encode
 * some characters differently).
 */
export function ruleDocCommandUri(target: string, folder: string, normalize: (uri: string) => string = (u) => u): string | undefined {
  if (!isRuleDocUri(normalize(target), folder)) return undefined;
  return `command:${OPEN_RULE_DOC}?${encodeURIComponent(JSON.stringify([target]))}`;
}

/** Every Markdown link `](…)` to a page of ours in `markdown`, as the command URI. */
export function withRuleDocCommands(markdown: string, folder: string, normalize?: (uri: string) => string): string {
  return markdown.replace(/\]\(([^)\s]+)\)/g, (whole, target: string) => {
    const command = ruleDocCommandUri(target, folder, normalize);
    return command ? `](${command})` : whole;
  });
}
