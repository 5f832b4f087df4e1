import { copyFile } from 'node:fs/promises';
import webpack from 'webpack';
import { type BuildReport, repoPath } from './bundle-inputs.js';
import { APP_DIR, OUT_DIRS } from './paths.js';

function run(compiler: webpack.Compiler): Promise<webpack.Stats> {
  return new Promise((resolve, reject) => {
    compiler.run((runError, stats) => {
      compiler.close((closeError) => {
        const error = runError ?? closeError;
        if (error) reject(error);
        else if (!stats) reject(new Error('webpack returned no stats'));
        else resolve(stats);
      });
    });
  });
}

/**
 * Every module webpack built, as files (or identifiers, for modules that are not files),
 * including the modules production mode concatenated into one and those it then dropped.
 */
function builtModules(stats: webpack.Stats): string[] {
  const { modules = [] } = stats.toJson({
    all: false,
    modules: true,
    nestedModules: true,
    orphanModules: true,
    modulesSpace: Number.POSITIVE_INFINITY,
    nestedModulesSpace: Number.POSITIVE_INFINITY,
  });
  const files = new Set<string>();
  const visit = (list: webpack.StatsModule[]): void => {
    for (const module of list) {
      // webpack's own runtime code; the one piece of it that is a Node shim is checked apart.
      if (module.moduleType === 'runtime') continue;
      if (module.modules) visit(module.modules);
      else if (module.nameForCondition) files.add(repoPath(module.nameForCondition));
      else files.add(module.identifier ?? module.name ?? JSON.stringify(module));
    }
  };
  visit(modules);
  return [...files];
}

/** The runtime module webpack adds when code reads Node's `global`. */
const NODE_GLOBAL_SHIM = 'webpack/runtime/global';

/**
 * Code reading Node's `global` does not fail the build: webpack 5 adds a runtime shim for it
 * (its `node.global` default). That shim is a Node polyfill too, so it is reported as a module.
 */
function usesNodeGlobal(compilation: webpack.Compilation): boolean {
  for (const chunk of compilation.chunks) {
    const required = compilation.chunkGraph.getTreeRuntimeRequirements(chunk);
    if (required.has(webpack.RuntimeGlobals.global)) return true;
  }
  return false;
}

/**
 * webpack 5 with the smallest config: production mode, the entry and where the output goes.
 * No resolve.fallback, no ProvidePlugin or DefinePlugin, no alias, no loader. webpack 5 brings
 * no Node polyfills, so a Node built-in reached from the browser graph is a build error, which
 * this throws; warnings are returned for the test to check. webpack writes no HTML by default,
 * so the page (webpack.html, one script tag) is copied next to the bundle.
 */
export async function buildWithWebpack(): Promise<BuildReport> {
  const compiler = webpack({
    mode: 'production',
    context: APP_DIR,
    entry: './src/main.js',
    output: { path: OUT_DIRS.webpack, clean: true },
  });
  const stats = await run(compiler);
  if (stats.hasErrors()) {
    throw new Error(`webpack build failed:\n${stats.toString({ all: false, errors: true })}`);
  }
  const modules = builtModules(stats);
  if (usesNodeGlobal(stats.compilation)) modules.push(NODE_GLOBAL_SHIM);
  await copyFile(`${APP_DIR}webpack.html`, `${OUT_DIRS.webpack}/index.html`);
  return {
    dir: OUT_DIRS.webpack,
    modules,
    warnings: stats.compilation.getWarnings().map((warning) => warning.message),
  };
}
