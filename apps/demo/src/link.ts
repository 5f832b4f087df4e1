import { type CodecError, createDecoder, encode, type Packet } from '@mqttkit/codec';
import { open, type Transport, type TransportCloseEvent } from '@mqttkit/transport';

export type QoS = 0 | 1 | 2;

export interface Message {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
}

export interface LinkOptions {
  clientId: string;
  maxPacketSize?: number;
  onMessage?(message: Message): void;
  onProtocolError?(error: CodecError): void;
  onClose?(event: TransportCloseEvent): void;
}

type Awaiting = 'puback' | 'pubrec' | 'pubcomp' | 'suback';

interface Pending {
  awaiting: Awaiting;
  resolve(packet: Packet): void;
  reject(error: Error): void;
}

/**
 * The smallest MQTT 3.1.1 session that does real work with @mqttkit/codec and
 * @mqttkit/transport: CONNECT, SUBSCRIBE, and the QoS 0/1/2 flows in both directions.
 * It stands in for @mqttkit/client in this demo: no reconnect, no keepalive, no offline queue.
 */
export class DemoLink {
  private readonly pending = new Map<number, Pending>();
  /** QoS 2 messages received and not yet released: delivered once, whatever the broker resends. */
  private readonly unreleased = new Set<number>();
  private nextPacketId = 1;
  private transport!: Transport;
  private connack?: (packet: Packet) => void;

  private constructor(private readonly options: LinkOptions) {}

  static async connect(url: string, options: LinkOptions): Promise<DemoLink> {
    const link = new DemoLink(options);
    const decoder = createDecoder({
      protocolVersion: 4,
      maxPacketSize: options.maxPacketSize,
      onPacket: (packet) => link.receive(packet),
      onError: (error) => {
        options.onProtocolError?.(error);
        link.transport.destroy(error);
      },
    });
    link.transport = await open(url, {
      connectTimeoutMs: 5000,
      onData: (chunk) => decoder.push(chunk),
      onDrain: () => {},
      onClose: (event) => link.closed(event),
    });
    const accepted = new Promise<Packet>((resolve) => {
      link.connack = resolve;
    });
    link.send({ cmd: 'connect', clientId: options.clientId, clean: true, keepalive: 0 });
    const connack = await accepted;
    if (connack.cmd !== 'connack' || connack.reasonCode !== 0) {
      throw new Error(`${options.clientId}: CONNECT refused`);
    }
    return link;
  }

  async subscribe(filter: string, qos: QoS): Promise<number> {
    const packetId = this.allocatePacketId();
    const answer = this.await(packetId, 'suback');
    this.send({ cmd: 'subscribe', packetId, subscriptions: [{ topicFilter: filter, qos }] });
    const suback = await answer;
    return suback.cmd === 'suback' ? (suback.reasonCodes[0] ?? 0x80) : 0x80;
  }

  /** Resolves when the QoS flow is complete: at once for QoS 0, on PUBACK, or on PUBCOMP. */
  async publish(topic: string, payload: Uint8Array, qos: QoS): Promise<void> {
    if (qos === 0) {
      this.send({ cmd: 'publish', topic, payload, qos, retain: false, dup: false });
      return;
    }
    const packetId = this.allocatePacketId();
    const answer = this.await(packetId, qos === 1 ? 'puback' : 'pubrec');
    this.send({ cmd: 'publish', topic, payload, qos, retain: false, dup: false, packetId });
    await answer;
    if (qos === 2) {
      const complete = this.await(packetId, 'pubcomp');
      this.send({ cmd: 'pubrel', packetId });
      await complete;
    }
  }

  async end(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      const previous = this.options.onClose;
      this.options.onClose = (event) => {
        previous?.(event);
        resolve();
      };
    });
    this.send({ cmd: 'disconnect' });
    this.transport.close();
    await closed;
  }

  private send(packet: Packet): void {
    this.transport.write(encode(packet, { protocolVersion: 4 }));
  }

  private receive(packet: Packet): void {
    switch (packet.cmd) {
      case 'connack':
        this.connack?.(packet);
        return;
      case 'publish':
        if (packet.qos === 1) this.send({ cmd: 'puback', packetId: packet.packetId! });
        if (packet.qos === 2) {
          this.send({ cmd: 'pubrec', packetId: packet.packetId! });
          if (this.unreleased.has(packet.packetId!)) return;
          this.unreleased.add(packet.packetId!);
        }
        this.options.onMessage?.({ topic: packet.topic, payload: packet.payload, qos: packet.qos });
        return;
      case 'pubrel':
        this.unreleased.delete(packet.packetId);
        this.send({ cmd: 'pubcomp', packetId: packet.packetId });
        return;
      case 'puback':
      case 'pubrec':
      case 'pubcomp':
      case 'suback':
        this.settle(packet.cmd, packet.packetId, packet);
        return;
      default:
        return;
    }
  }

  private settle(awaiting: Awaiting, packetId: number, packet: Packet): void {
    const pending = this.pending.get(packetId);
    if (pending?.awaiting !== awaiting) return;
    this.pending.delete(packetId);
    pending.resolve(packet);
  }

  private await(packetId: number, awaiting: Awaiting): Promise<Packet> {
    return new Promise((resolve, reject) => {
      this.pending.set(packetId, { awaiting, resolve, reject });
    });
  }

  private allocatePacketId(): number {
    // Packet ids are 1..65535 [MQTT-2.3.1-1]; skip ids still in flight.
    do {
      this.nextPacketId = (this.nextPacketId % 65535) + 1;
    } while (this.pending.has(this.nextPacketId));
    return this.nextPacketId;
  }

  private closed(event: TransportCloseEvent): void {
    const error = new Error(`${this.options.clientId}: connection closed`, { cause: event.error });
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    this.options.onClose?.(event);
  }
}
