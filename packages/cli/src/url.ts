/**
 * `-L URL` as mosquitto reads it: mqtt[s]://[user[:pass]@]host[:port]/topic, plus ws[s]://.
 * The path is the topic (not URL-decoded, so `+` and `#` work; `#` is not a fragment here).
 */
import { CliUsageError } from './errors.js';

export type Scheme = 'mqtt' | 'mqtts' | 'ws' | 'wss';

export interface BrokerUrl {
  scheme: Scheme;
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** The URL's path without its leading '/', when not empty. */
  topic?: string;
}

export const DEFAULT_PORTS: Record<Scheme, number> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 };

const URL_RE =
  /^([a-z]+):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\[[^\]/]+\]|[^:/[\]]+)(?::([^/]*))?(?:\/(.*))?$/i;

export function parseBrokerUrl(text: string, command?: string): BrokerUrl {
  const match = URL_RE.exec(text);
  if (!match) {
    throw new CliUsageError(
      `-L ${text}: expected mqtt[s]://[user[:password]@]host[:port]/topic or ws[s]://...`,
      command,
    );
  }
  const [, rawScheme, user, pass, host, portText, path] = match as unknown as [
    string,
    string,
    string | undefined,
    string | undefined,
    string,
    string | undefined,
    string | undefined,
  ];
  const scheme = rawScheme.toLowerCase();
  if (scheme !== 'mqtt' && scheme !== 'mqtts' && scheme !== 'ws' && scheme !== 'wss') {
    throw new CliUsageError(
      `-L ${text}: unsupported scheme ${rawScheme}: (use mqtt, mqtts, ws or wss)`,
      command,
    );
  }
  let port = DEFAULT_PORTS[scheme];
  if (portText !== undefined) {
    port = parsePort(portText, `-L ${text}`, command);
  }
  const url: BrokerUrl = { scheme, host: host.replace(/^\[|\]$/g, ''), port };
  // Credentials may carry %40 (@), %3A (:) and %25 (%), as in mosquitto.
  if (user !== undefined) url.username = decode(user, text, command);
  if (pass !== undefined) url.password = decode(pass, text, command);
  if (path !== undefined && path !== '') url.topic = path;
  return url;
}

export function parsePort(text: string, flag: string, command?: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new CliUsageError(`${flag}: the port must be a number from 1 to 65535`, command);
  }
  return port;
}

/** The URL handed to the client: scheme, host and port only (credentials go in options). */
export function clientUrl(scheme: Scheme, host: string, port: number, wsPath: string): string {
  const h = host.includes(':') ? `[${host}]` : host;
  const path = scheme === 'ws' || scheme === 'wss' ? wsPath : '';
  return `${scheme}://${h}:${port}${path}`;
}

function decode(value: string, text: string, command: string | undefined): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new CliUsageError(`-L ${text}: bad %-escape in the user name or password`, command);
  }
}
