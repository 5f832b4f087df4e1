/** The dashboard's default broker URL points here (`apps/dashboard/src/settings.ts`). */
export const STAY_WS_PORT = 9001;

export interface DemoArgs {
  /** Keep the broker and a sensor running after the summary, until Ctrl-C. */
  stay: boolean;
  /** WebSocket port; with `--stay` it defaults to STAY_WS_PORT, else the OS picks one. */
  wsPort: number | undefined;
}

export function parseArgs(argv: readonly string[]): DemoArgs {
  const stay = argv.includes('--stay');
  const given = argv.find((a) => a.startsWith('--ws-port='))?.slice('--ws-port='.length);
  const port = given === undefined ? undefined : Number(given);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new Error(`--ws-port must be a port number (0-65535), got ${given}`);
  }
  return { stay, wsPort: port ?? (stay ? STAY_WS_PORT : undefined) };
}
