import { describe, expect, it, vi } from 'vitest';
import {
  detachCaller,
  rejectCaller,
  rejectCallerWith,
  resolveCaller,
  resolveHandedOver,
  settlePublish,
} from '../../src/session/settle.js';
import type { PublishOp, PublishResult, SubscribeOp } from '../../src/session.js';

function publishOp(): {
  op: PublishOp;
  resolve: ReturnType<typeof vi.fn>;
  reject: ReturnType<typeof vi.fn>;
} {
  const resolve = vi.fn();
  const reject = vi.fn();
  const op: PublishOp = {
    kind: 'publish',
    packet: {
      cmd: 'publish',
      topic: 't',
      payload: new Uint8Array(0),
      qos: 1,
      retain: false,
      dup: false,
    },
    deferred: { resolve, reject },
  };
  return { op, resolve, reject };
}

describe("settle: the one owner of callers' promises", () => {
  it('settles a caller once and drops its deferred', () => {
    const { op, resolve, reject } = publishOp();
    const result: PublishResult = { packetId: 1, reasonCode: 0 };
    resolveCaller(op, result);
    resolveCaller(op, { reasonCode: 0 });
    rejectCaller(op, new Error('late'));
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(resolve).toHaveBeenCalledWith(result);
    expect(reject).not.toHaveBeenCalled();
    expect(op.deferred).toBeUndefined();
  });

  it('makes a close error only for an operation that has a caller', () => {
    const error = vi.fn((written: boolean) => new Error(`written: ${written}`));
    const subscribe: SubscribeOp = {
      kind: 'subscribe',
      subscriptions: [{ topicFilter: 'a', qos: 0 }],
      properties: undefined,
      deferred: undefined,
      internal: true,
    };
    rejectCallerWith(subscribe, error, true);
    expect(error).not.toHaveBeenCalled();
    const { op, reject } = publishOp();
    rejectCallerWith(op, error, false);
    expect(error).toHaveBeenCalledWith(false);
    expect(reject).toHaveBeenCalledWith(new Error('written: false'));
  });

  it('a written operation may lose its caller and go on', () => {
    const { op, resolve } = publishOp();
    detachCaller(op);
    resolveCaller(op, { reasonCode: 0 });
    expect(resolve).not.toHaveBeenCalled();
  });

  it('a QoS 0 publish resolves with reason code 0 once handed over', () => {
    const { op, resolve } = publishOp();
    resolveHandedOver(op);
    expect(resolve).toHaveBeenCalledWith({ reasonCode: 0 });
  });

  it('refuses a failure code at PUBACK/PUBREC, reports one at PUBCOMP', () => {
    const refused = publishOp();
    settlePublish(refused.op, 7, 'publish', { packetId: 7, reasonCode: 0x87, reasonString: 'no' });
    expect(refused.reject).toHaveBeenCalledTimes(1);
    expect(refused.reject.mock.calls[0]?.[0]).toMatchObject({
      code: 'MQTTKIT_ERR_PUBLISH_REFUSED',
      packetId: 7,
      reasonCode: 0x87,
      reasonString: 'no',
    });
    const completed = publishOp();
    settlePublish(completed.op, 8, 'pubrel', { packetId: 8, reasonCode: 0x92 });
    expect(completed.resolve).toHaveBeenCalledWith({ packetId: 8, reasonCode: 0x92 });
  });
});
