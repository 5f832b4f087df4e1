// What a user installing the published packages gets, checked on the packed tarballs (the
// workspace links and `paths` hide every packaging mistake). Run after `pnpm build`:
//   node scripts/check-packed.mjs
// 1. `pnpm pack` every published package (workspace:^ becomes a version) into a temporary folder;
// 2. publint and @arethetypeswrong/cli on every tarball (attw: node10, node16 from CommonJS,
//    node16 from ESM, bundler);
// 3. a fresh npm project installs all the tarballs (npm fetches only their third-party
//    dependencies, mqtt-packet and ws, from the registry);
// 4. a CommonJS consumer: packed-consumer/round-trip.ts compiled as a .cts by tsc `node16` in a
//    `"type": "commonjs"` folder and run, plus require() and import() of every entry point giving
//    the same exports (packed-consumer/same-instance.cjs);
// 5. an ESM consumer: the same file as a .mts, compiled by tsc `nodenext` and run, and
//    typechecked under `bundler`;
// 6. the `mqttkit` bin answers --help; every source map of the tarballs resolves its sources.
// Any failure throws: the process exits non-zero with the step's output above it.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const consumerSources = join(root, 'scripts', 'packed-consumer');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const started = Date.now();

function step(title) {
  console.log(`\n--- ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function run(command, args, cwd) {
  execFileSync(command, args, { cwd, stdio: 'inherit' });
}

/** Runs quietly; the output is shown only when the command fails. */
function runQuiet(command, args, cwd) {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    process.stdout.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw error;
  }
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The packages a user installs: every non-private package of packages/. */
const published = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter(
    (dir) => existsSync(join(dir, 'package.json')) && !readJson(join(dir, 'package.json')).private,
  )
  .map((dir) => ({ dir, manifest: readJson(join(dir, 'package.json')) }));

/** `@mqttkit/codec`, `@mqttkit/codec/client`, ...: every exported subpath but package.json. */
function entryPoints({ manifest }) {
  return Object.keys(manifest.exports ?? {})
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`));
}

const work = mkdtempSync(join(tmpdir(), 'mqttkit-packed-'));
try {
  step('pack');
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const { dir, manifest } of published) {
    if (!existsSync(join(dir, 'dist')))
      throw new Error(`${manifest.name} is not built: run pnpm build first`);
    const output = runQuiet(
      'npx',
      ['-y', 'pnpm@10.34.8', 'pack', '--pack-destination', tarballs],
      dir,
    );
    console.log(output.trim().split('\n').at(-1));
  }
  const files = readdirSync(tarballs).map((name) => join(tarballs, name));

  step('publint');
  for (const file of files) run(bin('publint'), ['run', file, '--strict'], root);

  step('@arethetypeswrong/cli');
  for (const { manifest } of published) {
    if (entryPoints({ manifest }).length === 0) continue; // the CLI: a bin, nothing to import
    const file = files.find((path) =>
      path.includes(`${manifest.name.slice(1).replace('/', '-')}-`),
    );
    run(bin('attw'), [file, '--format', 'table-flipped'], root);
  }

  step('npm install of the tarballs into a fresh project');
  const project = join(work, 'project');
  mkdirSync(project);
  runQuiet('npm', ['init', '-y'], project);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], project);
  for (const { manifest } of published) {
    const installed = readJson(join(project, 'node_modules', manifest.name, 'package.json'));
    if (installed.description !== manifest.description) {
      throw new Error(`${manifest.name} was not installed from its tarball`);
    }
  }

  // Our declarations are checked too (skipLibCheck off). @types/node comes from the workspace,
  // as any TypeScript project on Node installs it; nothing of ours does.
  const compilerOptions = {
    strict: true,
    skipLibCheck: false,
    target: 'ES2022',
    lib: ['ES2022'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
  };
  const specifiers = published.flatMap(entryPoints);

  step('CommonJS consumer: tsc node16 in a "type": "commonjs" package, then require()');
  const cjs = join(project, 'cjs');
  mkdirSync(cjs);
  writeJson(join(cjs, 'package.json'), { type: 'commonjs' });
  copyFileSync(join(consumerSources, 'round-trip.ts'), join(cjs, 'check.cts'));
  copyFileSync(join(consumerSources, 'same-instance.cjs'), join(cjs, 'same-instance.cjs'));
  writeJson(join(cjs, 'tsconfig.json'), {
    compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16' },
    files: ['check.cts'],
  });
  run(bin('tsc'), ['-p', 'tsconfig.json'], cjs);
  run('node', ['check.cjs'], cjs);
  run('node', ['same-instance.cjs', ...specifiers], cjs);

  step('ESM consumer: tsc nodenext, then import; typechecked under bundler too');
  const esm = join(project, 'esm');
  mkdirSync(esm);
  writeJson(join(esm, 'package.json'), { type: 'module' });
  copyFileSync(join(consumerSources, 'round-trip.ts'), join(esm, 'check.mts'));
  writeJson(join(esm, 'tsconfig.json'), {
    compilerOptions: { ...compilerOptions, module: 'nodenext', moduleResolution: 'nodenext' },
    files: ['check.mts'],
  });
  writeJson(join(esm, 'tsconfig.bundler.json'), {
    compilerOptions: {
      ...compilerOptions,
      module: 'esnext',
      moduleResolution: 'bundler',
      noEmit: true,
    },
    files: ['check.mts'],
  });
  run(bin('tsc'), ['-p', 'tsconfig.json'], esm);
  run(bin('tsc'), ['-p', 'tsconfig.bundler.json'], esm);
  run('node', ['check.mjs'], esm);

  step('the mqttkit bin');
  run(join(project, 'node_modules', '.bin', 'mqttkit'), ['--help'], project);

  step('source maps resolve from the installed tarballs');
  let maps = 0;
  for (const { manifest } of published) {
    const dir = join(project, 'node_modules', manifest.name);
    for (const map of listFiles(dir).filter((path) => path.endsWith('.map'))) {
      const { sources, sourcesContent, sourceRoot = '' } = readJson(map);
      sources.forEach((source, index) => {
        const path = resolve(dirname(map), sourceRoot, source);
        if (sourcesContent?.[index] == null && !existsSync(path)) {
          throw new Error(`${map}: source ${source} is neither shipped nor inlined`);
        }
      });
      maps++;
    }
  }
  console.log(`${maps} source maps, every source found`);

  step(`packed packages: ok`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Every file under dir, node_modules excluded. */
function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    if (item.name === 'node_modules') return [];
    const path = join(dir, item.name);
    return item.isDirectory() ? listFiles(path) : [path];
  });
}
