/** The subscribe and publish forms: each runs one client operation and shows its result. */
import type { MqttClient, QoS } from '@mqttkit/client';
import { byId, errorText } from './dom.js';
import type { LogList } from './log.js';

const qosOf = (value: string): QoS => (value === '2' ? 2 : value === '1' ? 1 : 0);
const hex = (code: number): string => `0x${code.toString(16).padStart(2, '0')}`;

export function bindSubscribeForm(current: () => MqttClient | undefined): void {
  const form = byId<HTMLFormElement>('sub-form');
  const list = byId('subscriptions');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const client = current();
    if (!client) return;
    const filter = byId<HTMLInputElement>('sub-filter').value.trim();
    const qos = qosOf(byId<HTMLSelectElement>('sub-qos').value);
    const item = document.createElement('li');
    item.textContent = `${filter}: waiting for SUBACK…`;
    list.prepend(item);
    client.subscribe(filter, { qos }).then(
      ([result]) => {
        const code = result?.reasonCode ?? 0x80;
        // A refusal is a result (SUBACK 0x80 / 0x87), not an error.
        item.className = code >= 0x80 ? 'bad' : 'ok';
        item.textContent =
          code >= 0x80
            ? `${filter}: refused ${hex(code)}`
            : `${filter}: granted QoS ${result?.qos}`;
      },
      (error: unknown) => {
        item.className = 'bad';
        item.textContent = `${filter}: ${errorText(error)}`;
      },
    );
  });
}

export function bindPublishForm(current: () => MqttClient | undefined, messages: LogList): void {
  const form = byId<HTMLFormElement>('pub-form');
  const result = byId('pub-result');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const client = current();
    if (!client) return;
    const topic = byId<HTMLInputElement>('pub-topic').value.trim();
    const payload = byId<HTMLInputElement>('pub-payload').value;
    const qos = qosOf(byId<HTMLSelectElement>('pub-qos').value);
    const retain = byId<HTMLInputElement>('pub-retain').checked;
    messages.add(`${topic} = ${payload} (QoS ${qos}${retain ? ', retain' : ''}) sent`, 'out');
    result.className = 'result';
    result.textContent = `publishing to ${topic}…`;
    client.publish(topic, payload, { qos, retain }).then(
      (ack) => {
        const done = qos === 0 ? 'written' : qos === 1 ? 'PUBACK' : 'PUBCOMP';
        result.className = 'result ok';
        result.textContent = `${topic}: ${done}${ack.packetId ? ` (packet id ${ack.packetId})` : ''}`;
      },
      (error: unknown) => {
        result.className = 'result bad';
        result.textContent = `${topic}: ${errorText(error)}`;
      },
    );
  });
}
