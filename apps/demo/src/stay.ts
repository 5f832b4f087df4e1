import type { MqttClient } from '@mqttkit/client';
import { bold, say } from './output.js';

const EVERY_MS = 2000;

/**
 * `--stay`: the broker keeps running for the browser dashboard, a sensor keeps publishing, and
 * what the page publishes under `dashboard/#` is printed. Resolves on Ctrl-C (SIGINT) or SIGTERM.
 */
export async function stayUp(
  wsUrl: string,
  sensor: MqttClient,
  listener: MqttClient,
): Promise<void> {
  await listener.subscribe('dashboard/#', { qos: 1 });
  say(
    'demo',
    bold(`the broker stays up on ${wsUrl}: run \`pnpm --filter @mqttkit/dashboard dev\``),
  );
  say('demo', 'and open the page it prints; Ctrl-C ends the demo');
  let n = 0;
  const timer = setInterval(() => {
    const reading = `${(20 + Math.sin(++n / 3) * 5).toFixed(1)}°C`;
    sensor.publish('sensors/temperature', reading).catch(() => {});
  }, EVERY_MS);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  say('demo', 'stopping');
}
