import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../docs-examples/workspace.js';

interface TypedocConfig {
  entryPoints: string[];
  out: string;
  validation: { notDocumented: boolean };
  treatValidationWarningsAsErrors: boolean;
  packagesRequiringDocumentation: string[];
}

interface PackageJson {
  name: string;
  private?: boolean;
  exports: Record<string, unknown>;
}

/**
 * The source module of an export-map entry: the file name its built files share, under src/.
 * Read from the `import` condition where there is one (a `browser` condition names another build).
 */
function sourceOf(target: unknown): string {
  const chosen =
    typeof target === 'object' && target !== null && 'import' in target ? target.import : target;
  const files = JSON.stringify(chosen).match(/\.\/dist\/[^"]+/g) ?? [];
  const name = files[0]
    ?.split('/')
    .pop()
    ?.replace(/\.(d\.)?[cm]?[jt]s$/, '');
  return `src/${name}.ts`;
}

const read = <T>(path: string): T =>
  JSON.parse(readFileSync(join(repositoryRoot, path), 'utf8')) as T;
const config = read<TypedocConfig>('typedoc.json');
const published = ['codec', 'transport', 'keepalive', 'state', 'client', 'store-file', 'otel'];

// `pnpm docs:api` (run by .ci/run) builds the reference; this checks, within the test run, that
// it covers what is published and fails where documentation is missing.
describe('typedoc.json, the API reference', () => {
  it('fails on an exported symbol without documentation', () => {
    expect(config.validation.notDocumented).toBe(true);
    expect(config.treatValidationWarningsAsErrors).toBe(true);
  });

  it('documents every entry point of every published package', () => {
    for (const dir of published) {
      const pkg = read<PackageJson>(`packages/${dir}/package.json`);
      expect(pkg.private, pkg.name).not.toBe(true);
      expect(config.packagesRequiringDocumentation).toContain(pkg.name);
      for (const [subpath, target] of Object.entries(pkg.exports)) {
        if (subpath === './package.json') continue;
        expect(config.entryPoints, `${pkg.name} ${subpath}`).toContain(
          `packages/${dir}/${sourceOf(target)}`,
        );
      }
    }
  });

  it('writes its output where git ignores it', () => {
    expect(readFileSync(join(repositoryRoot, '.gitignore'), 'utf8').split('\n')).toContain(
      `${config.out}/`,
    );
  });
});
