// The publisher process of scenario 4, run with `node --import tsx`. Two modes:
//   run <url> <storePath> <clientId> <topic> <count>: publish seq 0..count-1 (odd QoS 2, even
//     QoS 1), up to 50 in flight, printing "ack <seq>" when each publish() resolves. The parent
//     SIGKILLs it mid-stream.
//   resume <url> <storePath> <clientId>: open the same store, print "restored <n>", connect
//     (the client resends what the store holds), wait until the store is empty, print "drained".
import { createClient } from '@mqttkit/client';
import { createFileStore } from '@mqttkit/store-file';

const [mode, url, storePath, clientId, topic, countText] = process.argv.slice(2);
if (!url || !storePath || !clientId) throw new Error('usage: run|resume url store clientId ...');

const store = await createFileStore({ path: storePath, fsync: 'always' });
const client = createClient({
  url,
  protocolVersion: 5,
  clientId,
  clean: false,
  sessionExpiryInterval: 600,
  store,
  reconnect: { initialDelay: 50, maxDelay: 200 },
});

const write = (line: string): void => {
  // Synchronous, so a line is out before the next await: SIGKILL can only lose later ones.
  process.stdout.write(`${line}\n`);
};

if (mode === 'run') {
  const count = Number(countText);
  await client.connect();
  write('connected');
  let nextSeq = 0;
  const worker = async (): Promise<void> => {
    while (nextSeq < count) {
      const seq = nextSeq++;
      await client.publish(`${topic}/q${seq % 2 === 1 ? 2 : 1}`, String(seq), {
        qos: seq % 2 === 1 ? 2 : 1,
      });
      write(`ack ${seq}`);
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));
  write('done');
  await client.end();
  await store.close();
} else {
  write(`restored ${store.size}`);
  await client.connect();
  const deadline = Date.now() + 20_000;
  while (store.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  write(store.size === 0 ? 'drained' : `stuck ${store.size}`);
  await client.end();
  await store.close();
}
