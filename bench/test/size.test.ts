/**
 * CI side of `pnpm size`: the browser bundles of the built packages must hold no Node built-in
 * or polyfill and the whole client's bundle must stay within the gzip budget. Needs `pnpm build`
 * first (root `pnpm test` builds before testing); fails with that instruction otherwise.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BUDGET_GZIP_BYTES,
  CLIENT,
  COMBINED,
  forbiddenInputs,
  MQTTKIT_ENTRIES,
  measure,
  packageOf,
  runSizeCheck,
} from '../src/size-check.js';

const codecDir = join(dirname(fileURLToPath(import.meta.url)), '../../packages/codec');

describe('browser size check', () => {
  it('bundles the client and every layer without Node built-ins or polyfills, within the budget', async () => {
    const report = await runSizeCheck();
    expect(report.problems).toEqual([]);
    expect(report.rows.map((r) => r.name)).toEqual(MQTTKIT_ENTRIES.map((e) => e.name));
    for (const r of report.rows) {
      expect(r.forbidden).toEqual([]);
      expect(r.gzipped).toBeGreaterThan(0);
      expect(r.gzipped).toBeLessThan(r.minified);
    }
    // The enforced ceiling is on the whole client, which holds every layer (and the browser
    // transport); issue 10's 30 KB goal is not met yet, see bench/README.md.
    expect(report.client.name).toBe(CLIENT);
    expect(report.client.gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    expect(report.combined.name).toBe(COMBINED);
    expect(report.client.gzipped).toBeGreaterThan(report.combined.gzipped);
    for (const layer of ['client', 'codec', 'transport', 'keepalive', 'state']) {
      expect(
        report.client.kept.some((i) => i.startsWith(`packages/${layer}/dist/`)),
        layer,
      ).toBe(true);
    }
    expect(report.client.inputs).toContain('packages/transport/dist/open-browser.js');
    expect(report.client.inputs.filter((i) => /transport\/dist\/(tcp|tls)\.js$/.test(i))).toEqual(
      [],
    );
    // The codec really is the browser build (mqtt-packet inlined with shims), from dist/.
    const codec = report.rows.find((r) => r.name === '@mqttkit/codec');
    expect(codec?.inputs.length).toBeGreaterThan(5);
    for (const i of codec?.inputs ?? []) expect(i).toMatch(/^packages\/codec\/dist\/browser\//);
    // sideEffects: false and one file per module: a single helper does not drag in mqtt-packet.
    const one = report.rows.find((r) => r.name.includes('validateTopic only'));
    expect([...(one?.kept ?? [])].sort()).toEqual(
      [
        'packages/codec/dist/browser/model/topic.js',
        'packages/codec/dist/browser/model/errors.js',
        'packages/codec/dist/browser/model/utf8.js',
      ].sort(),
    );
    expect(one?.gzipped).toBeLessThan(2_000);
    // An app importing only @mqttkit/keepalive pays for keepalive alone.
    const keepalive = report.rows.find((r) => r.name === '@mqttkit/keepalive');
    expect(keepalive?.kept.length).toBeGreaterThan(0);
    for (const i of keepalive?.inputs ?? []) expect(i).toMatch(/^packages\/keepalive\/dist\//);
    expect(keepalive?.gzipped).toBeLessThan(report.combined.gzipped / 5);
    // mqtt-packet's share is measured by replacing its built file: the replacement took effect
    // (the bundle lost several KB) and nothing else was dropped with it (every layer is kept).
    const rest = report.withoutMqttPacket;
    expect(rest.inputs).toEqual(report.client.inputs);
    expect(rest.gzipped).toBeLessThan(report.client.gzipped - 3_000);
    expect(rest.gzipped).toBeGreaterThan(report.combined.gzipped - 7_000);
    for (const layer of ['client', 'codec', 'transport', 'keepalive', 'state']) {
      expect(rest.kept.some((i) => i.startsWith(`packages/${layer}/dist/`))).toBe(true);
    }
    // The reference is measured in the same run, and it is the file the issue talks about.
    expect(report.reference.inputs.some((i) => i.endsWith('mqtt/dist/mqtt.esm.js'))).toBe(true);
    expect(report.reference.gzipped).toBeGreaterThan(report.client.gzipped * 2);
  }, 60_000);

  it('flags what mqtt-packet pulls in when bundled as it stands (the check can fail)', async () => {
    const raw = await measure({
      name: 'mqtt-packet as published',
      imports: ['mqtt-packet/parser.js', 'mqtt-packet/generate.js'],
      resolveDir: codecDir,
    });
    const pkgs = new Set(raw.forbidden.map(packageOf));
    for (const name of ['readable-stream', 'buffer', 'events', 'debug']) {
      expect(pkgs, `${name} should be flagged`).toContain(name);
    }
  }, 60_000);

  it('names the package of an input path, scoped, nested or namespaced', () => {
    expect(packageOf('node_modules/.pnpm/bl@6.1.6/node_modules/bl/BufferList.js')).toBe('bl');
    expect(packageOf('node_modules/.pnpm/x/node_modules/@scope/pkg/a/b.js')).toBe('@scope/pkg');
    expect(packageOf('(disabled):node_modules/ws/index.js')).toBe('ws');
    expect(packageOf('(disabled):fs')).toBe('fs');
    expect(packageOf('packages/codec/dist/browser.js')).toBeUndefined();
    const meta = {
      inputs: {
        'packages/state/dist/index.js': { bytes: 1, imports: [] },
        'node_modules/.pnpm/events@3.3.0/node_modules/events/events.js': { bytes: 1, imports: [] },
      },
      outputs: {
        'out.js': {
          bytes: 1,
          inputs: {},
          imports: [{ path: 'node:net', kind: 'import-statement' as const, external: true }],
          exports: [],
        },
      },
    };
    expect(forbiddenInputs(meta)).toEqual([
      'node_modules/.pnpm/events@3.3.0/node_modules/events/events.js',
      'external:node:net',
    ]);
  });
});
