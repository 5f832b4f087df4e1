import { describe, expect, it } from 'vitest';
import * as browserEntry from '../src/browser.js';
import { ConnectError, TransportConnectError, TransportError } from '../src/index.js';

describe('TransportConnectError', () => {
  it('is the class the deprecated ConnectError alias names, in both entries', () => {
    expect(ConnectError).toBe(TransportConnectError);
    expect(browserEntry.TransportConnectError).toBe(TransportConnectError);
    expect(browserEntry.ConnectError).toBe(TransportConnectError);
    const error: ConnectError = new ConnectError('mqtt://127.0.0.1:1883');
    expect(error).toBeInstanceOf(TransportConnectError);
    expect(error).toBeInstanceOf(TransportError);
  });

  it('keeps its code and name, and reads the system code of its cause', () => {
    const error = new TransportConnectError('mqtt://127.0.0.1:1883', {
      cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
    });
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_CONNECT', name: 'ConnectError' });
    expect(error.systemCode).toBe('ECONNREFUSED');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('Could not connect to mqtt://127.0.0.1:1883 (ECONNREFUSED)');
  });
});
