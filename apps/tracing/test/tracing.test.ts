// `pnpm tracing` as a user runs it (the built app): each sensor reading is one trace, printed as
// a tree, from the sensor's span through the worker's processing to the reply's arrival.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasMosquitto } from '@mqttkit/testkit';
import { beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [main, ...args], { timeout: 30_000 }, (_e, stdout) =>
      resolve({ code: child.exitCode, stdout }),
    );
  });
}

/** The span lines of each printed trace, without durations and ids. */
function trees(stdout: string): string[][] {
  const out: string[][] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('trace ')) out.push([]);
    else if (out.length > 0 && line.trim() !== '')
      out[out.length - 1]?.push(line.replace(/ [\d.]+ ms/, '').replace(/[0-9a-f]{12}/g, 'ID'));
  }
  return out;
}

beforeAll(() => {
  if (!existsSync(main))
    throw new Error('build the app first: pnpm --filter @mqttkit/tracing... build');
});

describe('pnpm tracing', () => {
  it.skipIf(!hasMosquitto)(
    'MQTT 5 through mosquitto: one tree per reading, reply included',
    async () => {
      const { code, stdout } = await run([]);
      expect(code).toBe(0);
      expect(stdout).toContain('sensor-2: 34 °C -> {"verdict":"too hot"}');
      const [first] = trees(stdout);
      expect(first).toEqual([
        '  sensor 1 reading [INTERNAL]',
        '  └─ send sensors/+/temp [PRODUCER]  client.id=sensor-1 destination.name=sensors/1/temp qos=1 reason_code=0',
        '     └─ process sensors/+/temp [CONSUMER]  client.id=worker-1 destination.name=sensors/1/temp consumer.group.name=workers qos=1',
        '        ├─ classify reading [INTERNAL]',
        '        └─ send mqttkit/responses/+ [PRODUCER]  client.id=worker-1 destination.name=mqttkit/responses/ID qos=1 reason_code=0',
        '           └─ process mqttkit/responses/+ [CONSUMER]  client.id=sensor-1 destination.name=mqttkit/responses/ID qos=1',
      ]);
      expect(trees(stdout)).toHaveLength(2);
    },
  );

  it('MQTT 3.1.1 through aedes: the JSON carrier makes the same tree', async () => {
    const { code, stdout } = await run(['--aedes']);
    expect(code).toBe(0);
    const all = trees(stdout);
    expect(all).toHaveLength(2);
    expect(all[1]?.map((l) => l.replace(/\s+client\.id.*$/, ''))).toEqual([
      '  sensor 2 reading [INTERNAL]',
      '  └─ send sensors/+/temp [PRODUCER]',
      '     └─ process sensors/+/temp [CONSUMER]',
      '        ├─ classify reading [INTERNAL]',
      '        └─ send sensors/+/replies [PRODUCER]',
      '           └─ process sensors/+/replies [CONSUMER]',
    ]);
  });
});
