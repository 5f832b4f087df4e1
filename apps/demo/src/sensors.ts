import { createClient, type MqttClient, type QoS } from '@mqttkit/client';
import { say } from './output.js';
import type { Tally } from './tally.js';
import { sleep } from './wait.js';

const SENSORS: ReadonlyArray<{ name: string; qos: QoS; unit: string }> = [
  { name: 'temperature', qos: 0, unit: '°C' },
  { name: 'humidity', qos: 1, unit: '%' },
  { name: 'pressure', qos: 2, unit: 'hPa' },
];
const ROUNDS = 10;

export interface Sensor {
  readonly name: string;
  readonly qos: QoS;
  readonly client: MqttClient;
}

/** Connects the TCP sensors (aedes speaks MQTT 3.1.1). */
export async function connectSensors(url: string): Promise<Sensor[]> {
  const sensors = await Promise.all(
    SENSORS.map(async ({ name, qos }) => {
      const client = createClient({ url, protocolVersion: 4, clientId: `sensor-${name}` });
      await client.connect({ signal: AbortSignal.timeout(5000) });
      return { name, qos, client };
    }),
  );
  say('sensors', `${sensors.length} sensors connected over TCP, publishing at QoS 0, 1 and 2`);
  return sensors;
}

/**
 * Publishes ROUNDS readings per sensor. Each `publish` resolves when its QoS flow is complete:
 * once written (QoS 0), on PUBACK (QoS 1), on PUBCOMP (QoS 2).
 */
export async function publishReadings(sensors: readonly Sensor[], tally: Tally): Promise<number> {
  let completed = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    await Promise.all(
      sensors.map(async (sensor, i) => {
        const unit = SENSORS[i]?.unit ?? '';
        const payload = tally.label(`${(20 + Math.sin(round + i) * 5).toFixed(1)}${unit}`);
        const topic = `sensors/${sensor.name}`;
        tally.sent(topic, payload);
        await sensor.client.publish(topic, payload, { qos: sensor.qos });
        completed++;
      }),
    );
    await sleep(100); // paced like real sensors, so the output can be followed
  }
  say(
    'sensors',
    `${completed} publishes completed their QoS flows (PUBACK / PUBREC-PUBREL-PUBCOMP)`,
  );
  return completed;
}
