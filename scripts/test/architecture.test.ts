import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { architecturePath, renderArchitecture } from '../architecture/render.js';
import { replaceSection } from '../architecture/sections.js';

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
