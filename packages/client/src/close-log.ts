/**
 * The fields of the `connection closed` log line: enough to tell why without a debugger. The
 * URL (credentials removed), the error's code and message for a failed transport or hook, and
 * the MQTT reason code when the broker gave one or the client closed with one.
 */
import type { CloseReason } from '@mqttkit/state';
import { redactUrls } from './url-credentials.js';

// A type literal, not an interface: the logger takes `Record<string, unknown>`.
export type CloseLogFields = {
  reason: CloseReason['type'];
  willReconnect: boolean;
  url?: string;
  /** `code` of the error (`MQTTKIT_ERR_*`, or a Node code such as `ECONNREFUSED`). */
  code?: string;
  /** The error's message (URLs in it without user info). */
  error?: string;
  /** The cause's code and message, when the error wraps one (a refused TCP connect). */
  causeCode?: string;
  cause?: string;
  reasonCode?: number;
  reasonString?: string;
};

export function closeLogFields(reason: CloseReason, url: string | undefined): CloseLogFields {
  const fields: CloseLogFields = { reason: reason.type, willReconnect: reason.willReconnect };
  if (url !== undefined) fields.url = url;
  switch (reason.type) {
    case 'transport-error': {
      const { code, message } = describeError(reason.error);
      if (code !== undefined) fields.code = code;
      if (message !== undefined) fields.error = message;
      const cause = describeError(errorCause(reason.error));
      if (cause.code !== undefined) fields.causeCode = cause.code;
      if (cause.message !== undefined) fields.cause = cause.message;
      break;
    }
    case 'broker-disconnect':
      fields.reasonCode = reason.reasonCode;
      if (reason.reasonString !== undefined) fields.reasonString = redactUrls(reason.reasonString);
      break;
    case 'connack-refused':
      fields.reasonCode = reason.reasonCode;
      break;
    case 'protocol-violation':
      fields.reasonCode = reason.reasonCode;
      fields.error = redactUrls(reason.message);
      break;
  }
  return fields;
}

function errorCause(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'cause' in error
    ? (error as { cause: unknown }).cause
    : undefined;
}

function describeError(error: unknown): { code?: string; message?: string } {
  if (error === undefined || error === null) return {};
  if (typeof error !== 'object') return { message: redactUrls(String(error)) };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message: redactUrls(message) } : {}),
  };
}
