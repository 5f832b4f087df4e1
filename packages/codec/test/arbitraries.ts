/** fast-check arbitraries for valid packets of every type, per protocol version. */
import fc from 'fast-check';
import type { Packet, ProtocolVersion, QoS } from '../src/index.js';

const te = new TextEncoder();
const td = new TextDecoder();
/** Strings that are valid MQTT UTF-8 strings: no U+0000, no lone surrogates. */
export const mqttString = (maxLength = 12): fc.Arbitrary<string> =>
  fc
    .string({ unit: 'binary', maxLength })
    .filter((s) => !s.includes('\u0000') && td.decode(te.encode(s)) === s);

const level = mqttString(6).filter((s) => !/[/+#]/.test(s));
export const topicName: fc.Arbitrary<string> = fc
  .array(level, { minLength: 1, maxLength: 4 })
  .map((levels) => levels.join('/'))
  .filter((t) => t.length > 0);

export const topicFilter: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.oneof(level, fc.constant('+')), { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'))
  .filter((f) => f.length > 0 && !f.startsWith('$share/'));

const bin = fc.uint8Array({ maxLength: 24 });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u16nz = fc.integer({ min: 1, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const packetId = u16nz;
const qos = fc.constantFrom<QoS>(0, 1, 2);

const userProperties = fc.dictionary(
  mqttString(6),
  fc.oneof(mqttString(6), fc.array(mqttString(4), { minLength: 2, maxLength: 3 })),
  { minKeys: 1, maxKeys: 3, noNullPrototype: true },
);

/** An optional-keys record; an empty result becomes `undefined` (no properties). */
function props<T extends Record<string, fc.Arbitrary<unknown>>>(
  model: T,
): fc.Arbitrary<{ [K in keyof T]?: fc.Arbitrary<unknown> } | undefined> {
  return fc
    .record(model, { requiredKeys: [] })
    .map((p) => (Object.keys(p).length > 0 ? (p as never) : undefined));
}

function withProps<T extends object>(packet: T, properties: unknown): T {
  return properties === undefined ? packet : { ...packet, properties };
}

const ackProps = props({ reasonString: mqttString(), userProperties });

export function packetArb(v: ProtocolVersion): fc.Arbitrary<Packet> {
  const five = v === 5;
  const p5 = <A>(arb: fc.Arbitrary<A>): fc.Arbitrary<A | undefined> =>
    five ? arb : fc.constant(undefined);

  const connect = fc
    .record({
      clientId: mqttString(),
      clean: fc.boolean(),
      keepalive: u16,
      username: fc.option(mqttString(), { nil: undefined }),
      password: fc.option(bin, { nil: undefined }),
      will: fc.option(
        fc.record({
          topic: topicName,
          payload: bin,
          qos,
          retain: fc.boolean(),
          properties: p5(
            props({
              willDelayInterval: u32,
              payloadFormatIndicator: fc.boolean(),
              messageExpiryInterval: u32,
              contentType: mqttString(),
              responseTopic: topicName,
              correlationData: bin,
              userProperties,
            }),
          ),
        }),
        { nil: undefined },
      ),
      properties: p5(
        props({
          sessionExpiryInterval: u32,
          receiveMaximum: u16nz,
          maximumPacketSize: fc.integer({ min: 1, max: 0xffffffff }),
          topicAliasMaximum: u16,
          requestResponseInformation: fc.boolean(),
          requestProblemInformation: fc.boolean(),
          authenticationMethod: mqttString(),
          authenticationData: bin,
          userProperties,
        }),
      ),
    })
    .map((c): Packet => {
      const p: Packet = {
        cmd: 'connect',
        protocolVersion: v,
        clientId: c.clientId,
        clean: c.clientId === '' ? true : c.clean,
        keepalive: c.keepalive,
      };
      if (c.username !== undefined) p.username = c.username;
      if (c.username !== undefined && c.password !== undefined) p.password = c.password;
      if (c.will) {
        const { properties, ...will } = c.will;
        p.will = withProps(will, properties);
      }
      return withProps(p, c.properties);
    });

  const connack = fc
    .record({
      sessionPresent: fc.boolean(),
      reasonCode: five
        ? fc.constantFrom(0x00, 0x80, 0x87, 0x95, 0x9c)
        : fc.integer({ min: 0, max: 5 }),
      properties: p5(
        props({
          sessionExpiryInterval: u32,
          receiveMaximum: u16nz,
          maximumQoS: fc.constantFrom<0 | 1>(0, 1),
          retainAvailable: fc.boolean(),
          maximumPacketSize: fc.integer({ min: 1, max: 0xffffffff }),
          assignedClientIdentifier: mqttString(),
          topicAliasMaximum: u16,
          reasonString: mqttString(),
          wildcardSubscriptionAvailable: fc.boolean(),
          subscriptionIdentifiersAvailable: fc.boolean(),
          sharedSubscriptionAvailable: fc.boolean(),
          serverKeepAlive: u16,
          responseInformation: mqttString(),
          serverReference: mqttString(),
          authenticationMethod: mqttString(),
          authenticationData: bin,
          userProperties,
        }),
      ),
    })
    .map(
      (c): Packet =>
        withProps(
          {
            cmd: 'connack',
            sessionPresent: c.reasonCode === 0 ? c.sessionPresent : false,
            reasonCode: c.reasonCode,
          },
          c.properties,
        ),
    );

  const publish = fc
    .record({
      topic: topicName,
      payload: fc.uint8Array({ maxLength: 300 }),
      qos,
      retain: fc.boolean(),
      dup: fc.boolean(),
      packetId,
      properties: p5(
        props({
          payloadFormatIndicator: fc.boolean(),
          messageExpiryInterval: u32,
          topicAlias: u16nz,
          responseTopic: topicName,
          correlationData: bin,
          contentType: mqttString(),
          subscriptionIdentifiers: fc.array(fc.integer({ min: 1, max: 268_435_455 }), {
            minLength: 1,
            maxLength: 3,
          }),
          userProperties,
        }),
      ),
    })
    .map((c): Packet => {
      const p: Packet = {
        cmd: 'publish',
        topic: c.topic,
        payload: c.payload,
        qos: c.qos,
        retain: c.retain,
        dup: c.qos === 0 ? false : c.dup,
      };
      if (c.qos > 0) p.packetId = c.packetId;
      return withProps(p, c.properties);
    });

  const ack = (cmd: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp', codes: number[]) =>
    fc
      .record({
        packetId,
        reasonCode: five ? fc.constantFrom(...codes) : fc.constant(0),
        properties: p5(ackProps),
      })
      .map(
        (c): Packet =>
          withProps({ cmd, packetId: c.packetId, reasonCode: c.reasonCode }, c.properties),
      );
  const pubackCodes = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];

  const subscribe = fc
    .record({
      packetId,
      subscriptions: fc.array(
        fc.record({
          topicFilter: topicFilter,
          qos,
          noLocal: fc.boolean(),
          retainAsPublished: fc.boolean(),
          retainHandling: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      properties: p5(
        props({ subscriptionIdentifier: fc.integer({ min: 1, max: 268_435_455 }), userProperties }),
      ),
    })
    .map(
      (c): Packet =>
        withProps(
          {
            cmd: 'subscribe',
            packetId: c.packetId,
            subscriptions: c.subscriptions.map((s) =>
              five ? s : { topicFilter: s.topicFilter, qos: s.qos },
            ),
          },
          c.properties,
        ),
    );

  const suback = fc
    .record({
      packetId,
      reasonCodes: fc.array(
        five
          ? fc.constantFrom(0, 1, 2, 0x80, 0x87, 0x8f, 0x9e, 0xa2)
          : fc.constantFrom(0, 1, 2, 0x80),
        { minLength: 1, maxLength: 4 },
      ),
      properties: p5(ackProps),
    })
    .map(
      (c): Packet =>
        withProps(
          { cmd: 'suback', packetId: c.packetId, reasonCodes: c.reasonCodes },
          c.properties,
        ),
    );

  const unsubscribe = fc
    .record({
      packetId,
      topicFilters: fc.array(topicFilter, { minLength: 1, maxLength: 3 }),
      properties: p5(props({ userProperties })),
    })
    .map(
      (c): Packet =>
        withProps(
          { cmd: 'unsubscribe', packetId: c.packetId, topicFilters: c.topicFilters },
          c.properties,
        ),
    );

  const unsuback = fc
    .record({
      packetId,
      reasonCodes: five
        ? fc.array(fc.constantFrom(0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91), {
            minLength: 1,
            maxLength: 4,
          })
        : fc.constant<number[]>([]),
      properties: p5(ackProps),
    })
    .map(
      (c): Packet =>
        withProps(
          { cmd: 'unsuback', packetId: c.packetId, reasonCodes: c.reasonCodes },
          c.properties,
        ),
    );

  const disconnect = fc
    .record({
      reasonCode: five ? fc.constantFrom(0x00, 0x04, 0x81, 0x8e, 0x95, 0x9c) : fc.constant(0),
      properties: p5(
        props({
          sessionExpiryInterval: u32,
          reasonString: mqttString(),
          serverReference: mqttString(),
          userProperties,
        }),
      ),
    })
    .map((c): Packet => withProps({ cmd: 'disconnect', reasonCode: c.reasonCode }, c.properties));

  const auth = fc
    .record({
      reasonCode: fc.constantFrom(0x00, 0x18, 0x19),
      properties: props({
        authenticationMethod: mqttString(),
        authenticationData: bin,
        reasonString: mqttString(),
        userProperties,
      }),
    })
    .map((c): Packet => withProps({ cmd: 'auth', reasonCode: c.reasonCode }, c.properties));

  const all: fc.Arbitrary<Packet>[] = [
    connect,
    connack,
    publish,
    ack('puback', pubackCodes),
    ack('pubrec', pubackCodes),
    ack('pubrel', [0x00, 0x92]),
    ack('pubcomp', [0x00, 0x92]),
    subscribe,
    suback,
    unsubscribe,
    unsuback,
    fc.constant<Packet>({ cmd: 'pingreq' }),
    fc.constant<Packet>({ cmd: 'pingresp' }),
    disconnect,
  ];
  if (five) all.push(auth);
  return fc.oneof(...all);
}
