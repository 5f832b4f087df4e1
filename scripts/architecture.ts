/**
 * `pnpm docs:architecture`: redraws the generated pictures in docs/architecture.md from the
 * code (package manifests and imports). `--check` only says whether they are up to date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { architecturePath, renderArchitecture } from './architecture/render.js';

const before = readFileSync(architecturePath, 'utf8');
const after = renderArchitecture(before);
if (after === before) {
  console.log('docs/architecture.md is up to date');
} else if (process.argv.includes('--check')) {
  console.error('docs/architecture.md is out of date: run pnpm docs:architecture');
  process.exit(1);
} else {
  writeFileSync(architecturePath, after);
  console.log('docs/architecture.md updated');
}
