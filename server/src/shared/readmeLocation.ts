// Where the rule docs are on this machine: the README.md that ships in the
// package beside the bundles (dist/ → the package root; out/server/src/… →
// the checkout root). Diagnostics, hovers and SARIF link to its sections, so
// the docs open offline and never point at a site that may not exist.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The file URI of the package's README.md, found by walking up from this bundle; undefined when there is none. */
export function packageReadmeUri(from: string = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    const readme = path.join(dir, 'README.md');
    if (fs.existsSync(readme) && fs.existsSync(path.join(dir, 'package.json'))) return pathToFileURL(readme).href;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}
