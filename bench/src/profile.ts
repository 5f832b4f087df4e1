// One case for one client, for `node --cpu-prof`, against the built packages (build first;
// through tsx and the source `paths`, its `__name` helpers would top the profile):
//   TSX_TSCONFIG_PATH=tsconfig.run.json \
//     node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx src/profile.ts mqttkit q0-16k 20000
// then `node --import tsx src/profile-summary.ts /tmp/prof/<file>.cpuprofile`. A case key of the
// client-bound part prefixed with `bound:` (`bound:receive-q1-64`, `bound:q0-64`) runs against
// the bench's own peer process instead of mosquitto.
import { startBenchBroker } from './broker.js';
import { CLIENT_BOUND_CASES } from './client-bound.js';
import { libBoundParty, rawBoundParty } from './client-bound-parties.js';
import { mqttjs, mqttkit } from './libs.js';
import { startPeer } from './peer.js';
import { PUBLISH_CASES } from './publish-rounds.js';
import { libParty, rawParty } from './throughput.js';

const [libName = 'mqttkit', key = 'q0-64', count = '50000'] = process.argv.slice(2);
const n = Number(count);
const lib = libName === 'MQTT.js' ? mqttjs : mqttkit;

async function report(round: (r: number) => Promise<number>, label: string): Promise<void> {
  for (let r = 0; r < 3; r++) {
    const cpu0 = process.cpuUsage();
    const rate = await round(r);
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `${libName} ${label}: ${Math.round(rate)} msg/s, ${((cpu.user + cpu.system) / n).toFixed(2)} µs CPU/msg ` +
        `(user ${(cpu.user / n).toFixed(2)}, system ${(cpu.system / n).toFixed(2)})`,
    );
  }
}

if (key.startsWith('bound:')) {
  const c = CLIENT_BOUND_CASES.find((x) => x.key === key.slice('bound:'.length));
  if (!c)
    throw new Error(`unknown case ${key}: ${CLIENT_BOUND_CASES.map((x) => x.key).join(', ')}`);
  const peer = await startPeer();
  try {
    const party =
      libName === 'raw'
        ? await rawBoundParty(peer, 'prof', 120_000)
        : await libBoundParty(lib, peer, 'prof', 120_000);
    const payload = Buffer.alloc(c.size, 0x61);
    await report(
      (r) =>
        c.direction === 'publish'
          ? party.publishRound(`bench/prof/${r}`, payload, c.qos, n, 1000)
          : party.receiveRound({ qos: c.qos, size: c.size, n, window: 1000 }, `prof/${r}`),
      `${c.label} (own peer)`,
    );
    await party.close();
  } finally {
    await peer.close();
  }
} else {
  const c = PUBLISH_CASES.find((x) => x.key === key);
  if (!c) throw new Error(`unknown case ${key}: ${PUBLISH_CASES.map((x) => x.key).join(', ')}`);
  const broker = await startBenchBroker();
  try {
    const party =
      libName === 'raw'
        ? await rawParty(broker.port, 'prof', 120_000)
        : await libParty(lib, broker.url, 'prof', 120_000);
    const payload = Buffer.alloc(c.size, 0x61);
    await report((r) => party.publishRound(`bench/prof/${r}`, payload, c.qos, n), c.label);
    await party.close();
  } finally {
    await broker.close();
  }
}
