import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIX_COMMAND, renderDiagram, renderReadme } from '../scripts/readme-sections.js';
import { EVENT_TYPES, STATE_TYPES, TRANSITION_TABLE } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has the diagram, matrix and reconnect rules generated from the current table', () => {
    const current = renderReadme(readme) === readme;
    expect(current, `README.md is out of date: run \`${FIX_COMMAND}\``).toBe(true);
  });

  it('the diagram has one edge per applied (from, to) pair of the table', () => {
    const diagram = renderDiagram();
    for (const s of STATE_TYPES) {
      for (const e of EVENT_TYPES) {
        const rule = TRANSITION_TABLE[s][e];
        if (rule.kind !== 'apply') continue;
        for (const to of rule.to) {
          expect(diagram).toMatch(new RegExp(`^ {2}${s} --> ${to}: .*\\b${e}\\b`, 'm'));
        }
      }
    }
  });
});
