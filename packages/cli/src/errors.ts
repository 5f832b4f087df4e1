/**
 * Errors of @mqttkit/cli and the exit codes they map to. Match on `code`, not `instanceof`.
 * Exit codes are part of the CLI's contract: scripts test them, so they never change meaning.
 */

/** Process exit codes. 27 for a `-W` timeout is mosquitto_sub's value, so scripts keep working. */
export const EXIT = {
  ok: 0,
  /** Connection refused or lost, broker refusal (CONNACK, PUBACK/PUBREC, SUBACK), I/O error. */
  failure: 1,
  /** Bad command line: unknown flag, bad value, missing topic... */
  usage: 2,
  /** `sub -W`: the timeout expired (before `-C` messages arrived, when `-C` is given). */
  timeout: 27,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type CliErrorCode =
  | 'MQTTKIT_ERR_CLI_USAGE'
  | 'MQTTKIT_ERR_CLI_RUNTIME'
  | 'MQTTKIT_ERR_CLI_TIMEOUT';

export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly exitCode: ExitCode;

  constructor(
    code: CliErrorCode,
    exitCode: ExitCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** The command line cannot be run as given. The message says what to do instead. Exit code 2. */
export class CliUsageError extends CliError {
  /** The command whose usage applies (`pub`, `sub`...), for the "see --help" hint. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super('MQTTKIT_ERR_CLI_USAGE', EXIT.usage, message);
    this.name = 'CliUsageError';
    this.command = command;
  }
}

/**
 * Something failed while running: connection refused, a broker refusal, an unreadable file.
 * `reasonCode` is the MQTT reason code when the broker gave one. Exit code 1.
 */
export class CliRuntimeError extends CliError {
  readonly reasonCode: number | undefined;

  constructor(message: string, options?: { cause?: unknown; reasonCode?: number }) {
    super('MQTTKIT_ERR_CLI_RUNTIME', EXIT.failure, message, { cause: options?.cause });
    this.name = 'CliRuntimeError';
    this.reasonCode = options?.reasonCode;
  }
}

/** `-W` expired. Exit code 27, as mosquitto_sub. */
export class CliTimeoutError extends CliError {
  constructor(seconds: number) {
    super('MQTTKIT_ERR_CLI_TIMEOUT', EXIT.timeout, `Timed out after ${seconds} s`);
    this.name = 'CliTimeoutError';
  }
}
