/**
 * Draws the state machine as SVG from the transition table (`graph.ts`) and highlights the
 * current state and the transition that led to it. Node positions are a hand-made layout for the
 * known states; a state added to the machine later still appears, in a row of its own.
 */
import type { StateType } from '@mqttkit/state';
import { type Edge, STATES, transitionEdges } from './graph.js';
import { svg } from './svg.js';

interface Point {
  x: number;
  y: number;
}

const WIDTH = 820;
const NODE_W = 150;
const NODE_H = 38;
const BEND = 28;

const LAYOUT: Partial<Record<StateType, Point>> = {
  idle: { x: 90, y: 50 },
  connecting: { x: 310, y: 50 },
  awaitingConnack: { x: 530, y: 50 },
  connected: { x: 735, y: 50 },
  closed: { x: 90, y: 310 },
  reconnectWait: { x: 310, y: 310 },
  disconnecting: { x: 620, y: 310 },
};

function positions(): { at: Map<StateType, Point>; height: number } {
  const at = new Map<StateType, Point>();
  let extra = 0;
  for (const state of STATES) {
    const known = LAYOUT[state];
    at.set(state, known ?? { x: 90 + 200 * extra++, y: 420 });
  }
  return { at, height: extra > 0 ? 460 : 360 };
}

/** Where the ray from the node's center towards `toward` leaves its box (plus a margin). */
function boxExit(center: Point, toward: Point, margin: number): Point {
  const dx = toward.x - center.x;
  const dy = toward.y - center.y;
  const scale = Math.min(
    dx === 0 ? Number.POSITIVE_INFINITY : (NODE_W / 2 + margin) / Math.abs(dx),
    dy === 0 ? Number.POSITIVE_INFINITY : (NODE_H / 2 + margin) / Math.abs(dy),
  );
  return { x: center.x + dx * scale, y: center.y + dy * scale };
}

function bezier(a: Point, c: Point, b: Point, t: number): Point {
  const u = 1 - t;
  return {
    x: u * u * a.x + 2 * u * t * c.x + t * t * b.x,
    y: u * u * a.y + 2 * u * t * c.y + t * t * b.y,
  };
}

function label(events: readonly string[]): string {
  return events.length <= 2 ? events.join(', ') : `${events[0]}, +${events.length - 1}`;
}

function edgePath(edge: Edge, at: Map<StateType, Point>): { d: string; labelAt: Point } {
  const a = at.get(edge.from) as Point;
  const b = at.get(edge.to) as Point;
  if (edge.from === edge.to) {
    const x = a.x + NODE_W / 2;
    return {
      d: `M ${x} ${a.y - 8} C ${x + 45} ${a.y - 40}, ${x + 45} ${a.y + 40}, ${x + 2} ${a.y + 10}`,
      labelAt: { x: x + 40, y: a.y + 4 },
    };
  }
  // A quadratic curve bent to the left of its direction, so A->B and B->A never overlap.
  const length = Math.hypot(b.x - a.x, b.y - a.y);
  const control = {
    x: (a.x + b.x) / 2 + ((b.y - a.y) / length) * BEND,
    y: (a.y + b.y) / 2 - ((b.x - a.x) / length) * BEND,
  };
  const start = boxExit(a, control, 0);
  const end = boxExit(b, control, 3);
  return {
    d: `M ${start.x} ${start.y} Q ${control.x} ${control.y} ${end.x} ${end.y}`,
    // Labels sit a little before the middle, so the labels of edges meeting at one state spread.
    labelAt: bezier(start, control, end, 0.4),
  };
}

function arrowMarker(id: string): SVGMarkerElement {
  const marker = svg('marker', {
    id,
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' }));
  return marker;
}

export interface Diagram {
  readonly element: SVGSVGElement;
  /** Highlights `to` as the current state and the edge from `from` (when given). */
  show(to: StateType, from?: StateType): void;
}

export function createDiagram(): Diagram {
  const { at, height } = positions();
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`,
    role: 'img',
    'aria-label': 'connection state machine',
    class: 'diagram',
  });
  const defs = svg('defs');
  defs.append(arrowMarker('arrow'), arrowMarker('arrow-taken'));
  root.append(defs);

  const edges = new Map<string, SVGGElement>();
  for (const edge of transitionEdges()) {
    const { d, labelAt } = edgePath(edge, at);
    const group = svg('g', { class: 'edge', 'data-from': edge.from, 'data-to': edge.to });
    group.append(
      svg('title', {}, `${edge.from} -> ${edge.to}: ${edge.events.join(', ')}`),
      svg('path', { d }),
      svg('text', { x: labelAt.x, y: labelAt.y, 'text-anchor': 'middle' }, label(edge.events)),
    );
    edges.set(`${edge.from}->${edge.to}`, group);
    root.append(group);
  }

  const nodes = new Map<StateType, SVGGElement>();
  for (const [state, p] of at) {
    const group = svg('g', { class: 'node', 'data-state': state });
    group.append(
      svg('rect', {
        x: p.x - NODE_W / 2,
        y: p.y - NODE_H / 2,
        width: NODE_W,
        height: NODE_H,
        rx: 10,
      }),
      svg('text', { x: p.x, y: p.y + 5, 'text-anchor': 'middle' }, state),
    );
    nodes.set(state, group);
    root.append(group);
  }

  return {
    element: root,
    show(to, from) {
      for (const [state, node] of nodes) node.classList.toggle('current', state === to);
      for (const [key, edge] of edges) edge.classList.toggle('taken', key === `${from}->${to}`);
    },
  };
}
