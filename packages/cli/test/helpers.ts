/** Run the built binary (and mosquitto's clients) as child processes, bounded in time. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(root, 'dist', 'bin.js');

/** Fail loudly when the binary is missing or older than its sources (the tests run `dist/`). */
export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run pnpm build in packages/cli first`);
  const stale: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (rel.endsWith('.ts')) {
        const out = join(root, 'dist', rel.slice('src/'.length).replace(/\.ts$/, '.js'));
        if (!existsSync(out) || statSync(out).mtimeMs < statSync(join(root, rel)).mtimeMs)
          stale.push(rel);
      }
    }
  };
  walk('src');
  if (stale.length > 0)
    throw new Error(`dist/ is older than ${stale.join(', ')}: run pnpm build first`);
}

/** mosquitto_pub/mosquitto_sub present; under CI their absence fails the tests instead of skipping. */
export const hasMosquittoClients: boolean =
  (existsSync('/usr/bin/mosquitto_pub') && existsSync('/usr/bin/mosquitto_sub')) ||
  Boolean(process.env.CI);

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

export interface Running {
  proc: ChildProcess;
  /** Resolves once `pattern` appears on stderr (or stdout when `stream` says so). */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  done: Promise<Finished>;
}

export function start(
  command: string,
  args: readonly string[],
  options: { input?: string | Buffer; timeoutMs?: number } = {},
): Running {
  const proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  const listeners = new Set<() => void>();
  proc.stdout?.on('data', (d: Buffer) => {
    out.push(d);
    for (const l of listeners) l();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const l of listeners) l();
  });
  if (options.input !== undefined) proc.stdin?.end(options.input);
  else proc.stdin?.end();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const done = new Promise<Finished>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(
        new Error(
          `${command} ${args.join(' ')} did not exit within ${timeoutMs} ms; stderr:\n${stderr}`,
        ),
      );
    }, timeoutMs);
    proc.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString(), stdoutBytes, stderr });
    });
  });
  // Callers that only use waitFor still get the timeout kill; avoid an unhandled rejection there.
  done.catch(() => undefined);
  return {
    proc,
    done,
    waitFor(pattern, stream = 'stderr', waitMs = 8000) {
      return new Promise<void>((resolve, reject) => {
        const text = (): string => (stream === 'stderr' ? stderr : Buffer.concat(out).toString());
        const check = (): void => {
          if (pattern.test(text())) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(
              `${pattern} not seen on ${stream} within ${waitMs} ms:\n${text()}\nstderr:\n${stderr}`,
            ),
          );
        }, waitMs);
        listeners.add(check);
        void done.then(
          () => {
            if (listeners.has(check)) {
              listeners.delete(check);
              clearTimeout(timer);
              if (pattern.test(text())) resolve();
              else
                reject(
                  new Error(
                    `exited before ${pattern} on ${stream}:\n${text()}\nstderr:\n${stderr}`,
                  ),
                );
            }
          },
          () => undefined,
        );
        check();
      });
    },
  };
}

/** Run the built `mqttkit` binary. */
export function cli(
  args: readonly string[],
  options: { input?: string | Buffer; timeoutMs?: number } = {},
): Running {
  return start(process.execPath, [BIN, ...args], options);
}

/** Run it to the end. */
export function runCli(
  args: readonly string[],
  options: { input?: string | Buffer; timeoutMs?: number } = {},
): Promise<Finished> {
  return cli(args, options).done;
}

/** A `mqttkit sub` that has its SUBACK (it runs with -d to tell). */
export async function subscribed(args: readonly string[], timeoutMs = 10_000): Promise<Running> {
  const running = cli([...args, '-d'], { timeoutMs });
  await running.waitFor(/received SUBACK/);
  return running;
}

/** A `mosquitto_sub` that has its SUBACK. */
export async function mosquittoSubscribed(
  args: readonly string[],
  timeoutMs = 10_000,
): Promise<Running> {
  // mosquitto_sub writes its debug lines with stdio, block-buffered on a pipe: stdbuf makes them
  // line-buffered so the SUBACK line arrives when it happens.
  const running = start('stdbuf', ['-oL', 'mosquitto_sub', ...args, '-d'], { timeoutMs });
  await running.waitFor(/received SUBACK/, 'stdout');
  return running;
}

let counter = 0;
/** A topic no other test uses. */
export function uniqueTopic(name: string): string {
  counter++;
  return `mqttkit-cli-test/${process.pid}/${name}/${counter}`;
}
