import { createContext, runInContext } from 'node:vm';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BROWSER_TRANSPORT, foreignFiles } from './bundle-inputs.js';
import { APP_DIR, REPO_DIR } from './paths.js';

/** An app importing all of the client, bundled as one script exposing it as `mqttkit`. */
function bundleApp(target: Pick<BuildOptions, 'platform' | 'conditions'>) {
  return build({
    ...target,
    stdin: { contents: "export * from '@mqttkit/client';", resolveDir: APP_DIR, loader: 'js' },
    absWorkingDir: REPO_DIR,
    // The repository's tsconfig maps @mqttkit/* to sources for development; an app sees the
    // published packages, so no tsconfig is read.
    tsconfigRaw: {},
    bundle: true,
    write: false,
    metafile: true,
    format: 'iife',
    globalName: 'mqttkit',
    logLevel: 'silent',
  });
}

/** The files esbuild put in the bundle, repository-relative. */
function inputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).filter((file) => file !== '<stdin>');
}

// Metro and other React Native bundlers resolve package exports with the `react-native`
// condition (plus import/require and default), never `browser`. esbuild stands in for them:
// a neutral platform reads `exports` only and has no Node built-ins to fall back on.
describe('@mqttkit/client resolved with the react-native condition', () => {
  it('bundles the browser builds only, exactly the files a browser bundle gets', async () => {
    const native = await bundleApp({ platform: 'neutral', conditions: ['react-native'] });
    const browser = await bundleApp({ platform: 'browser' });
    expect(native.warnings).toEqual([]);
    const files = inputs(native.metafile);
    expect(foreignFiles(files)).toEqual([]);
    expect(files).toContain(BROWSER_TRANSPORT);
    expect(files).toContain('packages/codec/dist/browser/client.js');
    expect([...files].sort()).toEqual(inputs(browser.metafile).sort());
  });

  it('loads and creates a client with no Node global and no Worker', async () => {
    const { outputFiles } = await bundleApp({ platform: 'neutral', conditions: ['react-native'] });
    // A context with the ECMAScript built-ins and nothing else but TextEncoder: no TextDecoder
    // (older React Native engines lack it), process, Buffer, global, window, self, document,
    // Worker, timers or WebSocket. Loading the bundle and creating a client must not need any of
    // them (timers, URL and WebSocket are read once the client connects, TextDecoder once a
    // received string is decoded; a Worker is never required).
    const host = createContext({ TextEncoder });
    runInContext(outputFiles[0]?.text ?? '', host);
    const { mqttkit } = host as { mqttkit?: { createClient?: unknown } };
    expect(typeof mqttkit?.createClient).toBe('function');
    const create = mqttkit?.createClient as (options: { url: string }) => { state: string };
    expect(create({ url: 'ws://127.0.0.1:1/mqtt' }).state).toBe('idle');
  });
});
