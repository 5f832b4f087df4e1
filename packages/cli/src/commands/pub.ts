/** `mqttkit pub`: publish one message (-m, -f, -s, -n) or one per stdin line (-l), then disconnect. */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import {
  type CloseReason,
  describeReason,
  type MqttClient,
  type PublishOptions,
} from '@mqttkit/client';
import type { PubArgs } from '../args.js';
import { connectOrFail, errorText, openClient } from '../connection.js';
import { CliRuntimeError, EXIT, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';

/** Unacknowledged publishes allowed while reading stdin lines, to bound memory. */
const LINE_WINDOW = 1000;

export async function pub(args: PubArgs, io: Io): Promise<ExitCode> {
  // Read a file before connecting: a missing file should not cost a connection.
  const payload = await fixedPayload(args, io);
  const client = await openClient(args.connection, { reconnect: false }, io);
  await connectOrFail(client, args.connection.url, io);
  const options: PublishOptions = { qos: args.qos, retain: args.retain };
  if (Object.keys(args.connection.properties.publish).length > 0) {
    options.properties = args.connection.properties.publish;
  }
  try {
    if (payload !== undefined) {
      // --repeat: one after the other, each acknowledged (QoS 1/2) before the delay, as
      // mosquitto_pub does; Ctrl-C stops between two.
      for (let i = 0; i < args.repeat && !io.interrupt.aborted; i++) {
        if (i > 0 && args.repeatDelaySeconds > 0) await pause(args.repeatDelaySeconds, io);
        if (io.interrupt.aborted) break;
        await publishOne(client, args.topic, payload, options);
      }
    } else {
      await publishLines(client, args.topic, options, io);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return EXIT.ok;
}

function pause(seconds: number, io: Io): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      io.interrupt.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, seconds * 1000);
    io.interrupt.addEventListener('abort', done, { once: true });
  });
}

async function fixedPayload(args: PubArgs, io: Io): Promise<Uint8Array | string | undefined> {
  const source = args.source;
  switch (source.type) {
    case 'message':
      return source.text;
    case 'null':
      return new Uint8Array(0);
    case 'file':
      try {
        return new Uint8Array(await readFile(source.path));
      } catch (error) {
        throw new CliRuntimeError(`-f ${source.path}: cannot read it (${errorText(error)})`, {
          cause: error,
        });
      }
    case 'stdin': {
      const chunks: Buffer[] = [];
      for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
      return new Uint8Array(Buffer.concat(chunks));
    }
    case 'stdin-lines':
      return undefined;
  }
}

async function publishOne(
  client: MqttClient,
  topic: string,
  payload: string | Uint8Array,
  options: PublishOptions,
): Promise<void> {
  try {
    await client.publish(topic, payload, options);
  } catch (error) {
    throw publishError(topic, error);
  }
}

/** -l: each line (without its line ending) is one message, sent as it is read. */
async function publishLines(
  client: MqttClient,
  topic: string,
  options: PublishOptions,
  io: Io,
): Promise<void> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  const pending = new Set<Promise<void>>();
  let failure: unknown;
  const onInterrupt = (): void => lines.close();
  io.interrupt.addEventListener('abort', onInterrupt, { once: true });
  try {
    for await (const text of lines) {
      if (failure !== undefined) break;
      const p: Promise<void> = client.publish(topic, text, options).then(
        () => {
          pending.delete(p);
        },
        (error: unknown) => {
          pending.delete(p);
          failure ??= error;
        },
      );
      pending.add(p);
      if (pending.size >= LINE_WINDOW) await Promise.race(pending);
    }
    await Promise.all(pending);
  } finally {
    io.interrupt.removeEventListener('abort', onInterrupt);
    lines.close();
  }
  if (failure !== undefined) throw publishError(topic, failure);
}

function publishError(topic: string, error: unknown): CliRuntimeError {
  // Match on `code`, not instanceof: the client documents its codes as the stable contract.
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    reasonCode?: unknown;
    reasonString?: unknown;
    reason?: CloseReason;
  };
  if (e.code === 'MQTTKIT_ERR_PUBLISH_REFUSED' && typeof e.reasonCode === 'number') {
    const detail = typeof e.reasonString === 'string' ? ` (${e.reasonString})` : '';
    const code = `0x${e.reasonCode.toString(16).padStart(2, '0')}`;
    return new CliRuntimeError(
      `Publish to ${topic} refused by the broker: reason code ${code}${detail}`,
      {
        cause: error,
        reasonCode: e.reasonCode,
      },
    );
  }
  const text = e.reason ? describeReason(e.reason) : errorText(error);
  return new CliRuntimeError(`Publish to ${topic} failed: ${text}`, { cause: error });
}
