import type { CloseReason } from '@mqttkit/client';

const hex = (code: number): string => `0x${code.toString(16).padStart(2, '0')}`;

/** One line for a close reason: its type, who closed, the details, and what happens next. */
export function describeClose(reason: CloseReason): string {
  const details: string[] = [`initiator ${reason.initiator}`];
  switch (reason.type) {
    case 'broker-disconnect':
    case 'connack-refused':
      details.push(`reason code ${hex(reason.reasonCode)}`);
      break;
    case 'protocol-violation':
      details.push(`${hex(reason.reasonCode)}: ${reason.message}`);
      break;
    case 'transport-error':
      if (reason.error instanceof Error) details.push(reason.error.message);
      break;
    case 'local-end':
      if (reason.force) details.push('forced');
      break;
    default:
      break;
  }
  details.push(reason.willReconnect ? 'will reconnect' : 'stops');
  return `${reason.type} (${details.join(', ')})`;
}
