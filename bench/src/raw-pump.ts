// The raw publisher at QoS 1 and 2: one pre-encoded PUBLISH whose two packet-id bytes are patched
// per copy, written in blocks, with at most `window` flows unfinished (not yet PUBACK/PUBCOMP),
// the bound the client cases get from `pump.ts`. A packet id is reused only once its flow ended.
import { encode } from '@mqttkit/codec';
import { type AckListener, type RawConn, TYPES } from './raw.js';

/** A PUBLISH with packet id 1, and where in it the id sits. */
function template(
  topic: string,
  payload: Uint8Array,
  qos: 1 | 2,
  protocolVersion: 4 | 5,
): { frame: Buffer; idAt: number } {
  const frame = Buffer.from(
    encode(
      { cmd: 'publish', topic, payload, qos, packetId: 1, retain: false, dup: false },
      { protocolVersion },
    ),
  );
  let i = 1;
  while ((frame[i] as number) & 0x80) i++;
  const idAt = i + 1 + 2 + frame.readUInt16BE(i + 1);
  if (frame.readUInt16BE(idAt) !== 1) throw new Error('raw pump: packet id not where expected');
  return { frame, idAt };
}

/** Resolves when `n` flows ended; rejects on a refused one or an ack for no open flow. */
export function rawPumpAcked(
  conn: Pick<RawConn, 'socket' | 'onAcks'>,
  topic: string,
  payload: Uint8Array,
  qos: 1 | 2,
  n: number,
  window: number,
  protocolVersion: 4 | 5 = 5,
): Promise<void> {
  const { frame, idAt } = template(topic, payload, qos, protocolVersion);
  const ending = qos === 1 ? TYPES.PUBACK : TYPES.PUBCOMP;
  // Ids 1..window: enough, since at most `window` flows are open at once.
  const free: number[] = [];
  for (let id = window; id >= 1; id--) free.push(id);
  const open = new Uint8Array(window + 1);
  let sent = 0;
  let done = 0;
  let waitingForDrain = false;
  let failed = false;

  return new Promise<void>((resolve, reject) => {
    const fail = (message: string): void => {
      if (failed) return;
      failed = true;
      conn.onAcks(undefined);
      reject(new Error(`raw QoS ${qos} ${topic}: ${message}`));
    };
    const fill = (): void => {
      const count = Math.min(n - sent, free.length);
      if (waitingForDrain || failed || count === 0) return;
      const block = Buffer.allocUnsafe(count * frame.length);
      for (let k = 0, at = 0; k < count; k++, at += frame.length) {
        const id = free.pop() as number;
        open[id] = 1;
        frame.copy(block, at);
        block.writeUInt16BE(id, at + idAt);
      }
      sent += count;
      if (conn.socket.write(block)) return;
      waitingForDrain = true;
      conn.socket.once('drain', () => {
        waitingForDrain = false;
        fill();
      });
    };
    const listener: AckListener = {
      ack(type, id, reason) {
        if (reason >= 0x80) return fail(`flow ${id} refused with reason ${reason}`);
        if (type !== ending) return;
        if (open[id] !== 1) return fail(`ack for packet id ${id}, which has no open flow`);
        open[id] = 0;
        free.push(id);
        done++;
      },
      flush() {
        if (failed) return;
        if (done === n) {
          conn.onAcks(undefined);
          resolve();
          return;
        }
        fill();
      },
    };
    conn.onAcks(listener);
    fill();
  });
}
