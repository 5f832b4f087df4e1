import { createClient, type MqttClient, type MqttClientEvents } from '@mqttkit/client';
import {
  type AedesHandle,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  nextEvent,
  type StaticSite,
  serveStatic,
  skipWithoutChromium,
  startAedes,
} from '@mqttkit/testkit';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorker, type WorkerBuild } from './build-worker.js';

const noBrowser = skipWithoutChromium();
const STEP_MS = 10_000;
const TOPIC = 'runtimes/worker/echo';
const SENT = 'hello from worker \u{1F680}';

describe.skipIf(noBrowser)('@mqttkit/client inside a Web Worker in Chromium', () => {
  let broker: AedesHandle;
  let observer: MqttClient;
  let bundle: WorkerBuild;
  let site: StaticSite;
  let browser: Browser;

  beforeAll(async () => {
    broker = await startAedes({ ws: true });
    // A Node client watching the topic: proof that the worker's publish went through the broker.
    observer = createClient({ url: broker.url, protocolVersion: 4, clientId: 'worker-observer' });
    await observer.connect({ signal: AbortSignal.timeout(STEP_MS) });
    await observer.subscribe(TOPIC, { qos: 1 });
    bundle = await buildWorker();
    site = await serveStatic(bundle.dir);
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await observer?.end({ force: true });
    await broker?.close();
  });

  it('bundles the browser builds of the packages only, without a warning', () => {
    expect(bundle.warnings).toEqual([]);
    expect(bundle.inputs).toContain('../../packages/transport/dist/open-browser.js');
    // Nothing from node_modules: not the Node `ws` package, not mqtt-packet and its Node
    // dependencies (codec's browser build carries what it needs), no polyfill.
    expect(bundle.inputs.filter((file) => file.includes('node_modules/'))).toEqual([]);
  });

  it('round-trips a QoS 1 message over WebSocket (aedes, MQTT 3.1.1)', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.setDefaultTimeout(STEP_MS);
    try {
      const seen = nextEvent<MqttClientEvents, 'message'>(observer, 'message', {
        ms: STEP_MS,
        where: (message) => message.topic === TOPIC,
      });
      await page.goto(`${site.url}/?url=${encodeURIComponent(broker.wsUrl as string)}`);
      const output = page.locator('#result[data-state="done"]');
      await output.waitFor();
      const result = JSON.parse((await output.textContent()) ?? '{}');
      expect(result).toMatchObject({
        ok: true,
        engine: 'DedicatedWorkerGlobalScope',
        sent: SENT,
        received: SENT,
        qos: 1,
      });
      expect(new TextDecoder().decode((await seen).payload)).toBe(SENT);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
