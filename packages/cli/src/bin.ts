#!/usr/bin/env node
import { performance } from 'node:perf_hooks';
import { run } from './main.js';

// `--insecure` prints the CLI's own warning (connection.ts); the transport's process warning
// (MQTTKIT_INSECURE_TLS) would say the same a second time. Every other warning still goes to
// Node's own printer(s), unchanged.
const nodeWarningPrinters = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning: Error & { code?: string }) => {
  if (warning.code === 'MQTTKIT_INSECURE_TLS') return;
  for (const print of nodeWarningPrinters) print(warning);
});

const controller = new AbortController();
// First Ctrl-C ends cleanly (DISCONNECT, exit code as documented); a second one exits at once.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  });
}

// `mqttkit sub ... | head -1`: the reader went away; stop quietly, as a SIGPIPE'd C tool would.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  interrupt: controller.signal,
  stderrIsTTY: process.stderr.isTTY === true,
  now: () => performance.timeOrigin + performance.now(),
});
// Let buffered output reach its pipe, then exit even if a timer or stdin is still open.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
