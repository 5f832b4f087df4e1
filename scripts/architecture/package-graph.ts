/** The published packages and what each depends on at run time, from their package.json files. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PackageNode {
  readonly name: string;
  readonly private: boolean;
  /** Runtime dependencies: workspace packages and external ones. */
  readonly dependencies: string[];
}

export function packageGraph(packagesDir: string): PackageNode[] {
  const out: PackageNode[] = [];
  for (const dir of readdirSync(packagesDir).sort()) {
    let manifest: { name: string; private?: boolean; dependencies?: Record<string, string> };
    try {
      manifest = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    out.push({
      name: manifest.name,
      private: manifest.private === true,
      dependencies: Object.keys(manifest.dependencies ?? {}).sort(),
    });
  }
  return out;
}
