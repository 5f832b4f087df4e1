/**
 * One client for the page, its events wired to the view: the diagram follows `state`, closes and
 * reconnects go to the events list, PINGREQ/PINGRESP to the pings list, messages to the log and
 * the topic tree.
 */
import { createClient, type MqttClient } from '@mqttkit/client';
import { createRealScheduler, createWorkerTimers } from '@mqttkit/keepalive';
import { describeClose } from './describe.js';
import type { Diagram } from './diagram.js';
import { byId, errorText } from './dom.js';
import type { LogList } from './log.js';
import type { PageSettings } from './settings.js';
import type { TopicTreeView } from './topic-tree-view.js';

export interface View {
  diagram: Diagram;
  events: LogList;
  pings: LogList;
  messages: LogList;
  topics: TopicTreeView;
}

const decoder = new TextDecoder();

export interface Connection {
  readonly client: MqttClient;
  /** Stops updating the view (the page moved to another broker). */
  detach(): void;
}

export function openConnection(settings: PageSettings, view: View): Connection {
  const client = createClient({
    url: settings.url,
    protocolVersion: settings.protocolVersion,
    keepalive: settings.keepalive,
    ...(settings.username ? { username: settings.username } : {}),
    ...(settings.password ? { password: settings.password } : {}),
    clientId: `dashboard-${Math.random().toString(16).slice(2, 10)}`,
    reconnect: { initialDelay: 500, maxDelay: 5000 },
    // Worker timers keep pings on time while the tab is hidden; without Worker support
    // createWorkerTimers() returns undefined and the page's own timers are used.
    ...(settings.timers === 'worker'
      ? { scheduler: createRealScheduler({ timers: createWorkerTimers() }) }
      : {}),
  });
  const badge = byId<HTMLOutputElement>('state');
  let attached = true;

  // Listeners stay registered after detach(); they just stop touching the view.
  client.on('state', ({ from, to }) => {
    if (!attached) return;
    view.diagram.show(to, from);
    badge.textContent = to;
    badge.dataset.state = to;
  });
  client.on('close', (reason) => {
    if (!attached) return;
    view.events.add(`closed: ${describeClose(reason)}`, reason.willReconnect ? 'warn' : 'info');
  });
  client.on('connect', (result) => {
    if (!attached) return;
    const how = result.attempt === 0 ? 'connected' : `reconnected (attempt ${result.attempt})`;
    view.events.add(`${how} to ${settings.url}, session present: ${result.sessionPresent}`, 'ok');
  });
  client.on('end', (reason) => {
    if (attached) view.events.add(`stopped: ${describeClose(reason)}`, 'info');
  });
  client.on('packetsend', (packet) => {
    if (attached && packet.cmd === 'pingreq') view.pings.add('PINGREQ sent');
  });
  client.on('packetreceive', (packet) => {
    if (!attached || packet.cmd !== 'pingresp') return;
    view.pings.add(`PINGRESP, RTT ${client.stats().lastRttMs?.toFixed(1)} ms`, 'ok');
  });
  client.on('message', (message) => {
    if (!attached) return;
    const flags = [`QoS ${message.qos}`, message.retain ? 'retain' : '', message.dup ? 'dup' : '']
      .filter(Boolean)
      .join(', ');
    view.messages.add(`${message.topic} = ${decoder.decode(message.payload)} (${flags})`, 'in');
    view.topics.record(message.topic, message.payload, message);
  });
  client.on('error', (error) => {
    if (attached) view.events.add(`error: ${errorText(error)}`, 'bad');
  });

  client.connect().catch((error: unknown) => {
    if (attached) view.events.add(`connect failed: ${errorText(error)}`, 'bad');
  });
  return {
    client,
    detach() {
      attached = false;
    },
  };
}
