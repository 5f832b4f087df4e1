/** Boots the page: diagram, lists, forms, and a client for the URL in the query string. */
import type { MqttClient } from '@mqttkit/client';
import { type Connection, openConnection, type View } from './connection.js';
import { createDiagram } from './diagram.js';
import { byId } from './dom.js';
import { bindPublishForm, bindSubscribeForm } from './forms.js';
import { createLogList } from './log.js';
import { readSettings } from './settings.js';
import { renderStats } from './stats.js';

const settings = readSettings(window.location.search);
byId('timers').textContent = settings.timers;
const diagram = createDiagram(byId('diagram'));
diagram.show('idle');

const view: View = {
  diagram,
  events: createLogList(byId('events')),
  pings: createLogList(byId('pings'), 50),
  messages: createLogList(byId('log')),
};

let connection: Connection | undefined;
const current = (): MqttClient | undefined => connection?.client;

function connectTo(url: string): void {
  if (connection) {
    connection.detach();
    void connection.client.end({ force: true });
    diagram.show('idle');
  }
  settings.url = url;
  byId<HTMLInputElement>('broker-url').value = url;
  connection = openConnection(settings, view);
}

byId<HTMLFormElement>('broker-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const url = byId<HTMLInputElement>('broker-url').value.trim();
  const query = new URLSearchParams(window.location.search);
  query.set('url', url);
  window.history.replaceState(null, '', `?${query}`);
  connectTo(url);
});
byId('disconnect').addEventListener('click', () => {
  void connection?.client.end();
});
bindSubscribeForm(current);
bindPublishForm(current, view.messages);

connectTo(settings.url);
setInterval(() => {
  if (connection) renderStats(connection.client.stats());
}, 250);
