// The whole app: plain JavaScript (ESM) so that Vite and webpack both build it with their
// defaults, no loader and no config. It connects to the broker named by `?url=`, checks a round
// trip through the broker on its own, then reports to Node and waits for Node's message.
import { createClient } from '@mqttkit/client';

const params = new URLSearchParams(location.search);
const url = params.get('url');
const prefix = params.get('prefix') ?? 'bundlers';
const decoder = new TextDecoder();

const status = document.createElement('output');
status.id = 'status';
const received = document.createElement('ol');
received.id = 'received';
document.body.append(status, received);

function show(state, text) {
  status.dataset.state = state;
  status.textContent = text;
}

function nextMessage(client, topic) {
  return new Promise((resolve) => {
    const listener = (message) => {
      if (message.topic !== topic) return;
      client.off('message', listener);
      resolve(message);
    };
    client.on('message', listener);
  });
}

async function run() {
  if (!url) throw new Error('missing ?url=ws://host:port/path');
  const client = createClient({ url, protocolVersion: 4, clientId: `page-${prefix}` });
  client.on('message', (message) => {
    const item = document.createElement('li');
    item.dataset.topic = message.topic;
    item.textContent = decoder.decode(message.payload);
    received.append(item);
  });
  show('connecting', 'connecting');
  await client.connect({ signal: AbortSignal.timeout(5_000) });
  const granted = await client.subscribe([`${prefix}/echo`, `${prefix}/from-node`], { qos: 1 });
  const refused = granted.filter((result) => result.reasonCode >= 0x80);
  if (refused.length > 0) throw new Error(`subscription refused: ${refused[0].topicFilter}`);

  const echo = nextMessage(client, `${prefix}/echo`);
  await client.publish(`${prefix}/echo`, 'echo from the page', { qos: 1 });
  const own = await echo;
  await client.publish(`${prefix}/to-node`, `got my echo: ${decoder.decode(own.payload)}`, {
    qos: 1,
  });
  show('ready', 'round trip done; waiting for Node');
}

run().catch((error) => show('failed', String(error?.stack ?? error)));
