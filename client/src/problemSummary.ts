// The few words the language status item shows about a file's problems.
// No vscode import: severities are LSP/VS Code numbers (0 error, 1 warning,
// 2 information, 3 hint in vscode.DiagnosticSeverity), so unit tests load it.

const ERROR = 0;
const WARNING = 1;
const INFORMATION = 2;

/** "2 errors, 1 warning", "1 info", "no problems": only the kinds present, singular or plural. */
export function problemSummary(severities: Iterable<number>): string {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const s of severities) {
    if (s === ERROR) errors++;
    else if (s === WARNING) warnings++;
    else if (s === INFORMATION) infos++;
  }
  const parts = [count(errors, 'error', 'errors'), count(warnings, 'warning', 'warnings'), count(infos, 'info', 'infos')].filter((p): p is string => p !== undefined);
  return parts.length ? parts.join(', ') : 'no problems';
}

function count(n: number, one: string, many: string): string | undefined {
  return n === 0 ? undefined : `${n} ${n === 1 ? one : many}`;
}
