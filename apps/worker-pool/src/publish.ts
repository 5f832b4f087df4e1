// `node dist/publish.js --url mqtt://127.0.0.1:1883 --count 50000`: the publisher process.
import { parsePoolArgs } from './args.js';
import { publishNumbered } from './publisher.js';

const args = parsePoolArgs(process.argv.slice(2));
await publishNumbered({
  url: args.url,
  prefix: args.prefix,
  count: args.count,
  inflight: args.inflight,
  progress: (n) => process.stdout.write(`published ${n}\n`),
});
