import { hasMosquitto, type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CodeBlock,
  extractBlocks,
  isCheckedLang,
  projectBlocks,
} from '../docs-examples/blocks.js';
import { pointAtBroker, runBlock } from '../docs-examples/run.js';
import { typecheckBlocks } from '../docs-examples/typecheck.js';
import { repositoryRoot } from '../docs-examples/workspace.js';

const checked = projectBlocks(repositoryRoot).filter(
  (block) => isCheckedLang(block.lang) && block.notChecked === undefined,
);
const running = checked.filter((block) => block.runs);

describe('code blocks of the READMEs and docs/', () => {
  it('typecheck under the strict options, each ts/js block not marked "not checked"', () => {
    expect(checked.length).toBeGreaterThan(10);
    expect(typecheckBlocks(checked)).toEqual([]);
  }, 120_000);

  it("run the main examples: the README's, the client README's, the migration guide's", () => {
    const files = new Set(running.map((block) => block.file));
    expect(files).toContain('README.md');
    expect(files).toContain('packages/client/README.md');
    expect(files).toContain('docs/migrating-from-mqttjs.md');
  });

  it('reads the markers before a block', () => {
    const md = [
      'text',
      '<!-- not checked: a summary -->',
      '',
      '```ts',
      'f(',
      '```',
      '<!-- runs against the test broker, prints: hello -->',
      '  ```js',
      '  console.log("hello");',
      '  ```',
      '```sh',
      'ls',
      '```',
    ].join('\n');
    const blocks = extractBlocks('x.md', md);
    expect(blocks.map((b: CodeBlock) => [b.lang, b.line, b.notChecked, b.runs, b.prints])).toEqual([
      ['ts', 5, 'a summary', false, undefined],
      ['js', 9, undefined, true, 'hello'],
      ['sh', 12, undefined, false, undefined],
    ]);
    expect(blocks[1]?.code).toBe('console.log("hello");\n');
  });

  it('points every quoted mqtt: URL of a block that runs at the test broker', () => {
    const code = `connect('mqtt://broker:1883'); x("mqtts://a.example"); y('ws://127.0.0.1:9001/mqtt');`;
    expect(pointAtBroker(code, 'mqtt://127.0.0.1:5555')).toBe(
      `connect('mqtt://127.0.0.1:5555'); x("mqtt://127.0.0.1:5555"); y('ws://127.0.0.1:9001/mqtt');`,
    );
  });
});

// MQTT 5 examples: mosquitto (aedes speaks 3.1.1 only).
describe.skipIf(!hasMosquitto)('the examples marked to run, against mosquitto', () => {
  let broker: MosquittoHandle;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.close();
  });

  for (const block of running) {
    it(`${block.file}:${block.line}`, async () => {
      const result = await runBlock(block, broker.url);
      expect(result.problem).toBe('');
    }, 30_000);
  }
});
