// The one command of the README: a broker, a pool of workers on one shared subscription, a
// publisher process, one worker SIGKILLed halfway and restarted in its slot, then a graceful
// stop. Prints what happened and an audit of the ledgers; exits 0 only when nothing was lost
// and every duplicate is explained.
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasMosquitto, type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';
import { groupSettings, parsePoolArgs } from './args.js';
import { audit } from './audit.js';
import { LedgerTail, readLedgers } from './ledger.js';
import { Supervisor } from './supervisor.js';

const args = parsePoolArgs(process.argv.slice(2));
const started = performance.now();
const say = (who: string, text: string): void => {
  const at = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
  process.stdout.write(`${at}s ${who.padEnd(10)} ${text}\n`);
};

let broker: MosquittoHandle | undefined;
if (!args.urlGiven) {
  if (!hasMosquitto) {
    throw new Error('mosquitto is not installed: install it, or pass --url of a broker');
  }
  // aedes, the demo's broker, has no shared subscriptions (moscajs/aedes #228). mosquitto's
  // default max_queued_messages (1000) drops QoS 1 messages queued for a member whose process
  // is down; 0 lifts the bound, so a slot's share waits for its next process.
  broker = await startMosquitto({ extraConfig: ['max_queued_messages 0'] });
  args.url = broker.url;
  say('broker', `mosquitto on ${broker.url} (max_queued_messages 0)`);
}
const ledgerDir = args.ledgerDir ?? (await mkdtemp(join(tmpdir(), 'worker-pool-')));

const supervisor = new Supervisor({
  settings: groupSettings(args),
  workers: args.workers,
  workMs: args.workMs,
  ledgerDir,
});
const killed = new Set<number>();
const ready = new Set<number>();
supervisor.on('started', ({ slot, pid, generation }) =>
  say('supervisor', `slot ${slot}: pid ${pid} started (run ${generation + 1})`),
);
supervisor.on('ready', ({ slot, pid, sessionPresent }) => {
  ready.add(slot);
  say(`slot ${slot}`, `pid ${pid} subscribed, session present: ${sessionPresent}`);
});
supervisor.on('drained', ({ slot, inHand, declined }) =>
  say(`slot ${slot}`, `drained: ${inHand} in hand finished and acked, ${declined} left unacked`),
);
supervisor.on('exited', ({ slot, pid, code, signal }) =>
  say('supervisor', `slot ${slot}: pid ${pid} exited (${signal ?? `code ${code}`})`),
);
supervisor.start();
await until(() => ready.size === args.workers, 20_000, 'every worker subscribed');

const filter = `$share/${args.group}/${args.filter}`;
say('publisher', `publishing ${args.count} QoS 1 messages under ${args.prefix}/ to ${filter}`);
const here = fileURLToPath(import.meta.url);
const publisher = fork(
  join(dirname(here), `publish${extname(here)}`),
  ['--url', args.url, '--prefix', args.prefix, '--count', String(args.count)],
  { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
);
publisher.stdout?.on('data', (d: Buffer) => {
  const last = d.toString().trim().split('\n').pop();
  if (last?.endsWith(` ${args.count}`))
    say('publisher', `${args.count} acknowledged by the broker`);
});

const tail = new LedgerTail(ledgerDir);
const processed = (): number => tail.poll();
await until(() => processed() >= args.count / 2, 120_000, 'half of the messages processed');
const victim = Math.min(1, args.workers - 1);
const pid = supervisor.pid(victim);
if (pid !== undefined) {
  say('demo', `SIGKILL slot ${victim} (pid ${pid}) with messages in hand`);
  killed.add(pid);
  process.kill(pid, 'SIGKILL');
}
await until(() => processed() >= args.count, 120_000, 'every message processed');
const seconds = (performance.now() - started) / 1000;
say('demo', 'every message processed; stopping the pool (SIGTERM: drain, ack, disconnect)');
await supervisor.stop();

const result = audit(readLedgers(ledgerDir), args.count, killed);
const unexplained = result.duplicates.filter((d) => !d.explained);
say('audit', `sent ${args.count}, processed ${result.processed}, lost ${result.missing.length}`);
say(
  'audit',
  `${result.duplicates.length} duplicates, ${result.duplicates.length - unexplained.length} ` +
    'in hand at the SIGKILL and redelivered to the same slot with DUP',
);
for (const d of unexplained) say('audit', `UNEXPLAINED duplicate ${d.id}: ${JSON.stringify(d)}`);
say('audit', `${Math.round(args.count / seconds)} messages/s over the whole run`);

await broker?.close();
if (args.ledgerDir === undefined) await rm(ledgerDir, { recursive: true, force: true });
process.exit(result.missing.length === 0 && unexplained.length === 0 ? 0 : 1);

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
