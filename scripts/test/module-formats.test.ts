// The module formats of the published packages (README "Module formats"). The full check on packed
// tarballs is scripts/check-packed.mjs (run by CI); these are its cheap parts.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const emitScript = join(root, 'scripts', 'emit-require-entries.mjs');

interface Manifest {
  name: string;
  private?: boolean;
  engines?: { node?: string };
  exports?: Record<string, unknown>;
}

const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

const published = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')) && readManifest(dir).private !== true);

describe('emit-require-entries', () => {
  it('writes the .cjs entry that requires the ES module and a .d.cts twin of each .d.ts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqttkit-emit-'));
    mkdirSync(join(dir, 'dist', 'browser'), { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'x',
        exports: {
          '.': {
            import: { types: './dist/index.d.ts', default: './dist/index.js' },
            require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
          },
        },
      }),
    );
    writeFileSync(
      join(dir, 'dist', 'index.d.ts'),
      "export * from './a.js';\nexport type B = import(\"../b/c.js\").C;\nexport { ws } from 'ws.js';\n",
    );
    writeFileSync(join(dir, 'dist', 'browser', 'page.d.ts'), 'export {};\n');

    execFileSync(process.execPath, [emitScript], { cwd: dir });

    expect(readFileSync(join(dir, 'dist', 'index.cjs'), 'utf8')).toContain(
      "module.exports = require('./index.js');",
    );
    // Relative specifiers follow the CommonJS declarations; a package name is left alone.
    expect(readFileSync(join(dir, 'dist', 'index.d.cts'), 'utf8')).toBe(
      "export * from './a.cjs';\nexport type B = import(\"../b/c.cjs\").C;\nexport { ws } from 'ws.js';\n",
    );
    expect(existsSync(join(dir, 'dist', 'browser', 'page.d.cts'))).toBe(false);
  });
});

describe('published packages', () => {
  it('all support the Node range of the workspace, where require(esm) needs no flag', () => {
    const range = readManifest(root).engines?.node;
    expect(range).toBe('^20.19.0 || >=22.12.0');
    for (const dir of published) expect(readManifest(dir).engines?.node).toBe(range);
  });

  it('every export has import and require conditions, each with its types', () => {
    for (const dir of published) {
      const { exports = {} } = readManifest(dir);
      for (const [subpath, entry] of Object.entries(exports)) {
        if (subpath === './package.json') continue;
        expect(entry).toMatchObject({
          import: {
            types: expect.stringMatching(/\.d\.ts$/),
            default: expect.stringMatching(/\.js$/),
          },
          require: {
            types: expect.stringMatching(/\.d\.cts$/),
            default: expect.stringMatching(/\.cjs$/),
          },
        });
      }
    }
  });

  it('require() and import() of every built entry give the same exports (one instance)', () => {
    // In a plain Node process: the test runner's own module loader would be a second instance.
    const compare = `
      const specifiers = JSON.parse(process.env.SPECIFIERS);
      (async () => {
        for (const specifier of specifiers) {
          const required = require(specifier);
          const imported = await import(specifier);
          const names = Object.keys(imported);
          if (names.length === 0) throw new Error(specifier + ': no exports');
          for (const name of names) {
            if (required[name] !== imported[name]) throw new Error(specifier + ': two copies of ' + name);
          }
        }
      })().catch((error) => { console.error(error.message); process.exitCode = 1; });`;
    for (const dir of published) {
      const { name, exports = {} } = readManifest(dir);
      const specifiers = Object.keys(exports)
        .filter((subpath) => subpath !== './package.json')
        .map((subpath) => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`));
      // Run in the package's folder: a package resolves its own name through its exports map.
      execFileSync(process.execPath, ['-e', compare], {
        cwd: dir,
        env: { ...process.env, SPECIFIERS: JSON.stringify(specifiers) },
        stdio: 'pipe',
      });
    }
  });
});
