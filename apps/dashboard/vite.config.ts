import { defineConfig } from 'vite';

// Defaults on purpose: no polyfills, aliases or `define`. The client's packages must bundle for
// browsers as they are (`@mqttkit/transport` and `@mqttkit/codec` pick their `browser` builds
// through their `exports`); needing any of those here would be a bug in a package.
export default defineConfig({});
