import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLIENT_ROLES, clientRole, roleEdges } from '../architecture/client-roles.js';
import { architecturePath, renderArchitecture } from '../architecture/render.js';
import { replaceSection } from '../architecture/sections.js';
import { sourceGraph } from '../architecture/source-graph.js';

describe('docs/architecture.md', () => {
  it('shows the packages and modules as the code has them (run pnpm docs:architecture)', () => {
    const doc = readFileSync(architecturePath, 'utf8');
    expect(renderArchitecture(doc)).toBe(doc);
  });

  it('replaces only the text of a generated section', () => {
    const doc = 'a\n<!-- generated: x -->\nold\n<!-- end generated -->\nb\n';
    expect(replaceSection(doc, 'x', 'new')).toBe(
      'a\n<!-- generated: x -->\nnew\n<!-- end generated -->\nb\n',
    );
    expect(() => replaceSection(doc, 'y', 'new')).toThrow(/no section "y"/);
  });
});

describe('the client parts', () => {
  it('import each other at run time without a cycle between roles', () => {
    const graph = sourceGraph(fileURLToPath(new URL('../../packages/client/src', import.meta.url)));
    const edges = [...roleEdges(graph.edges)].map((edge) => edge.split(' -> '));
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cycle = (role: string, path: string[]): string[] | undefined => {
      if (visiting.has(role)) return [...path, role];
      if (done.has(role)) return undefined;
      visiting.add(role);
      for (const [from, to] of edges) {
        if (from !== role || to === undefined) continue;
        const found = cycle(to, [...path, role]);
        if (found) return found;
      }
      visiting.delete(role);
      done.add(role);
      return undefined;
    };
    for (const role of Object.keys(CLIENT_ROLES)) expect(cycle(role, [])).toBeUndefined();
  });

  it('name the role of every file', () => {
    expect(() => clientRole('no-such-file')).toThrow(/has no role/);
  });
});
