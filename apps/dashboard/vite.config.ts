import { defineConfig } from 'vite';

// Defaults on purpose: no polyfills, aliases or `define`. The client's packages must bundle for
// browsers as they are (`@mqttkit/transport` and `@mqttkit/codec` pick their `browser` builds
// through their `exports`); needing any of those here would be a bug in a package.
// The one setting: the dashboard's diagram loads ELK (elkjs, 1.6 MB of compiled Java) as a chunk
// of its own, above Vite's default 500 kB warning.
export default defineConfig({ build: { chunkSizeWarningLimit: 1700 } });
