// The other Terraform files of a document's folder, for the rules that judge
// a folder as a whole (cloud auth in one file, the version constraint in
// another, the pin in .terraform.lock.hcl). Open documents win over the disk.

import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SourceDocument } from '../service';
import { readTerraformFolder } from '../shared/terraformFolder';

export function isTerraformUri(uri: string): boolean {
  return /\.tf$/.test(uri) || /\/\.terraform\.lock\.hcl$/.test(uri);
}

export function sameFolder(a: string, b: string): boolean {
  return a.slice(0, a.lastIndexOf('/')) === b.slice(0, b.lastIndexOf('/'));
}

export function folderDocuments(uri: string, documents: TextDocuments<TextDocument>): SourceDocument[] {
  if (!isTerraformUri(uri)) return [];
  const out = new Map<string, SourceDocument>();
  // Open documents first (unsaved edits, new files not on disk yet).
  for (const d of documents.all()) if (d.uri !== uri && isTerraformUri(d.uri) && sameFolder(d.uri, uri)) out.set(d.uri, { path: d.uri, text: d.getText() });
  if (uri.startsWith('file:')) {
    let dir: string;
    try {
      dir = path.dirname(fileURLToPath(uri));
    } catch {
      return [...out.values()];
    }
    for (const { file, text } of readTerraformFolder(dir, (f) => pathToFileURL(f).href === uri || out.has(pathToFileURL(f).href))) out.set(pathToFileURL(file).href, { path: pathToFileURL(file).href, text });
  }
  return [...out.values()];
}
