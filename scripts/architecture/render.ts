/** docs/architecture.md with its generated pictures brought up to date from the code. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { modulesChart, packagesChart } from './mermaid.js';
import { packageGraph } from './package-graph.js';
import { replaceSection } from './sections.js';
import { sourceGraph } from './source-graph.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const architecturePath = `${root}docs/architecture.md`;

const fence = (chart: string): string => `\`\`\`mermaid\n${chart}\n\`\`\``;

export function renderArchitecture(doc = readFileSync(architecturePath, 'utf8')): string {
  let out = replaceSection(doc, 'packages', fence(packagesChart(packageGraph(`${root}packages`))));
  for (const pkg of ['codec', 'client', 'state']) {
    out = replaceSection(
      out,
      `${pkg} modules`,
      fence(modulesChart(sourceGraph(`${root}packages/${pkg}/src`))),
    );
  }
  return out;
}
