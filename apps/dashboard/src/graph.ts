/**
 * The state machine as a graph, read from `@mqttkit/state`'s transition table: one edge per
 * (from, to) pair that some event can take, labelled with those events. The same data the state
 * package renders into its README's Mermaid diagram, so the page cannot drift from the machine.
 */
import { EVENT_TYPES, STATE_TYPES, type StateType, TRANSITION_TABLE } from '@mqttkit/state';

export interface Edge {
  readonly from: StateType;
  readonly to: StateType;
  readonly events: readonly string[];
}

export function transitionEdges(): Edge[] {
  const edges = new Map<string, { from: StateType; to: StateType; events: string[] }>();
  for (const from of STATE_TYPES) {
    for (const event of EVENT_TYPES) {
      const rule = TRANSITION_TABLE[from][event];
      if (rule.kind !== 'apply') continue;
      for (const to of rule.to) {
        const key = `${from}->${to}`;
        const edge = edges.get(key) ?? { from, to, events: [] };
        edge.events.push(event);
        edges.set(key, edge);
      }
    }
  }
  return [...edges.values()];
}

export const STATES: readonly StateType[] = STATE_TYPES;
