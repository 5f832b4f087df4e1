// A real mosquitto on loopback, in its own process, with its limits raised so the broker queues
// and forwards everything: the clients, not the broker's defaults, set the pace.
import { type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';

export const BROKER_LIMITS = [
  'max_inflight_messages 0',
  'max_inflight_bytes 0',
  'max_queued_messages 0',
  'max_queued_bytes 0',
  'max_connections -1',
  'message_size_limit 0',
  'set_tcp_nodelay true',
  // The bench process keeps what mosquitto prints (testkit's log()): two lines per connect would
  // be counted as part of each idle client's heap (about 330 B per client, either library).
  'connection_messages false',
];

export function startBenchBroker(): Promise<MosquittoHandle> {
  return startMosquitto({ extraConfig: BROKER_LIMITS });
}
