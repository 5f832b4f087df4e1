// `node dist/supervise.js --url mqtt://127.0.0.1:1883 --workers 4`: the supervisor alone, for a
// broker and publishers of your own. One JSON line per worker event on stdout; SIGTERM or
// SIGINT drains every worker and exits 0.
import { groupSettings, parsePoolArgs } from './args.js';
import { Supervisor } from './supervisor.js';

const args = parsePoolArgs(process.argv.slice(2));
if (!args.urlGiven) throw new Error('--url is required');
const supervisor = new Supervisor({
  settings: groupSettings(args),
  workers: args.workers,
  workMs: args.workMs,
  ...(args.ledgerDir === undefined ? {} : { ledgerDir: args.ledgerDir }),
});
const print = (event: string) => (data: object) =>
  process.stdout.write(`${JSON.stringify({ event, ...data })}\n`);
for (const event of ['started', 'ready', 'drained', 'exited'] as const) {
  supervisor.on(event, print(event));
}
const stop = (): void => {
  void supervisor.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
supervisor.start();
