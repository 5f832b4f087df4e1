import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InflightEntry } from '@mqttkit/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore, type FsyncPolicy } from '../src/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqttkit-store-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const publish = (id: number, body: string, qos: 1 | 2 = 1): InflightEntry => ({
  kind: 'publish',
  packet: {
    cmd: 'publish',
    topic: `t/${id}`,
    payload: new TextEncoder().encode(body),
    qos,
    retain: false,
    dup: false,
    packetId: id,
  },
});

describe('createFileStore', () => {
  for (const fsync of ['always', 'interval', 'never'] as FsyncPolicy[]) {
    it(`replays puts, replaces and deletes in send order after reopening (fsync ${fsync})`, async () => {
      const path = join(dir, 'inflight.log');
      const a = await createFileStore({ path, fsync, fsyncIntervalMs: 10 });
      await a.put(7, publish(7, 'seven', 2));
      await a.put(3, publish(3, 'three'));
      await a.put(9, publish(9, 'nine'));
      // A QoS 2 flow past PUBREC keeps its place [MQTT-4.6.0-1].
      await a.put(7, { kind: 'pubrel', packetId: 7 });
      await a.delete(3);
      await a.delete(3); // a duplicate ack is not an error
      // What the OS holds once the promise resolved is what a SIGKILL leaves behind.
      const b = await createFileStore({ path });
      expect(await b.entries()).toEqual([
        [7, { kind: 'pubrel', packetId: 7 }],
        [9, publish(9, 'nine')],
      ]);
      await a.close();
      await b.close();
    });
  }

  it('keeps payload and property bytes exactly', async () => {
    const path = join(dir, 'bytes.log');
    const store = await createFileStore({ path });
    const payload = new Uint8Array(256).map((_, i) => i);
    const entry: InflightEntry = {
      kind: 'publish',
      packet: {
        cmd: 'publish',
        topic: 'bin',
        payload,
        qos: 2,
        retain: true,
        dup: false,
        packetId: 65_535,
        properties: {
          correlationData: new Uint8Array([0, 255, 1]),
          userProperties: { a: ['1', '2'] },
          messageExpiryInterval: 60,
        },
      },
    };
    await store.put(65_535, entry);
    await store.close();
    const again = await createFileStore({ path });
    const [[id, got]] = (await again.entries()) as [[number, InflightEntry]];
    expect(id).toBe(65_535);
    expect(got).toEqual(entry);
    if (got.kind !== 'publish') throw new Error('expected a publish');
    expect(got.packet.payload).toBeInstanceOf(Uint8Array);
    expect([...got.packet.payload]).toEqual([...payload]);
    await again.close();
  });

  it('clear() empties the store across reopening', async () => {
    const path = join(dir, 'clear.log');
    const store = await createFileStore({ path });
    await store.put(1, publish(1, 'x'));
    await store.clear();
    await store.put(2, publish(2, 'y'));
    await store.close();
    const again = await createFileStore({ path });
    expect((await again.entries()).map(([id]) => id)).toEqual([2]);
    await again.close();
  });

  it('drops a torn last record left by a crash and appends after the last whole one', async () => {
    const path = join(dir, 'torn.log');
    const store = await createFileStore({ path });
    await store.put(1, publish(1, 'kept'));
    await store.close();
    await appendFile(path, '{"op":"put","id":2,"entry":{"kind":"pub'); // died mid-append
    const again = await createFileStore({ path });
    expect((await again.entries()).map(([id]) => id)).toEqual([1]);
    await again.put(3, publish(3, 'after'));
    await again.close();
    const third = await createFileStore({ path });
    expect((await third.entries()).map(([id]) => id)).toEqual([1, 3]);
    await third.close();
  });

  it('refuses a log damaged before its last record', async () => {
    const path = join(dir, 'corrupt.log');
    await writeFile(path, 'garbage\n{"op":"del","id":1}\n');
    await expect(createFileStore({ path })).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_FILE_STORE_CORRUPT',
      line: 1,
    });
  });

  it('compacts the log to the live entries, automatically and on demand', async () => {
    const path = join(dir, 'compact.log');
    const store = await createFileStore({ path, compactAfter: 50, fsync: 'never' });
    for (let round = 0; round < 20; round++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.put(i + 1, publish(i + 1, `r${round}`))),
      );
      await Promise.all(Array.from({ length: 10 }, (_, i) => store.delete(i + 1)));
    }
    await store.put(42, publish(42, 'live'));
    await store.flush();
    // 401 records were issued; with compaction at most ~50 dead ones remain.
    const lines = (await readFile(path, 'utf8')).split('\n').length - 1;
    expect(lines).toBeLessThanOrEqual(52);
    await store.compact();
    expect((await readFile(path, 'utf8')).split('\n').length - 1).toBe(1);
    await store.close();
    const again = await createFileStore({ path });
    expect((await again.entries()).map(([id]) => id)).toEqual([42]);
    expect(again.size).toBe(1);
    await again.close();
    await expect(stat(`${path}.tmp`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('group-commits concurrent puts and resolves each only once written', async () => {
    const path = join(dir, 'group.log');
    const store = await createFileStore({ path, fsync: 'always' });
    await Promise.all(
      Array.from({ length: 500 }, (_, i) => store.put(i + 1, publish(i + 1, `m${i}`))),
    );
    const text = await readFile(path, 'utf8');
    expect(text.split('\n').length - 1).toBe(500);
    await store.close();
  });

  it('rejects bad entries, bad options and use after close with typed errors', async () => {
    const path = join(dir, 'errors.log');
    const store = await createFileStore({ path });
    await expect(store.put(0, publish(0, 'x'))).rejects.toBeInstanceOf(RangeError);
    await expect(store.put(2, publish(3, 'x'))).rejects.toBeInstanceOf(RangeError);
    await store.close();
    await expect(store.put(1, publish(1, 'x'))).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_FILE_STORE_CLOSED',
    });
    await expect(store.entries()).rejects.toMatchObject({ code: 'MQTTKIT_ERR_FILE_STORE_CLOSED' });
    await expect(
      createFileStore({ path, fsync: 'sometimes' as FsyncPolicy }),
    ).rejects.toMatchObject({ code: 'MQTTKIT_ERR_FILE_STORE_OPTION', option: 'fsync' });
    await expect(createFileStore({ path: '' })).rejects.toMatchObject({ option: 'path' });
    await expect(createFileStore({ path: join(dir, 'missing', 'x.log') })).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_FILE_STORE_IO',
    });
  });
});
