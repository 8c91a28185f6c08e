import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { deployPath } from './paths.js';

/** One Kubernetes object as written in a manifest, with the file it came from. */
export interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

const KUBERNETES_DIR = deployPath('kubernetes');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });
}

/** Every object of every manifest under kubernetes/, in file order. */
export function loadManifests(): Manifest[] {
  return yamlFiles(KUBERNETES_DIR)
    .sort()
    .flatMap((path) =>
      parseAllDocuments(readFileSync(path, 'utf8')).map((document) => {
        if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]!.message}`);
        const object = document.toJS() as Omit<Manifest, 'file'>;
        return { ...object, file: relative(KUBERNETES_DIR, path) } as Manifest;
      }),
    );
}

/** The one object of this kind (and name, when given); throws when there is none or several. */
export function only(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0]!;
}
