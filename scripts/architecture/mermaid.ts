/** Mermaid flowcharts (rendered by GitHub and most Markdown viewers) of the graphs. */
import type { PackageNode } from './package-graph.js';
import type { SourceGraph } from './source-graph.js';

const id = (name: string): string => name.replace(/[^A-Za-z0-9]/g, '_');

export function packagesChart(packages: readonly PackageNode[]): string {
  const published = packages.filter((p) => !p.private);
  const lines = ['flowchart TD'];
  for (const p of published) lines.push(`  ${id(p.name)}["${p.name}"]`);
  const external = new Set<string>();
  for (const p of published) {
    for (const dep of p.dependencies) {
      if (!dep.startsWith('@mqttkit/')) external.add(dep);
      lines.push(`  ${id(p.name)} --> ${id(dep)}`);
    }
  }
  for (const dep of [...external].sort()) lines.push(`  ${id(dep)}(["${dep} (npm)"])`);
  return lines.join('\n');
}

export function modulesChart(graph: SourceGraph): string {
  const lines = ['flowchart TD'];
  for (const [name, count] of [...graph.nodes].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${id(name)}["${name} (${count})"]`);
  }
  for (const edge of graph.edges) {
    const [from = '', to = ''] = edge.split(' -> ');
    lines.push(`  ${id(from)} --> ${id(to)}`);
  }
  return lines.join('\n');
}
