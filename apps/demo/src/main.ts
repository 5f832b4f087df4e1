import type { CodecError } from '@mqttkit/codec';
import { startEmbeddedBroker } from './broker.js';
import { DemoLink, type Message, type QoS } from './link.js';
import { bold, green, red, say, yellow } from './output.js';

const SENSORS: ReadonlyArray<{ name: string; qos: QoS; unit: string }> = [
  { name: 'temperature', qos: 0, unit: '°C' },
  { name: 'humidity', qos: 1, unit: '%' },
  { name: 'pressure', qos: 2, unit: 'hPa' },
];
const ROUNDS = 10;
const text = new TextEncoder();
const decodeText = new TextDecoder();

async function main(): Promise<number> {
  say('demo', bold('mqttkit demo: an embedded aedes broker, real MQTT over TCP and WebSocket'));
  const broker = await startEmbeddedBroker();
  say('broker', `aedes listening on ${broker.tcpUrl} and ${broker.wsUrl}`);

  const received: Message[] = [];
  const dashboard = await DemoLink.connect(broker.wsUrl, {
    clientId: 'dashboard',
    onMessage(message) {
      received.push(message);
      say(
        'dashboard',
        `${message.topic} = ${decodeText.decode(message.payload)} (QoS ${message.qos})`,
      );
    },
  });
  const granted = await dashboard.subscribe('sensors/#', 2);
  say('dashboard', `connected over WebSocket, subscribed to sensors/# (granted QoS ${granted})`);

  const sensors = await Promise.all(
    SENSORS.map(async (sensor) => ({
      ...sensor,
      link: await DemoLink.connect(broker.tcpUrl, { clientId: `sensor-${sensor.name}` }),
    })),
  );
  say('sensors', `${sensors.length} sensors connected over TCP, publishing at QoS 0, 1 and 2`);

  let sent = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    await Promise.all(
      sensors.map(async (sensor) => {
        const reading = `${(20 + Math.sin(round + sensor.qos) * 5).toFixed(1)}${sensor.unit}`;
        await sensor.link.publish(`sensors/${sensor.name}`, text.encode(reading), sensor.qos);
        sent++;
      }),
    );
    await sleep(100); // paced like real sensors, so the output can be followed
  }
  say('sensors', `${sent} publishes completed their QoS flows (PUBACK / PUBREC-PUBREL-PUBCOMP)`);
  await waitFor(() => received.length >= sent, 5000);

  // Packet size limits are on by default; here a small device caps what it accepts.
  say('demo', bold('a device that accepts packets up to 1 KiB receives a 4 KiB camera frame:'));
  let refused: CodecError | undefined;
  const device = await DemoLink.connect(broker.tcpUrl, {
    clientId: 'small-device',
    maxPacketSize: 1024,
    onProtocolError(error) {
      refused = error;
    },
  });
  await device.subscribe('camera/#', 1);
  await sensors[1]!.link.publish('camera/frame', new Uint8Array(4096), 1);
  await waitFor(() => refused !== undefined, 5000);
  say(
    'device',
    yellow(
      `refused before buffering the body: ${refused?.code} (MQTT 5 reason 0x${refused?.reasonCode?.toString(16)}): ${refused?.message}`,
    ),
  );

  await Promise.all([dashboard.end(), ...sensors.map((s) => s.link.end())]);
  await broker.close();

  const lost = sent - received.length;
  const summary = `sent ${sent}, received ${received.length}, lost ${lost}`;
  say('summary', lost === 0 ? green(summary) : red(summary));
  return lost === 0 && refused?.code === 'MQTTKIT_ERR_PACKET_TOO_LARGE' ? 0 : 1;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return;
    await sleep(10);
  }
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
