import { type CloseReason, createClient, type MqttClient } from '@mqttkit/client';
import { bold, say, yellow } from './output.js';
import { waitFor } from './wait.js';

const LIMIT = 1024;
const FRAME = 4096;

/**
 * A small device caps the packets it accepts (`maxPacketSize`); a 4 KiB camera frame arrives. The
 * decoder refuses it from the fixed header alone, before buffering the body, and the client closes
 * with a typed reason: `protocol-violation` 0x95 Packet too large [MQTT-3.1.2-24]. Such a close
 * does not reconnect: the same packet would come again.
 */
export async function showPacketSizeRefusal(
  url: string,
  publisher: MqttClient,
): Promise<CloseReason | undefined> {
  say('demo', bold(`a device that accepts packets up to 1 KiB receives a 4 KiB camera frame:`));
  const device = createClient({
    url,
    protocolVersion: 4,
    clientId: 'small-device',
    maxPacketSize: LIMIT,
  });
  let refusal: CloseReason | undefined;
  device.on('close', (reason) => {
    refusal = reason;
  });
  await device.connect({ signal: AbortSignal.timeout(5000) });
  await device.subscribe('camera/#', { qos: 1 });
  await publisher.publish('camera/frame', new Uint8Array(FRAME), { qos: 1 });
  await waitFor(() => refusal !== undefined, 5000);
  if (refusal?.type === 'protocol-violation') {
    const code = `0x${refusal.reasonCode.toString(16)}`;
    say(
      'device',
      yellow(
        `refused before buffering the body: close reason ${refusal.type} ${code} (${refusal.message}), willReconnect ${refusal.willReconnect}`,
      ),
    );
  } else {
    say('device', yellow(`expected a packet-size refusal, got ${refusal?.type ?? 'nothing'}`));
  }
  await device.end();
  return refusal;
}
