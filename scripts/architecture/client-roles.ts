/**
 * The client's files by role, for its picture in docs/architecture.md. Every file of
 * `packages/client/src` must be named here (the picture refuses to draw otherwise), so a new
 * module makes its author say where it belongs.
 */
export const CLIENT_ROLES: Readonly<Record<string, readonly string[]>> = {
  facade: ['index', 'client'],
  contracts: [
    'types',
    'options',
    'option-names',
    'unknown-options',
    'mqttjs-option-names',
    'url-credentials',
    'errors',
    'client-emitter',
    'logger',
    'backoff',
    'protocol-reports',
    'instrumentation',
  ],
  lifecycle: ['runner', 'effects-executor', 'lifecycle-events', 'close-log', 'connect-event'],
  link: [
    'link',
    'connection',
    'abort-latch',
    'connect-packet',
    'foreign-peer',
    'outbox',
    'packet-log',
  ],
  inbound: ['inbound-dispatch', 'inbound-rules', 'inbound-flow', 'reauthentication'],
  operations: ['operations', 'arguments', 'abortable', 'offline-queue', 'requests', 'messages'],
  session: [
    'session',
    'session/',
    'packet-ids',
    'send-window',
    'topic-aliases',
    'store',
    'memory-store',
  ],
  support: ['emitter', 'globals'],
};

/** The role of a node of the client's source graph (a file, or `session/`). */
export function clientRole(node: string): string {
  for (const [role, members] of Object.entries(CLIENT_ROLES)) {
    if (members.includes(node)) return role;
  }
  throw new Error(
    `packages/client/src/${node} has no role in scripts/architecture/client-roles.ts`,
  );
}

/** The run-time imports between roles, as `from -> to` pairs (type-only imports left out). */
export function roleEdges(edges: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const edge of edges) {
    const [from = '', to = ''] = edge.split(' -> ').map(clientRole);
    if (from !== to) out.add(`${from} -> ${to}`);
  }
  return out;
}
