/**
 * Places the state machine's nodes, edges and edge labels with ELK's layered algorithm (elkjs), so
 * that no label overlaps another label or a node: ELK turns each label into a box of the given size
 * and keeps it clear of everything else while routing the edges around it.
 */
import type { StateType } from '@mqttkit/state';
import type { ELK, ELKConstructorArguments, ElkNode } from 'elkjs/lib/elk-api.js';
import ElkModule from 'elkjs/lib/elk-api.js';
// ELK itself is 1.6 MB of compiled Java: it runs in a worker of its own, so neither loading it nor
// laying out holds up the page's main thread (where the client's socket and keepalive live).
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { labelLines } from './edge-label.js';
import type { Edge } from './graph.js';

export interface Point {
  x: number;
  y: number;
}

export interface Box extends Point {
  width: number;
  height: number;
}

export interface PlacedNode extends Box {
  readonly state: StateType;
}

export interface PlacedEdge {
  readonly edge: Edge;
  /** From the source's border to the target's, through ELK's bend points. */
  readonly points: readonly Point[];
  readonly label: Box & { readonly lines: readonly string[] };
}

export interface MachineLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

export interface LayoutSizes {
  /** Longest label line, in characters, before the events wrap. */
  readonly labelChars: number;
  /** Width in pixels of a label line and of a state name, as the page will draw them. */
  measureLabel(text: string): number;
  measureNode(text: string): number;
  readonly labelLineHeight: number;
  readonly nodeHeight: number;
  readonly nodePadding: number;
}

type ElkConstructor = new (args?: ELKConstructorArguments) => ELK;
// elkjs ships CommonJS with ES-module typings: under NodeNext its default export is typed as the
// module record, while bundlers hand over either that record or the constructor itself.
const ElkApi = ((ElkModule as { default?: ElkConstructor }).default ??
  ElkModule) as unknown as ElkConstructor;

// Spacings in pixels; the label spacing is what keeps a label clear of its own edge and others.
const OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  // Top to bottom: about 800 px wide, against twice that left to right (19 edges, many going back).
  'elk.direction': 'DOWN',
  // Layers follow the states' order in @mqttkit/state (idle first), so the drawing reads as the
  // connection's life; edges going back to an earlier state are the ones reversed.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
  // Straighter edges and a narrower drawing than the default placement.
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.spacing.edgeLabel': '3',
  'elk.spacing.nodeNode': '24',
  'elk.spacing.edgeEdge': '8',
  'elk.spacing.edgeNode': '10',
  'elk.layered.spacing.nodeNodeBetweenLayers': '28',
  'elk.layered.spacing.edgeNodeBetweenLayers': '10',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '6',
  'elk.padding': '[top=6,left=6,bottom=6,right=6]',
};

export async function layoutMachine(
  states: readonly StateType[],
  edges: readonly Edge[],
  sizes: LayoutSizes,
): Promise<MachineLayout> {
  const lines = edges.map((edge) => labelLines(edge.events, sizes.labelChars));
  const graph: ElkNode = {
    id: 'machine',
    layoutOptions: OPTIONS,
    children: states.map((state) => ({
      id: state,
      width: Math.ceil(sizes.measureNode(state)) + 2 * sizes.nodePadding,
      height: sizes.nodeHeight,
    })),
    edges: edges.map((edge, i) => ({
      id: `edge${i}`,
      sources: [edge.from],
      targets: [edge.to],
      labels: [
        {
          id: `label${i}`,
          text: (lines[i] ?? []).join('\n'),
          width: Math.ceil(Math.max(...(lines[i] ?? []).map(sizes.measureLabel))),
          height: (lines[i]?.length ?? 1) * sizes.labelLineHeight,
        },
      ],
    })),
  };
  const elk = new ElkApi({ workerUrl: elkWorkerUrl });
  const placed = await elk.layout(graph).finally(() => elk.terminateWorker());
  const nodes = (placed.children ?? []).map((node, i) => ({
    state: states[i] as StateType,
    ...boxOf(node),
  }));
  return {
    width: placed.width ?? 0,
    height: placed.height ?? 0,
    nodes,
    edges: (placed.edges ?? []).map((laid, i) => {
      const section = laid.sections?.[0];
      return {
        edge: edges[i] as Edge,
        points: section
          ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]
          : [],
        label: { ...boxOf(laid.labels?.[0] ?? {}), lines: lines[i] ?? [] },
      };
    }),
  };
}

const boxOf = (shape: { x?: number; y?: number; width?: number; height?: number }): Box => ({
  x: shape.x ?? 0,
  y: shape.y ?? 0,
  width: shape.width ?? 0,
  height: shape.height ?? 0,
});
