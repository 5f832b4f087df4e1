// The two clients under test behind one small callback interface, each used the way its own
// documentation shows (mqttkit: promises; MQTT.js: callbacks, its cheapest form), with the same
// protocol (MQTT 5), clean start, no reconnect and the same keepalive.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient, type Logger, type MqttClient } from '@mqttkit/client';
import type { Scheduler } from '@mqttkit/keepalive';
import mqtt from 'mqtt';

export type QoS = 0 | 1 | 2;
export type Done = (error?: unknown) => void;

export interface BenchConn {
  publish(topic: string, payload: Uint8Array, qos: QoS, done: Done): void;
  subscribe(filter: string, qos: QoS): Promise<void>;
  onMessage(fn: (topic: string, payload: Uint8Array) => void): void;
  /** PINGREQs this client sent so far. */
  pings(): number;
  end(): Promise<void>;
}

export interface ConnectOptions {
  clientId: string;
  keepalive?: number;
  /** mqttkit only: a shared keepalive scheduler. */
  scheduler?: Scheduler;
}

export interface BenchLib {
  readonly name: string;
  /** A variant of the same library (shown beside its name). */
  readonly note?: string;
  connect(url: string, options: ConnectOptions): Promise<BenchConn>;
}

type CreateClient = typeof createClient;

/**
 * mqttkit as built in this workspace, or `createClient` of another build (see `mqttkitFrom`);
 * `setup` is given each client before it connects (the otel part instruments it).
 */
export function makeMqttkit(
  name: string,
  create: CreateClient,
  logger?: Logger,
  setup?: (client: MqttClient) => void,
): BenchLib {
  return {
    name,
    async connect(url, { clientId, keepalive = 60, scheduler }) {
      const client: MqttClient = create({
        url,
        clientId,
        protocolVersion: 5,
        keepalive,
        reconnect: false,
        // The same 30 s bound MQTT.js gets from `connectTimeout` below. (An AbortSignal.timeout
        // here would stay alive for 30 s and be counted as the client's memory.)
        connectTimeout: 30_000,
        ...(scheduler ? { scheduler } : {}),
        ...(logger ? { logger } : {}),
      });
      setup?.(client);
      await client.connect();
      return {
        publish(topic, payload, qos, done) {
          client.publish(topic, payload, { qos }).then(() => done(), done);
        },
        async subscribe(filter, qos) {
          const [granted] = await client.subscribe(filter, { qos });
          if (!granted || granted.reasonCode >= 0x80) throw new Error(`SUBACK refused ${filter}`);
        },
        onMessage(fn) {
          client.on('message', (m) => fn(m.topic, m.payload));
        },
        pings: () => client.stats().pingsSent,
        end: () => client.end(),
      };
    },
  };
}

export const mqttkit: BenchLib = makeMqttkit('mqttkit', createClient);

/**
 * `createClient` of the mqttkit built in another checkout `dir` (its `pnpm install` and build
 * done there), loaded beside this one so an A/B comparison runs in one process, rounds
 * interleaved. Its API is this build's: the bench only calls what both have.
 */
export async function mqttkitFrom(dir: string): Promise<CreateClient> {
  const entry = resolve(dir, 'packages/client/dist/index.js');
  const loaded = (await import(pathToFileURL(entry).href)) as { createClient?: CreateClient };
  if (typeof loaded.createClient !== 'function') throw new Error(`${entry}: no createClient`);
  return loaded.createClient;
}

/**
 * MQTT.js as configured by default (its TCP socket keeps Nagle's algorithm on), or with
 * `noDelay`: TCP_NODELAY set on its socket once connected, as mqttkit's transport always does.
 */
function makeMqttjs(noDelay: boolean): BenchLib {
  return {
    name: 'MQTT.js',
    ...(noDelay ? { note: 'TCP_NODELAY' } : {}),
    connect(url, { clientId, keepalive = 60 }) {
      return new Promise((resolve, reject) => {
        const client = mqtt.connect(url, {
          clientId,
          protocolVersion: 5,
          keepalive,
          clean: true,
          reconnectPeriod: 0,
          connectTimeout: 30_000,
        });
        let pings = 0;
        client.on('packetsend', (p) => {
          if (p.cmd === 'pingreq') pings++;
        });
        const fail = (error: unknown): void => {
          client.end(true);
          reject(error);
        };
        client.once('error', fail);
        client.once('connect', () => {
          if (noDelay) (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
          client.off('error', fail);
          client.on('error', () => {});
          resolve({
            publish(topic, payload, qos, done) {
              client.publish(topic, payload as Buffer, { qos }, (error) => done(error));
            },
            subscribe(filter, qos) {
              return new Promise((ok, ko) =>
                client.subscribe(filter, { qos }, (error, granted) => {
                  if (error) ko(error);
                  else if (!granted?.[0] || granted[0].qos > 2)
                    ko(new Error(`SUBACK refused ${filter}`));
                  else ok();
                }),
              );
            },
            onMessage(fn) {
              client.on('message', (topic, payload) => fn(topic, payload));
            },
            pings: () => pings,
            end: () => new Promise((ok) => client.end(false, {}, () => ok())),
          });
        });
      });
    },
  };
}

export const mqttjs: BenchLib = makeMqttjs(false);
export const mqttjsNoDelay: BenchLib = makeMqttjs(true);

export const LIBS: readonly BenchLib[] = [mqttkit, mqttjs];
