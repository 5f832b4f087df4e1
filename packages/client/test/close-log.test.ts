// The fields of the `connection closed` log line for each kind of close that has a cause.
import { describe, expect, it } from 'vitest';
import { closeLogFields } from '../src/close-log.js';
import { BeforeConnectError } from '../src/index.js';

describe('closeLogFields', () => {
  it('a failed hook: its code and message, and the cause it wraps, URLs without user info', () => {
    const hookError = new Error('token service mqtt://svc:t0ken@10.0.0.1 refused');
    const fields = closeLogFields(
      {
        type: 'transport-error',
        initiator: 'network',
        error: new BeforeConnectError(hookError),
        retryable: true,
        willReconnect: true,
      },
      'wss://broker.example:443/mqtt',
    );
    expect(fields).toMatchObject({
      reason: 'transport-error',
      willReconnect: true,
      url: 'wss://broker.example:443/mqtt',
      code: 'MQTTKIT_ERR_BEFORE_CONNECT',
      cause: 'token service mqtt://10.0.0.1 refused',
    });
    expect(JSON.stringify(fields)).not.toContain('t0ken');
  });

  it('a broker DISCONNECT, a refused CONNACK and a protocol violation carry their reason code', () => {
    expect(
      closeLogFields(
        {
          type: 'broker-disconnect',
          initiator: 'broker',
          reasonCode: 0x98,
          reasonString: 'admin',
          willReconnect: false,
        },
        'mqtt://h:1883',
      ),
    ).toEqual({
      reason: 'broker-disconnect',
      willReconnect: false,
      url: 'mqtt://h:1883',
      reasonCode: 0x98,
      reasonString: 'admin',
    });
    expect(
      closeLogFields(
        {
          type: 'connack-refused',
          initiator: 'broker',
          reasonCode: 0x87,
          protocolVersion: 5,
          willReconnect: false,
        },
        undefined,
      ),
    ).toEqual({ reason: 'connack-refused', willReconnect: false, reasonCode: 0x87 });
    expect(
      closeLogFields(
        {
          type: 'protocol-violation',
          initiator: 'local',
          reasonCode: 0x81,
          message: 'Malformed packet',
          willReconnect: true,
        },
        'mqtt://h:1883',
      ),
    ).toMatchObject({ reasonCode: 0x81, error: 'Malformed packet' });
  });
});
