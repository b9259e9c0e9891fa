// Which files are ours, and as what. Pure: takes a path and the user's globs.

import picomatch from 'picomatch';
import type { FileKind } from './common/types';
import { agentGlobPattern } from './agentGlobs';

/** The basename of a path or URI, whatever its separators. */
export function baseName(path: string): string {
  const clean = path.replace(/[?#].*$/, '');
  return clean.slice(Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\')) + 1);
}

export class FileClassifier {
  private readonly agentMatchers: ((path: string) => boolean)[];

  constructor(readonly agentGlobs: readonly string[] = []) {
    this.agentMatchers = agentGlobs
      .filter((g) => typeof g === 'string' && g.trim() !== '')
      .map((g) => {
        const pattern = agentGlobPattern(g);
        const m = picomatch(pattern, { dot: true, basename: !pattern.includes('/') });
        return (p: string) => m(p.replace(/\\/g, '/'));
      });
  }

  classify(path: string): FileKind | undefined {
    const name = baseName(path);
    if (name === 'datadog.yaml' || name === 'datadog.yml') return 'agent';
    if (name === '.terraform.lock.hcl') return 'terraform-lock';
    if (name.endsWith('.tf')) return 'terraform';
    const normalized = path.replace(/\\/g, '/');
    if (this.agentMatchers.some((m) => m(normalized) || m(normalized.replace(/^\/+/, '')))) return 'agent';
    return undefined;
  }
}
