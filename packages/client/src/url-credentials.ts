/**
 * Credentials written in a broker URL (`mqtt://user:pass@host`). MQTT.js sends them as the
 * CONNECT user name and password, and so do we; they never travel further than CONNECT: the
 * transport gets the URL without them (a WebSocket library would otherwise turn them into an
 * HTTP `Authorization` header), and logs and errors only ever show the URL without them.
 */
import { InvalidOptionError } from './errors.js';

export interface UrlCredentials {
  readonly username?: string;
  readonly password?: string;
}

// The authority's user info ends at its last `@` before the path, as WHATWG URL parsing reads it
// (an unescaped `@` in a password still belongs to the password).
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;

/** The URL without its user info: what the transport opens, logs show and errors name. */
export function withoutCredentials(url: string): string {
  return url.replace(USER_INFO, '$1');
}

/**
 * The percent-decoded user name and password of `url` (none when it has no user info; an empty
 * user name is no user name). Throws `InvalidOptionError` on a malformed percent escape.
 */
export function credentialsOf(url: string): UrlCredentials | undefined {
  const userInfo = USER_INFO.exec(url)?.[2];
  if (userInfo === undefined) return undefined;
  const colon = userInfo.indexOf(':');
  const username = decode(colon === -1 ? userInfo : userInfo.slice(0, colon));
  const password = colon === -1 ? undefined : decode(userInfo.slice(colon + 1));
  return {
    ...(username === '' ? {} : { username }),
    ...(password === undefined ? {} : { password }),
  };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch (error) {
    throw new InvalidOptionError('url', 'user info in percent-encoding (RFC 3986)', {
      cause: error,
    });
  }
}

/** `text` with the user info of every URL in it removed (error messages quoted in logs). */
export function redactUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, '$1');
}
