/**
 * Boots the page: diagram, lists, topic tree, forms, saved connections, and a client for the URL
 * in the query string.
 */
import type { MqttClient } from '@mqttkit/client';
import { type Connection, openConnection, type View } from './connection.js';
import { createDiagram } from './diagram.js';
import { byId } from './dom.js';
import { bindPublishForm, bindSubscribeForm } from './forms.js';
import { createLogList } from './log.js';
import { bindSavedConnections } from './saved-view.js';
import { readSettings } from './settings.js';
import { renderStats } from './stats.js';
import { createTopicTree } from './topic-tree.js';
import { createTopicTreeView } from './topic-tree-view.js';

const settings = readSettings(window.location.search);
byId('timers').textContent = settings.timers;
const diagram = createDiagram(byId('diagram'));
diagram.show('idle');

const view: View = {
  diagram,
  events: createLogList(byId('events')),
  pings: createLogList(byId('pings'), 50),
  messages: createLogList(byId('log')),
  topics: createTopicTreeView(
    createTopicTree(),
    byId('topic-tree'),
    byId('topic-detail'),
    byId('topic-summary'),
  ),
};

const urlField = byId<HTMLInputElement>('broker-url');
const usernameField = byId<HTMLInputElement>('broker-username');
const passwordField = byId<HTMLInputElement>('broker-password');

let connection: Connection | undefined;
const current = (): MqttClient | undefined => connection?.client;

/** Connects to what the header's fields hold (the previous client, if any, is ended). */
function connect(): void {
  if (connection) {
    connection.detach();
    void connection.client.end({ force: true });
    diagram.show('idle');
    view.topics.clear();
  }
  settings.url = urlField.value.trim();
  settings.username = usernameField.value;
  settings.password = passwordField.value;
  const query = new URLSearchParams(window.location.search);
  query.set('url', settings.url);
  query.set('v', String(settings.protocolVersion));
  query.set('keepalive', String(settings.keepalive));
  window.history.replaceState(null, '', `?${query}`);
  connection = openConnection(settings, view);
}

byId<HTMLFormElement>('broker-form').addEventListener('submit', (event) => {
  event.preventDefault();
  connect();
});
byId('disconnect').addEventListener('click', () => {
  void connection?.client.end();
});
bindSubscribeForm(current);
bindPublishForm(current, view.messages);
bindSavedConnections(window.localStorage, {
  current: () => ({
    url: urlField.value.trim(),
    protocolVersion: settings.protocolVersion,
    keepalive: settings.keepalive,
    username: usernameField.value,
    password: passwordField.value,
  }),
  open(entry) {
    urlField.value = entry.url;
    usernameField.value = entry.username ?? '';
    passwordField.value = entry.password ?? '';
    settings.protocolVersion = entry.protocolVersion;
    settings.keepalive = entry.keepalive;
    if (entry.username && entry.password === undefined) {
      // Saved without its password: the user types it, then connects.
      passwordField.focus();
      return;
    }
    connect();
  },
});

urlField.value = settings.url;
connect();
setInterval(() => {
  if (connection) renderStats(connection.client.stats());
}, 250);
