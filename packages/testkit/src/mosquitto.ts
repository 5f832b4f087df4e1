import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'];

/** Path of the mosquitto binary, or undefined when it is not installed. */
export function mosquittoPath(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

/**
 * Whether mosquitto tests should run. In CI a missing mosquitto is a failure (the test that
 * starts it throws), never a silent skip; locally the tests skip with the reason in their name.
 */
export const hasMosquitto: boolean = mosquittoPath() !== undefined || Boolean(process.env.CI);

export interface MosquittoHandle {
  readonly port: number;
  readonly url: string;
  /** The temporary folder holding the config (and persistence file when enabled). */
  readonly dir: string;
  /** Everything mosquitto logged so far. */
  log(): string;
  /**
   * Kill the broker (SIGKILL by default) and start it again on the same port with the same
   * files. mosquitto writes its persistence file on a clean exit (SIGTERM) or on
   * `autosave_interval`; a SIGKILL loses what changed since the last save.
   */
  restart(options?: { signal?: NodeJS.Signals }): Promise<void>;
  /** Stop the broker (SIGKILL by default) and keep its files; `start()` brings it back. */
  stop(options?: { signal?: NodeJS.Signals }): Promise<void>;
  /** Start a stopped broker again on the same port with the same files. */
  start(): Promise<void>;
  /** True while the broker process runs. */
  readonly running: boolean;
  close(): Promise<void>;
}

export interface StartMosquittoOptions {
  /** Keep sessions and queued messages across restarts (`persistence true`). */
  persistence?: boolean;
  /** Extra configuration lines for the listener. */
  extraConfig?: string[];
  /** Accept clients without a username (`allow_anonymous`). Default true. */
  allowAnonymous?: boolean;
  /**
   * Called once with the temporary folder before mosquitto first starts: write files there
   * (an ACL or plugin config) and return config lines naming them, appended after `extraConfig`.
   */
  beforeStart?: (dir: string) => Promise<readonly string[]> | readonly string[];
}

/** Start a real mosquitto on a free 127.0.0.1 port, configured in a fresh temporary folder. */
export async function startMosquitto(
  options: StartMosquittoOptions = {},
): Promise<MosquittoHandle> {
  const bin = mosquittoPath();
  if (!bin) throw new Error('mosquitto is not installed (apt-get install -y mosquitto)');
  const dir = await mkdtemp(join(tmpdir(), 'mqttkit-mosquitto-'));
  // mosquitto started as root drops to its own user unless told otherwise; `user root` keeps
  // access to the files in our temporary folder.
  await chmod(dir, 0o755);
  const port = await freePort();
  const lines = [
    'user root',
    `listener ${port} 127.0.0.1`,
    `allow_anonymous ${options.allowAnonymous === false ? 'false' : 'true'}`,
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    `persistence ${options.persistence ? 'true' : 'false'}`,
    `persistence_location ${dir}/`,
    ...(options.extraConfig ?? []),
    ...((await options.beforeStart?.(dir)) ?? []),
  ];
  const configPath = join(dir, 'mosquitto.conf');
  await writeFile(configPath, `${lines.join('\n')}\n`, { mode: 0o644 });

  let output = '';
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const proc = spawn(bin, ['-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    proc.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    await waitForPort(
      port,
      5000,
      () => proc.exitCode !== null,
      () => output,
    );
  };
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
  };

  await launch();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    log: () => output,
    async restart(restartOptions) {
      await kill(restartOptions?.signal ?? 'SIGKILL');
      await launch();
    },
    async stop(stopOptions) {
      await kill(stopOptions?.signal ?? 'SIGKILL');
    },
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      await launch();
    },
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async close() {
      await kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A port that was free on 127.0.0.1 a moment ago (for servers that cannot report the one they got). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(
  port: number,
  timeoutMs: number,
  exited: () => boolean,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`mosquitto exited before listening:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms:\n${log()}`);
}
