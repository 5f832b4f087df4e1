import { describe, expect, it } from 'vitest';
import { InvalidBackoffError as FromBackoff } from '../src/backoff.js';
import * as errors from '../src/errors.js';
import * as client from '../src/index.js';
import { QueueFullError as FromQueue } from '../src/offline-queue.js';

describe('errors.ts holds every error class of the client', () => {
  it('QueueFullError and InvalidBackoffError are the same classes wherever they are imported', () => {
    expect(client.QueueFullError).toBe(errors.QueueFullError);
    expect(FromQueue).toBe(errors.QueueFullError);
    expect(client.InvalidBackoffError).toBe(errors.InvalidBackoffError);
    expect(FromBackoff).toBe(errors.InvalidBackoffError);
    expect(new errors.QueueFullError(true)).toMatchObject({
      code: 'MQTTKIT_ERR_QUEUE_FULL',
      dropped: true,
    });
    expect(new errors.InvalidBackoffError('jitter', 'x', "'full' or 'none'")).toMatchObject({
      code: 'MQTTKIT_ERR_INVALID_BACKOFF',
      message: `Invalid backoff jitter: "x" (expected 'full' or 'none')`,
    });
  });

  it('every error class the package exports is exported by errors.ts', () => {
    const classes = Object.entries(client).filter(
      ([name, value]) => typeof value === 'function' && name.endsWith('Error'),
    );
    expect(classes.length).toBeGreaterThan(10);
    for (const [name, value] of classes) {
      expect((errors as Record<string, unknown>)[name], name).toBe(value);
    }
  });
});
