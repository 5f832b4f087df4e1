/** docs/architecture.md with its generated pictures brought up to date from the code. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clientRole } from './client-roles.js';
import { modulesChart, packagesChart, rolesChart } from './mermaid.js';
import { packageGraph } from './package-graph.js';
import { replaceSection } from './sections.js';
import { sourceGraph } from './source-graph.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const architecturePath = `${root}docs/architecture.md`;

const fence = (chart: string): string => `\`\`\`mermaid\n${chart}\n\`\`\``;

export function renderArchitecture(doc = readFileSync(architecturePath, 'utf8')): string {
  const src = (path: string) => sourceGraph(`${root}packages/${path}`);
  const sections: Array<[string, string]> = [
    ['packages', packagesChart(packageGraph(`${root}packages`))],
    ['codec modules', modulesChart(src('codec/src'))],
    ['client roles', rolesChart(src('client/src'), clientRole)],
    ['client session', modulesChart(src('client/src/session'))],
    ['state modules', modulesChart(src('state/src'))],
  ];
  let out = doc;
  for (const [name, chart] of sections) out = replaceSection(out, name, fence(chart));
  return out;
}
