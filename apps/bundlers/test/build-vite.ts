import { build, type Logger } from 'vite';
import { type BuildReport, repoPath } from './bundle-inputs.js';
import { APP_DIR, OUT_DIRS } from './paths.js';

/** A logger that keeps warnings and errors for the test instead of printing them. */
function collectingLogger(warnings: string[]): Logger {
  const logged = new WeakSet<object>();
  return {
    hasWarned: false,
    info() {},
    warn(msg) {
      this.hasWarned = true;
      warnings.push(msg);
    },
    warnOnce(msg) {
      if (!warnings.includes(msg)) this.warn(msg);
    },
    error(msg, options) {
      warnings.push(msg);
      if (options?.error) logged.add(options.error);
    },
    clearScreen() {},
    hasErrorLogged: (error) => logged.has(error),
  };
}

/**
 * `vite build` of apps/bundlers with no config file: index.html is the entry, every option is
 * Vite's default except where the output goes. Throws when the build fails.
 */
export async function buildWithVite(): Promise<BuildReport> {
  const warnings: string[] = [];
  // Vitest sets NODE_ENV=test and Vite keeps a NODE_ENV it finds. A shell running `vite build`
  // usually has none, and Vite then builds for production: build as that shell would.
  const nodeEnv = process.env.NODE_ENV;
  Reflect.deleteProperty(process.env, 'NODE_ENV');
  let result: Awaited<ReturnType<typeof build>>;
  try {
    result = await build({
      root: APP_DIR,
      configFile: false,
      customLogger: collectingLogger(warnings),
      build: { outDir: OUT_DIRS.vite, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) Reflect.deleteProperty(process.env, 'NODE_ENV');
    else process.env.NODE_ENV = nodeEnv;
  }
  const outputs = Array.isArray(result) ? result : [result];
  const modules = new Set<string>();
  for (const output of outputs) {
    if (!('output' in output)) throw new Error('vite build unexpectedly started a watcher');
    for (const chunk of output.output) {
      if (chunk.type === 'chunk') for (const id of chunk.moduleIds) modules.add(id);
    }
  }
  return { dir: OUT_DIRS.vite, modules: [...modules].map(repoPath), warnings };
}
