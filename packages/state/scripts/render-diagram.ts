/** `pnpm diagram`: rewrites the generated sections of README.md from the transition table. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderReadme } from './readme-sections.js';

const path = fileURLToPath(new URL('../README.md', import.meta.url));
const before = readFileSync(path, 'utf8');
const after = renderReadme(before);
if (after === before) {
  console.log('README.md is up to date');
} else {
  writeFileSync(path, after);
  console.log('README.md updated');
}
