import { InvalidInputError } from './errors.js';
import type { ReconnectPolicy } from './reconnect.js';

/** What the machine needs to know about a connection, given with the `connect` event. */
export interface ConnectSettings {
  /** How many servers the client fails over across (round robin); server indexes are 0-based. */
  readonly serverCount: number;
  /** 4 = MQTT 3.1.1, 5 = MQTT 5.0. Decides whether a protocol error is reported with DISCONNECT. */
  readonly protocolVersion: 4 | 5;
  readonly reconnect: ReconnectPolicy;
  /**
   * `protocolVersion` 5 falls back to 4 on a server that refuses it (see `version.ts`).
   * Absent: the version is pinned.
   */
  readonly negotiateVersion?: true;
  /** Indexes of the servers that refused MQTT 5 while negotiating: links to them speak 3.1.1. */
  readonly refusedV5?: readonly number[];
}

/** The optional settings of a `connect` event. */
export interface ConnectOptions {
  /** Default 1. */
  readonly serverCount?: number;
  /** Default 5. */
  readonly protocolVersion?: 4 | 5;
  /**
   * With `protocolVersion` 5: a server that refuses it (5.0 CONNACK 0x84, or the 3.1.1 CONNACK
   * return code 1 [MQTT-3.1.2-2]) is retried, and from then on spoken to, in 3.1.1, when the
   * reconnect policy is enabled. Default false (the version is pinned).
   */
  readonly negotiateVersion?: boolean;
  /** Default `{ enabled: true }` (no attempt limit). */
  readonly reconnect?: Partial<ReconnectPolicy>;
}

export function normalizeSettings(options: ConnectOptions): ConnectSettings {
  const serverCount = options.serverCount ?? 1;
  if (!Number.isInteger(serverCount) || serverCount < 1) {
    throw new InvalidInputError(`serverCount must be an integer >= 1, got ${String(serverCount)}`);
  }
  const protocolVersion = options.protocolVersion ?? 5;
  if (protocolVersion !== 4 && protocolVersion !== 5) {
    throw new InvalidInputError(`protocolVersion must be 4 or 5, got ${String(protocolVersion)}`);
  }
  const enabled = options.reconnect?.enabled ?? true;
  const maxAttempts = options.reconnect?.maxAttempts;
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 0)) {
    throw new InvalidInputError(`reconnect.maxAttempts must be an integer >= 0`);
  }
  const retryRefusals = options.reconnect?.retryRefusals === true;
  const reconnect: ReconnectPolicy = {
    enabled,
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
    ...(retryRefusals ? { retryRefusals } : {}),
  };
  const negotiate = options.negotiateVersion === true && protocolVersion === 5;
  return {
    serverCount,
    protocolVersion,
    reconnect,
    ...(negotiate ? { negotiateVersion: true } : {}),
  };
}
