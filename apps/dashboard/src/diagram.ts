/**
 * Draws the state machine as SVG from the transition table (`graph.ts`), laid out by ELK
 * (`layout.ts`), and highlights the current state and the transition that led to it. The layout is
 * drawn top to bottom, the narrowest ELK gives for this graph; a box narrower than that scrolls.
 */
import type { StateType } from '@mqttkit/state';
import { type Edge, STATES, transitionEdges } from './graph.js';
import { type LayoutSizes, layoutMachine, type MachineLayout, type Point } from './layout.js';
import { svg } from './svg.js';

// The fonts are set on the elements themselves so that what is measured is what is drawn.
const LABEL_FONT = '11px system-ui, sans-serif';
const NODE_FONT = '600 13px ui-monospace, Menlo, monospace';
const LABEL_LINE = 14;
/** Narrowest drawing, as a share of its laid-out size: narrower boxes scroll sideways instead. */
const MIN_SCALE = 0.8;

function textWidth(font: string): (text: string) => number {
  const context = document.createElement('canvas').getContext('2d');
  return (text) => {
    if (!context) return text.length * 7;
    context.font = font;
    return context.measureText(text).width;
  };
}

const SIZES: LayoutSizes = {
  labelChars: 16,
  measureLabel: textWidth(LABEL_FONT),
  measureNode: textWidth(NODE_FONT),
  labelLineHeight: LABEL_LINE,
  nodeHeight: 34,
  nodePadding: 14,
};

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

const pathOf = (points: readonly Point[]): string =>
  points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');

const edgeKey = (edge: Pick<Edge, 'from' | 'to'>): string => `${edge.from}->${edge.to}`;

function draw(root: SVGSVGElement, layout: MachineLayout): void {
  root.replaceChildren();
  root.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
  // Never drawn larger than laid out, nor much smaller: on a phone the card scrolls sideways
  // rather than shrink the labels below about 9 px.
  // (A min-width would not carry over to the height the viewBox's aspect ratio gives.)
  root.style.maxWidth = `${layout.width}px`;
  root.style.width = `max(100%, ${Math.round(layout.width * MIN_SCALE)}px)`;
  const defs = svg('defs');
  defs.append(arrowMarker('arrow'), arrowMarker('arrow-taken'));
  root.append(defs);

  for (const { edge, points, label } of layout.edges) {
    const group = svg('g', {
      class: 'edge',
      'data-key': edgeKey(edge),
      'data-from': edge.from,
      'data-to': edge.to,
    });
    const text = svg('text', {
      class: 'label',
      'text-anchor': 'middle',
      style: `font: ${LABEL_FONT}`,
    });
    label.lines.forEach((line, i) => {
      // Baseline about 3/4 down each line box, so the glyphs sit inside the box ELK reserved.
      const y = label.y + (i + 0.78) * LABEL_LINE;
      text.append(svg('tspan', { x: label.x + label.width / 2, y }, line));
    });
    group.append(
      svg('title', {}, `${edge.from} -> ${edge.to}: ${edge.events.join(', ')}`),
      svg('path', { d: pathOf(points) }),
      text,
    );
    root.append(group);
  }
  for (const node of layout.nodes) {
    const group = svg('g', { class: 'node', 'data-state': node.state });
    group.append(
      svg('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: 10 }),
      svg(
        'text',
        {
          x: node.x + node.width / 2,
          y: node.y + node.height / 2,
          'text-anchor': 'middle',
          'dominant-baseline': 'central',
          style: `font: ${NODE_FONT}`,
        },
        node.state,
      ),
    );
    root.append(group);
  }
}

export interface Diagram {
  readonly element: SVGSVGElement;
  /** Highlights `to` as the current state and the edge from `from` (when given). */
  show(to: StateType, from?: StateType): void;
  /** Settles when the first layout is drawn. */
  readonly ready: Promise<void>;
}

/** A diagram drawn into `container` once ELK has laid it out (`ready`). */
export function createDiagram(container: HTMLElement): Diagram {
  const root = svg('svg', {
    role: 'img',
    'aria-label': 'connection state machine',
    class: 'diagram',
  });
  container.append(root);
  let current: { to: StateType; from?: StateType } = { to: 'idle' };

  const highlight = (): void => {
    for (const node of root.querySelectorAll<SVGGElement>('.node')) {
      node.classList.toggle('current', node.dataset.state === current.to);
    }
    // On a phone the drawing is wider than its box: bring the current state into view.
    const shown = root.querySelector<SVGGElement>('.node.current');
    if (shown && container.scrollWidth > container.clientWidth) {
      const box = shown.getBoundingClientRect();
      const view = container.getBoundingClientRect();
      container.scrollLeft += box.left + box.width / 2 - (view.left + view.width / 2);
    }
    const taken = current.from ? edgeKey({ from: current.from, to: current.to }) : '';
    for (const edge of root.querySelectorAll<SVGGElement>('.edge')) {
      edge.classList.toggle('taken', `${edge.dataset.from}->${edge.dataset.to}` === taken);
    }
  };

  const ready = layoutMachine(STATES, transitionEdges(), SIZES).then((layout) => {
    draw(root, layout);
    highlight();
  });
  return {
    element: root,
    ready,
    show(to, from) {
      current = from === undefined ? { to } : { to, from };
      highlight();
    },
  };
}
