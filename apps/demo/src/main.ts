import { createClient } from '@mqttkit/client';
import { parseArgs } from './args.js';
import { startEmbeddedBroker } from './broker.js';
import { Checks } from './checks.js';
import { runOutage } from './outage.js';
import { bold, dim, green, red, say } from './output.js';
import { showPacketSizeRefusal } from './packet-size.js';
import { connectSensors, publishReadings } from './sensors.js';
import { stayUp } from './stay.js';
import { Tally } from './tally.js';
import { waitFor } from './wait.js';

const decodeText = new TextDecoder();

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  say('demo', bold('mqttkit demo: an embedded aedes broker, real MQTT over TCP and WebSocket'));
  const broker = await startEmbeddedBroker({ wsPort: args.wsPort });
  const { tcpUrl, wsUrl } = broker;
  say('broker', `aedes listening on ${tcpUrl} and ${wsUrl}`);
  const tally = new Tally();
  const checks = new Checks();

  // aedes speaks MQTT 3.1.1, so every client here uses protocolVersion 4.
  const dashboard = createClient({ url: wsUrl, protocolVersion: 4, clientId: 'dashboard' });
  dashboard.on('message', (message) => {
    const payload = decodeText.decode(message.payload);
    tally.received(message.topic, payload);
    const dup = message.dup ? ' DUP' : '';
    say('dashboard', `${message.topic} = ${payload} (QoS ${message.qos}${dup})`);
  });
  await dashboard.connect({ signal: AbortSignal.timeout(5000) });
  const [granted] = await dashboard.subscribe('sensors/#', { qos: 2 });
  say(
    'dashboard',
    `connected over WebSocket, subscribed to sensors/# (granted QoS ${granted?.qos})`,
  );

  const sensors = await connectSensors(tcpUrl);
  await publishReadings(sensors, tally);
  await waitFor(() => tally.lost === 0, 5000);

  const humidity = sensors[1]?.client ?? dashboard;
  const refusal = await showPacketSizeRefusal(tcpUrl, humidity);
  checks.record(
    'packet above maxPacketSize refused: protocol-violation 0x95',
    refusal?.type === 'protocol-violation' && refusal.reasonCode === 0x95 && !refusal.willReconnect,
  );

  await runOutage({ host: '127.0.0.1', port: broker.tcpPort }, tally, checks);
  await waitFor(() => tally.lost === 0, 5000);

  for (const { name, ok } of checks.all)
    say('check', ok ? green(`ok   ${name}`) : red(`FAIL ${name}`));
  const lost = tally.lost;
  const summary = `sent ${tally.sentCount}, received ${tally.receivedCount}, lost ${lost}`;
  const duplicates =
    tally.duplicates > 0 ? dim(` (+${tally.duplicates} duplicates: QoS 1 is at least once)`) : '';
  say('summary', (lost === 0 ? green(summary) : red(summary)) + duplicates);
  const code = lost === 0 && checks.passed ? 0 : 1;
  const first = sensors[0];
  if (args.stay && first) await stayUp(wsUrl, first.client, dashboard);
  await Promise.all([dashboard.end(), ...sensors.map((s) => s.client.end())]);
  await broker.close();
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(red(`demo failed: ${error instanceof Error ? error.stack : String(error)}`));
    process.exitCode = 1;
  },
);
