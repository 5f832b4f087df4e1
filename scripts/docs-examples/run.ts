/**
 * Runs an example against a test broker. Examples are written for a reader, with the broker a
 * reader would have (`mqtt://127.0.0.1:1883`, `mqtt://broker:1883`): every quoted `mqtt:`,
 * `mqtts:` or `tcp:` URL of a block that runs is replaced by the test broker's URL, so the text
 * stays as a reader copies it. A run passes when it exits with 0 within the time allowed and
 * prints what its marker says.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { CodeBlock } from './blocks.js';
import { examplesTsconfig, moduleName, moduleSource, writeExample } from './workspace.js';

// tsx as a loader of this one process (its CLI would start a second one, which a kill on timeout
// would leave running).
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const BROKER_URL = /(['"`])(?:mqtts?|tcp):\/\/[^'"`\s]*\1/g;

/** The block's code with every broker URL replaced by `brokerUrl`. */
export function pointAtBroker(code: string, brokerUrl: string): string {
  return code.replace(BROKER_URL, (_match, quote: string) => `${quote}${brokerUrl}${quote}`);
}

export interface RunResult {
  readonly ok: boolean;
  /** Why the run failed, with what it printed; empty when it passed. */
  readonly problem: string;
  readonly output: string;
}

/** Runs one block as a module under tsx; kills it after `timeoutMs`. */
export async function runBlock(
  block: CodeBlock,
  brokerUrl: string,
  timeoutMs = 15_000,
): Promise<RunResult> {
  const path = writeExample(
    `run_${moduleName(block)}`,
    moduleSource(pointAtBroker(block.code, brokerUrl)),
  );
  const child = spawn(process.execPath, ['--import', tsxLoader, path], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TSX_TSCONFIG_PATH: examplesTsconfig },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const where = `${block.file}:${block.line}`;
  let problem = '';
  if (timedOut) problem = `${where}: still running after ${timeoutMs} ms`;
  else if (code !== 0) problem = `${where}: exited with ${code}`;
  else if (block.prints !== undefined && !output.includes(block.prints)) {
    problem = `${where}: did not print "${block.prints}"`;
  }
  return { ok: problem === '', problem: problem && `${problem}\n${output}`, output };
}
