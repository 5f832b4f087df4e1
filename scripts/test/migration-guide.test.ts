import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mqttjsSurface } from '../docs-examples/mqttjs-surface.js';
import { repositoryRoot } from '../docs-examples/workspace.js';

const guide = readFileSync(join(repositoryRoot, 'docs', 'migrating-from-mqttjs.md'), 'utf8');

/** The section of the guide under a `## title` heading. */
function section(title: string): string {
  const start = guide.indexOf(`\n## ${title}\n`);
  expect(start, `section "${title}"`).toBeGreaterThanOrEqual(0);
  const end = guide.indexOf('\n## ', start + 1);
  return guide.slice(start, end < 0 ? undefined : end);
}

/** Names written as code in the first column of the section's tables. */
function mapped(title: string): Set<string> {
  const names = new Set<string>();
  for (const line of section(title).split('\n')) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1] ?? '';
    for (const match of first.matchAll(/`(?:mqtt\.)?([A-Za-z_]+)/g)) names.add(match[1] ?? '');
  }
  return names;
}

describe('docs/migrating-from-mqttjs.md', () => {
  const surface = mqttjsSurface();

  it('reads a plausible MQTT.js surface from its declarations', () => {
    expect(surface.options.length).toBeGreaterThan(50);
    expect(surface.events).toContain('outgoingEmpty');
    expect(surface.members).toContain('publishAsync');
    expect(surface.members).not.toContain('_nextId');
    expect(surface.exports).toContain('connectAsync');
  });

  it('maps every MQTT.js option', () => {
    const names = mapped('Options');
    expect(surface.options.filter((name) => !names.has(name))).toEqual([]);
  });

  it('maps every MQTT.js event', () => {
    const names = mapped('Events');
    expect(surface.events.filter((name) => !names.has(name))).toEqual([]);
  });

  it('maps every public method and property of MqttClient and every export of the module', () => {
    const names = mapped('Methods and properties');
    expect(surface.members.filter((name) => !names.has(name))).toEqual([]);
    expect(surface.exports.filter((name) => !names.has(name))).toEqual([]);
  });
});
