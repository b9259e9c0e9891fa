// The three output formats of `dd-wif lint` (CLI.md).

import * as path from 'path';
import { pathToFileURL } from 'url';
import { RULES, docsHome, docsUrl, ruleHelpMarkdown, ruleHelpText, type Finding } from '../service';
import { displayText } from '../shared/terminalText';

export interface FileFinding extends Finding {
  file: string;
}

export function sortFindings(findings: FileFinding[]): FileFinding[] {
  return [...findings].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/**
 * `file:line:col severity code message`, 1-based, one line a finding: the file
 * name and the message (which quotes the file) have their control characters
 * escaped, a line feed too, so a file cannot add a line or act on the terminal
 * (and are redacted first, so an escape cannot hide a key from redaction).
 */
export function formatText(findings: FileFinding[]): string {
  return findings.map((f) => `${displayText(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code} ${displayText(f.message.replace(/\s*\n\s*/g, ' '))}`).join('\n');
}

export function formatJson(findings: FileFinding[]): string {
  return JSON.stringify(
    findings.map((f) => ({ file: f.file, range: f.range, severity: f.severity, code: f.code, message: f.message })),
    null,
    2,
  );
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function formatSarif(findings: FileFinding[], toolVersion: string): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.code, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dd-wif',
            version: toolVersion,
            informationUri: docsHome(),
            rules: RULES.map((r) => ({
              id: r.code,
              name: r.code,
              shortDescription: { text: r.summary.replace(/`/g, '') },
              fullDescription: { text: r.summary.replace(/`/g, '') + (r.fixes.length ? ` Quick fix: ${r.fixes.join('; ').replace(/`/g, '')}.` : '') },
              // The rule's page (shipped in the package) and the same help inline, for viewers that show it (code scanning).
              help: { text: ruleHelpText(r), markdown: ruleHelpMarkdown(r) },
              helpUri: docsUrl(r.code),
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: ruleIndex.get(f.code) ?? -1,
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(f.file) },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

/**
 * A SARIF artifact location must be a valid URI reference: a relative path
 * becomes a relative reference with each segment percent-encoded (spaces,
 * `#`, `%`, …), an absolute path a `file:` URI.
 */
export function artifactUri(file: string): string {
  if (path.isAbsolute(file)) return pathToFileURL(file).href;
  return file.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/');
}
