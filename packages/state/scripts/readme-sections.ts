/**
 * Renders the generated parts of the README from the package's data: the transition diagram, the
 * state x event matrix and the reconnect rules. The test `test/readme.test.ts` fails when the
 * README differs from this output; `pnpm diagram` rewrites it.
 */
import {
  CONNACK_V4_RULES,
  CONNACK_V5_RULES,
  DISCONNECT_V5_RULES,
  EVENT_TYPES,
  type ReasonCodeRule,
  STATE_TYPES,
  TRANSITION_TABLE,
} from '../src/index.js';

export const FIX_COMMAND = 'pnpm --filter @mqttkit/state diagram';

export function renderDiagram(): string {
  const edges = new Map<string, string[]>();
  for (const from of STATE_TYPES) {
    for (const event of EVENT_TYPES) {
      const rule = TRANSITION_TABLE[from][event];
      if (rule.kind !== 'apply') continue;
      for (const to of rule.to) {
        const key = `${from} --> ${to}`;
        const labels = edges.get(key) ?? [];
        labels.push(event);
        edges.set(key, labels);
      }
    }
  }
  const lines = ['```mermaid', 'stateDiagram-v2', '  [*] --> idle'];
  for (const [edge, labels] of edges) lines.push(`  ${edge}: ${labels.join(', ')}`);
  lines.push('```');
  return lines.join('\n');
}

/** A Markdown table padded the way the repository's formatter (biome) lays tables out. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]) {
  const widths = header.map((h, i) =>
    Math.max(3, h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 3)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderMatrix(): string {
  const rows = EVENT_TYPES.map((event) => [
    `\`${event}\``,
    ...STATE_TYPES.map((state) => {
      const r = TRANSITION_TABLE[state][event];
      if (r.kind === 'ignore') return 'ignored';
      if (r.kind === 'reject') return 'rejected';
      return `**${r.to.join(' / ')}**: ${r.note}`;
    }),
  ]);
  return markdownTable(['event', ...STATE_TYPES], rows);
}

function hex(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

function codeTable(title: string, rules: readonly ReasonCodeRule[], asHex: boolean): string {
  const rows = rules.map((r) => [
    asHex ? hex(r.code) : String(r.code),
    r.name,
    r.reconnect ? 'yes' : 'no',
  ]);
  return markdownTable([title, 'name', 'reconnect'], rows);
}

export function renderReconnectRules(): string {
  return [
    codeTable('MQTT 5 CONNACK', CONNACK_V5_RULES, true),
    codeTable('MQTT 3.1.1 CONNACK', CONNACK_V4_RULES, false),
    codeTable('MQTT 5 DISCONNECT', DISCONNECT_V5_RULES, true),
  ].join('\n\n');
}

const SECTIONS: Record<string, () => string> = {
  diagram: renderDiagram,
  matrix: renderMatrix,
  'reconnect-rules': renderReconnectRules,
};

/** Replaces the text between `<!-- <name>:start -->` and `<!-- <name>:end -->` for each section. */
export function renderReadme(readme: string): string {
  let out = readme;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const i = out.indexOf(start);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`README.md lacks the markers ${start} ... ${end}`);
    out = `${out.slice(0, i + start.length)}\n${render()}\n${out.slice(j)}`;
  }
  return out;
}
