// Test-only helpers (excluded from the build): read the vectors under libs/protocol/test-vectors.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VECTORS_DIR = fileURLToPath(new URL('../../test-vectors/', import.meta.url));

export function readVector(relativePath: string): string {
  return readFileSync(join(VECTORS_DIR, relativePath), 'utf8');
}

export function readJsonVector<T>(relativePath: string): T {
  return JSON.parse(readVector(relativePath)) as T;
}

/** Every .json.txt file under a vectors folder, recursively, as [relative path, parsed content]. */
export function jsonVectorsUnder<T>(folder: string): Array<[string, T]> {
  const found: Array<[string, T]> = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(join(VECTORS_DIR, relative)).sort()) {
      const path = join(relative, name);
      if (statSync(join(VECTORS_DIR, path)).isDirectory()) walk(path);
      else if (name.endsWith('.json.txt')) found.push([path, readJsonVector<T>(path)]);
    }
  };
  walk(folder);
  return found;
}
