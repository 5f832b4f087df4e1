/**
 * The client's metrics through the OpenTelemetry metrics API. Message counts and durations use
 * the messaging conventions' names; what they have no name for is under `messaging.mqtt.*`.
 * Topics are never a metric attribute (unbounded cardinality); a `destination` template is.
 */
import type { CloseReason, MqttClient, Packet, PublishOutcome } from '@mqttkit/client';
import type {
  Attributes,
  BatchObservableCallback,
  Counter,
  Histogram,
  Meter,
  ObservableGauge,
} from '@opentelemetry/api';
import * as A from './attributes.js';
import { outcomeAttributes } from './outcome.js';

/** Bucket boundaries in seconds for message durations (sub-millisecond to tens of seconds). */
const DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** How many attribute sets per operation are kept for reuse (see `#attributes`). */
const ATTRIBUTE_SETS_KEPT = 256;

/** A histogram of durations in seconds. */
function seconds(meter: Meter, name: string, description: string): Histogram {
  return meter.createHistogram(name, {
    description,
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
}

export class ClientMetrics {
  readonly #common: Attributes;
  readonly #sentMessages: Counter;
  readonly #operationDuration: Histogram;
  readonly #consumedMessages: Counter;
  readonly #processDuration: Histogram;
  readonly #reconnects: Counter;
  readonly #rtt: Histogram;
  readonly #stop: () => void;
  readonly #sendSets = new Map<string | undefined, Attributes>();
  readonly #processSets = new Map<string | undefined, Attributes>();

  constructor(meter: Meter, client: MqttClient, common: Attributes) {
    this.#common = common;
    this.#sentMessages = meter.createCounter('messaging.client.sent.messages', {
      description: 'Messages the client published (whatever their outcome; see error.type)',
      unit: '{message}',
    });
    this.#consumedMessages = meter.createCounter('messaging.client.consumed.messages', {
      description: 'Messages delivered to the message listeners and messages() loops',
      unit: '{message}',
    });
    this.#reconnects = meter.createCounter('messaging.mqtt.client.reconnects', {
      description: 'Connections made again after a close, by the reason of that close',
      unit: '{reconnect}',
    });
    this.#operationDuration = seconds(
      meter,
      'messaging.client.operation.duration',
      'Time from publish() to its outcome (written at QoS 0, acknowledged at 1/2)',
    );
    this.#processDuration = seconds(
      meter,
      'messaging.process.duration',
      'Time the listeners took to process a message (async ones awaited)',
    );
    this.#rtt = seconds(
      meter,
      'messaging.mqtt.client.keepalive.rtt',
      'Round trip of a PINGREQ to its PINGRESP',
    );
    const state = meter.createObservableGauge('messaging.mqtt.client.connection.state', {
      description: '1 for the state the client is in (messaging.mqtt.connection.state)',
    });
    const inflight = meter.createObservableGauge('messaging.mqtt.client.inflight', {
      description: 'QoS 1/2 publishes written and not yet completed',
      unit: '{message}',
    });
    const queued = meter.createObservableGauge('messaging.mqtt.client.queued', {
      description: 'Operations waiting: offline queue, send window, packet ids',
      unit: '{operation}',
    });
    const observe: BatchObservableCallback = (result) => {
      const stats = client.stats();
      result.observe(state, 1, { ...common, [A.ATTR_MQTT_STATE]: client.state });
      result.observe(inflight, stats.inflight, common);
      result.observe(queued, stats.queued, common);
    };
    const observables: ObservableGauge[] = [state, inflight, queued];
    meter.addBatchObservableCallback(observe, observables);
    // A reconnect is a connection accepted after a close: counted then, with the reason of the
    // first close since the last connection (the link's loss, not the failed attempts after it).
    let lostWith: CloseReason | undefined;
    const onClose = (reason: CloseReason): void => {
      lostWith ??= reason;
    };
    const onConnect = (): void => {
      if (lostWith !== undefined) {
        this.#reconnects.add(1, { ...common, [A.ATTR_MQTT_CLOSE_REASON]: lostWith.type });
      }
      lostWith = undefined;
    };
    const onEnd = (): void => {
      lostWith = undefined;
    };
    const onPacket = (packet: Packet): void => {
      if (packet.cmd !== 'pingresp') return;
      const rtt = client.stats().lastRttMs;
      if (rtt !== undefined) this.#rtt.record(rtt / 1000, common);
    };
    client.on('close', onClose);
    client.on('connect', onConnect);
    client.on('end', onEnd);
    client.on('packetreceive', onPacket);
    this.#stop = () => {
      meter.removeBatchObservableCallback(observe, observables);
      client.off('close', onClose);
      client.off('connect', onConnect);
      client.off('end', onEnd);
      client.off('packetreceive', onPacket);
    };
  }

  /** A publish ended. */
  sent(outcome: PublishOutcome, seconds: number, template: string | undefined): void {
    const errorType =
      outcome.type === 'failed' ? outcomeAttributes(outcome)[A.ATTR_ERROR_TYPE] : undefined;
    const attributes = this.#attributes('send', template, errorType as string | undefined);
    this.#sentMessages.add(1, attributes);
    this.#operationDuration.record(seconds, attributes);
  }

  /** A delivery ended. */
  consumed(seconds: number, template: string | undefined, errorType: string | undefined): void {
    const attributes = this.#attributes('process', template, errorType);
    this.#consumedMessages.add(1, attributes);
    this.#processDuration.record(seconds, attributes);
  }

  stop(): void {
    this.#stop();
  }

  /**
   * The attributes of a sent or consumed message. Those of a message that did not fail are made
   * once per operation and template and then reused: before, every message made a new copy of the
   * common attributes for its two metrics. The kept sets are frozen, since the SDK may keep a
   * recorded set. They are bounded by the templates seen: past `ATTRIBUTE_SETS_KEPT`, a new set
   * is made per message. Failures are rare, so their sets are made each time.
   */
  #attributes(
    operation: 'send' | 'process',
    template: string | undefined,
    errorType: string | undefined,
  ): Attributes {
    const sets = operation === 'send' ? this.#sendSets : this.#processSets;
    if (errorType === undefined) {
      const kept = sets.get(template);
      if (kept !== undefined) return kept;
    }
    const attributes: Attributes = { ...this.#common, [A.ATTR_OPERATION_NAME]: operation };
    if (template !== undefined) attributes[A.ATTR_DESTINATION_TEMPLATE] = template;
    if (errorType !== undefined) {
      attributes[A.ATTR_ERROR_TYPE] = errorType;
      return attributes;
    }
    if (sets.size < ATTRIBUTE_SETS_KEPT) sets.set(template, Object.freeze(attributes));
    return attributes;
  }
}
