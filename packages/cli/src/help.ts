/** `--help` text, generated from the flag table so it never drifts from the parser. */
import { type Command, FLAGS } from './args.js';
import { EXIT } from './errors.js';
import { FORMAT_FIELDS } from './format.js';

const SUMMARY: Record<Command, string> = {
  pub: 'publish one message, a file, stdin, or each stdin line (like mosquitto_pub)',
  sub: 'subscribe and print messages (like mosquitto_sub)',
  bench: 'publish N messages while a second connection subscribes; print rate and latency',
  watch: 'connect and print state changes, pings and round-trip times until Ctrl-C or -W',
};

export function helpText(command?: Command): string {
  if (!command) {
    return [
      'Usage: mqttkit <command> [options]',
      '',
      ...Object.entries(SUMMARY).map(([name, text]) => `  ${name.padEnd(6)} ${text}`),
      '',
      'mqttkit <command> --help lists the options of a command. mqttkit --version prints the version.',
      exitCodes(),
    ].join('\n');
  }
  const rows = FLAGS.filter((f) => f.commands.includes(command)).map((f) => {
    const names = [f.short ? `-${f.short}` : '', `--${f.long}`].filter(Boolean).join(', ');
    return `  ${`${names}${f.meta ? ` ${f.meta}` : ''}`.padEnd(42)} ${f.help}`;
  });
  const parts = [`Usage: mqttkit ${command} [options]`, '', SUMMARY[command], '', ...rows];
  if (command === 'sub') {
    parts.push(
      '',
      '-F sequences:',
      ...FORMAT_FIELDS.map(([seq, text]) => `  ${seq.padEnd(24)} ${text}`),
    );
  }
  parts.push(exitCodes());
  return parts.join('\n');
}

function exitCodes(): string {
  return [
    '',
    'Exit codes:',
    `  ${EXIT.ok}  success`,
    `  ${EXIT.failure}  runtime failure: connection refused or lost, broker refusal, unreadable file`,
    `  ${EXIT.usage}  usage error: unknown option or bad value`,
    `  ${EXIT.timeout} sub -W timed out (as mosquitto_sub)`,
    '',
  ].join('\n');
}
