// Tests import sibling packages from source, so `vitest run` needs no build step.
// Published packages resolve through their `exports` maps to `dist/` instead.
import { fileURLToPath } from 'node:url';

const pkg = (path) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

// A subpath comes before its package: an alias also matches `<name>/...`, first match wins.
export const workspaceAlias = {
  '@mqttkit/codec/client': pkg('codec/src/client.ts'),
  '@mqttkit/codec': pkg('codec/src/index.ts'),
  '@mqttkit/transport': pkg('transport/src/index.ts'),
  '@mqttkit/keepalive': pkg('keepalive/src/index.ts'),
  '@mqttkit/state': pkg('state/src/index.ts'),
  '@mqttkit/testkit': pkg('testkit/src/index.ts'),
  '@mqttkit/client': pkg('client/src/index.ts'),
  '@mqttkit/store-file': pkg('store-file/src/index.ts'),
  '@mqttkit/otel': pkg('otel/src/index.ts'),
};
