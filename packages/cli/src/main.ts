/** Parse, dispatch, and map every outcome to an exit code and one line on stderr. */
import { readFileSync } from 'node:fs';
import { parseArgs } from './args.js';
import { bench } from './commands/bench.js';
import { pub } from './commands/pub.js';
import { sub } from './commands/sub.js';
import { watch } from './commands/watch.js';
import { errorText } from './connection.js';
import { CliError, CliUsageError, EXIT, type ExitCode } from './errors.js';
import { helpText } from './help.js';
import { type Io, line } from './io.js';

export function version(): string {
  // ../package.json from both src/ (tests) and dist/ (the installed binary).
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  try {
    const parsed = parseArgs(argv);
    if (parsed.kind === 'help') {
      io.stdout.write(`${helpText(parsed.command)}\n`);
      return EXIT.ok;
    }
    if (parsed.kind === 'version') {
      line(io.stdout, `mqttkit ${version()}`);
      return EXIT.ok;
    }
    const args = parsed.args;
    switch (args.command) {
      case 'pub':
        return await pub(args, io);
      case 'sub':
        return await sub(args, io);
      case 'bench':
        return await bench(args, io);
      case 'watch':
        return await watch(args, io);
    }
  } catch (error) {
    if (error instanceof CliUsageError) {
      const help = error.command ? `mqttkit ${error.command} --help` : 'mqttkit --help';
      line(io.stderr, `mqttkit: ${error.message}\nRun ${help} for the options.`);
      return error.exitCode;
    }
    if (error instanceof CliError) {
      line(io.stderr, `mqttkit: ${error.message}`);
      return error.exitCode;
    }
    line(io.stderr, `mqttkit: ${errorText(error)}`);
    return EXIT.failure;
  }
}
