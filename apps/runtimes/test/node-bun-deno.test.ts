import { hasMosquitto, type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from './paths.js';
import { BUN, DENO, DENO_RUN, NODE_22, runScript } from './runtime-binaries.js';

const RUN_MS = 15_000;
const CLI = `${FIXTURES_DIR}cli.js`;

// Node too: the same script, run by the Node running the tests, proves the fixture itself.
const RUNTIMES = [
  { name: 'node', engine: /^Node v\d+\.\d+\.\d+/, file: process.execPath, args: [] as string[] },
  ...(NODE_22 ? [{ name: 'node22', engine: /^Node v22\.\d+\.\d+/, file: NODE_22, args: [] }] : []),
  { name: 'bun', engine: /^Bun \d+\.\d+\.\d+/, file: BUN, args: [] },
  { name: 'deno', engine: /^Deno \d+\.\d+\.\d+/, file: DENO, args: DENO_RUN },
];

describe.skipIf(!hasMosquitto)(
  'a script importing @mqttkit/client, run by Node, Bun and Deno',
  () => {
    let broker: MosquittoHandle;

    beforeAll(async () => {
      broker = await startMosquitto();
    });

    afterAll(async () => {
      await broker?.close();
    });

    it.each(RUNTIMES)(
      '$name: QoS 1 publish/subscribe round trip against mosquitto (MQTT 5)',
      async ({ name, engine, file, args }) => {
        const run = await runScript(file, [...args, CLI, broker.url, name], RUN_MS);
        const lines = run.stdout.trim().split('\n');
        const result = JSON.parse(lines.at(-1) || '{}');
        expect(result, `stderr: ${run.stderr}`).toMatchObject({
          ok: true,
          sent: `hello from ${name} \u{1F680}`,
          received: `hello from ${name} \u{1F680}`,
          qos: 1,
        });
        expect(result.engine).toMatch(engine);
        expect(run.code).toBe(0);
      },
    );

    // The Node 22 binary is an optional dependency for Linux x64: there, it must have been installed.
    it.runIf(process.platform === 'linux' && process.arch === 'x64')(
      'has Node 22 on Linux x64',
      () => {
        expect(NODE_22).toBeDefined();
      },
    );

    it('reports a failed round trip: exit code 1 and the error, with nothing listening', async () => {
      await broker.stop();
      try {
        const run = await runScript(BUN, [CLI, broker.url, 'bun', '300'], RUN_MS);
        expect(run.code).toBe(1);
        expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: expect.any(String) });
      } finally {
        await broker.start();
      }
    });
  },
);
