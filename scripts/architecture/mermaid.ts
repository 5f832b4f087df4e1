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
  lines.push(...arrows(graph, (node) => node));
  return lines.join('\n');
}

/** The graph with its nodes merged by `roleOf`: one box per role, listing its members. */
export function rolesChart(graph: SourceGraph, roleOf: (node: string) => string): string {
  const members = new Map<string, string[]>();
  const lines = new Map<string, number>();
  for (const [node, count] of graph.nodes) {
    const role = roleOf(node);
    members.set(role, [...(members.get(role) ?? []), node]);
    lines.set(role, (lines.get(role) ?? 0) + count);
  }
  const out = ['flowchart TD'];
  for (const [role, names] of [...members].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`  ${id(role)}["<b>${role}</b> (${lines.get(role)})<br/>${names.join(', ')}"]`);
  }
  out.push(...arrows(graph, roleOf));
  return out.join('\n');
}

/** Solid arrows for run-time imports, dotted for type-only ones, between the boxes `boxOf` names. */
function arrows(graph: SourceGraph, boxOf: (node: string) => string): string[] {
  const solid = new Set<string>();
  const dotted = new Set<string>();
  const add = (into: Set<string>, edge: string): void => {
    const [from = '', to = ''] = edge.split(' -> ').map(boxOf);
    if (from !== to) into.add(`${id(from)} ${id(to)}`);
  };
  for (const edge of graph.edges) add(solid, edge);
  for (const edge of graph.typeEdges) add(dotted, edge);
  for (const pair of solid) dotted.delete(pair);
  const line = (arrow: string) => (pair: string) => `  ${pair.replace(' ', ` ${arrow} `)}`;
  return [...[...solid].sort().map(line('-->')), ...[...dotted].sort().map(line('-.->'))];
}
