/**
 * `mqttkit sub`: subscribe and print each message (payload, `-v` topic and payload, or `-F`).
 * Ends on `-C` messages, `-E` once subscribed, `-W` seconds (exit 27), Ctrl-C, or when the
 * client stops for good. After the first connection it reconnects (and resubscribes) like
 * mosquitto_sub.
 */
import { type CloseReason, describeReason, type Message } from '@mqttkit/client';
import type { SubArgs } from '../args.js';
import { connectOrFail, errorText, openClient } from '../connection.js';
import { CliRuntimeError, CliTimeoutError, EXIT, type ExitCode } from '../errors.js';
import { concat, renderMessage } from '../format.js';
import { type Io, line } from '../io.js';

const encoder = new TextEncoder();
const NEWLINE = encoder.encode('\n');

export function printable(args: SubArgs, message: Message, io: Io): Uint8Array {
  let body: Uint8Array;
  if (args.format) {
    const nowMs = io.now();
    body = renderMessage(
      args.format,
      message,
      { nowMs, utcOffsetMinutes: -new Date(nowMs).getTimezoneOffset() },
      args.pretty,
    );
  } else if (args.verbose) {
    body = concat([encoder.encode(`${message.topic} `), message.payload]);
  } else {
    body = message.payload;
  }
  return args.noNewline ? body : concat([body, NEWLINE]);
}

export async function sub(args: SubArgs, io: Io): Promise<ExitCode> {
  const client = await openClient(args.connection, { reconnect: true }, io);
  let printed = 0;
  let finish: (outcome: ExitCode | Error) => void = () => undefined;
  const done = new Promise<ExitCode | Error>((resolve) => {
    finish = resolve;
  });

  // --remove-retained: the clearing publishes still in flight, awaited before disconnecting.
  const clearing = new Set<Promise<unknown>>();
  client.on('message', (message) => {
    if (args.removeRetained && message.retain) {
      // As mosquitto_sub: an empty retained message at QoS 1 clears the topic [MQTT-3.3.1-10].
      const cleared = client
        .publish(message.topic, new Uint8Array(0), { qos: 1, retain: true })
        .catch((error: unknown) =>
          line(io.stderr, `mqttkit: clearing ${message.topic} failed: ${errorText(error)}`),
        )
        .finally(() => clearing.delete(cleared));
      clearing.add(cleared);
    }
    if (args.retainedOnly && !message.retain) {
      finish(EXIT.ok);
      return;
    }
    if (args.skipRetained && message.retain) return;
    if (args.count !== undefined && printed >= args.count) return;
    io.stdout.write(printable(args, message, io));
    printed++;
    if (args.count !== undefined && printed >= args.count) finish(EXIT.ok);
  });
  client.on('end', (reason: CloseReason) => {
    // The client stopped on its own (a refusal on reconnect, a broker DISCONNECT it will not retry).
    if (reason.type !== 'local-end')
      finish(new CliRuntimeError(`Connection ended: ${describeReason(reason)}`));
  });
  client.on('offline', (reason: CloseReason) => {
    if (!reason.willReconnect) return;
    line(io.stderr, `mqttkit: connection lost (${describeReason(reason)}); reconnecting`);
  });

  await connectOrFail(client, args.connection.url, io);
  const timer =
    args.timeoutSeconds === undefined
      ? undefined
      : setTimeout(
          () => finish(new CliTimeoutError(args.timeoutSeconds!)),
          args.timeoutSeconds * 1000,
        );
  const onInterrupt = (): void => finish(EXIT.ok);
  io.interrupt.addEventListener('abort', onInterrupt, { once: true });
  if (io.interrupt.aborted) finish(EXIT.ok);

  try {
    const options = Object.keys(args.connection.properties.subscribe).length
      ? { properties: args.connection.properties.subscribe }
      : {};
    const subscribing = client.subscribe(
      args.topics.map((topicFilter) => ({ topicFilter, qos: args.qos })),
      options,
    );
    // -U: sent right behind the SUBSCRIBE, as mosquitto_sub does.
    const unsubscribing =
      args.unsubscribe.length > 0 ? client.unsubscribe(args.unsubscribe) : Promise.resolve([]);
    const [results] = await Promise.race([
      Promise.all([subscribing, unsubscribing]),
      done.then(() => [undefined]),
    ]).catch((error: unknown) => {
      throw new CliRuntimeError(`Subscribe failed: ${errorText(error)}`, { cause: error });
    });
    if (results) {
      const refused = results.filter((r) => r.reasonCode >= 0x80);
      for (const r of refused) {
        const detail = r.reasonString ? ` (${r.reasonString})` : '';
        line(
          io.stderr,
          `mqttkit: subscription to ${r.topicFilter} refused: reason code 0x${r.reasonCode.toString(16)}${detail}`,
        );
      }
      if (refused.length === results.length) {
        finish(
          new CliRuntimeError('All subscriptions were refused', {
            reasonCode: refused[0]?.reasonCode ?? 0x80,
          }),
        );
      } else if (args.exitAfterSubscribe) {
        finish(EXIT.ok);
      }
    }
    const outcome = await done;
    if (outcome instanceof Error) throw outcome;
    return outcome;
  } finally {
    if (timer) clearTimeout(timer);
    io.interrupt.removeEventListener('abort', onInterrupt);
    await Promise.all(clearing);
    await client.end().catch(() => undefined);
  }
}
