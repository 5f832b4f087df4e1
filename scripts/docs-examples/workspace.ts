/**
 * The folder where the examples are written as modules, with a tsconfig that resolves
 * `@mqttkit/*` to the packages' sources (the paths of tsconfig.base.json), so neither the
 * typecheck nor a run needs a build, `mqtt` to the MQTT.js the benchmarks compare against
 * (the migration guide shows both), and `@opentelemetry/*` to the SDK `@mqttkit/otel` is tested
 * with. The folder is ignored by git.
 */
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeBlock } from './blocks.js';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
export const examplesDir = join(repositoryRoot, '.docs-examples');

const TSCONFIG = {
  extends: '../tsconfig.base.json',
  compilerOptions: {
    types: ['node'],
    noEmit: true,
    // Examples may show a value without using it.
    noUnusedLocals: false,
    noUnusedParameters: false,
  },
  include: ['*.ts'],
};

/** The module name of a block: its Markdown file and line, so an error points back to it. */
export function moduleName(block: CodeBlock): string {
  return `${block.file.replace(/[^A-Za-z0-9]+/g, '_')}_L${block.line}.ts`;
}

/** Source of the module for a block: a script without import or export becomes a module. */
export function moduleSource(code: string): string {
  return /^\s*(import|export)\s/m.test(code) ? code : `${code}export {};\n`;
}

/** The folder's tsconfig, for tsc and for tsx. */
export const examplesTsconfig = join(examplesDir, 'tsconfig.json');

/** Empties the folder and writes the tsconfig and one module per block; returns their paths. */
export function writeExamples(blocks: readonly CodeBlock[]): string[] {
  rmSync(examplesDir, { recursive: true, force: true });
  return blocks.map((block) => writeExample(moduleName(block), moduleSource(block.code)));
}

const mqttjs = join(repositoryRoot, 'bench', 'node_modules', 'mqtt');
const mqttjsLink = join(examplesDir, 'node_modules', 'mqtt');
// The OpenTelemetry API and SDK an application brings (the @mqttkit/otel README sets one up).
const opentelemetry = join(repositoryRoot, 'packages', 'otel', 'node_modules', '@opentelemetry');
const opentelemetryLink = join(examplesDir, 'node_modules', '@opentelemetry');

/** Writes one module into the folder (created with its tsconfig when missing). */
export function writeExample(name: string, source: string): string {
  mkdirSync(join(examplesDir, 'node_modules'), { recursive: true });
  writeFileSync(examplesTsconfig, `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  if (!existsSync(mqttjsLink)) symlinkSync(mqttjs, mqttjsLink, 'dir');
  if (!existsSync(opentelemetryLink)) symlinkSync(opentelemetry, opentelemetryLink, 'dir');
  const path = join(examplesDir, name);
  writeFileSync(path, source);
  return path;
}
