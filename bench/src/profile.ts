// One publish case for one client, for `node --cpu-prof`, against the built packages (build
// first; through tsx and the source `paths`, its `__name` helpers would top the profile):
//   TSX_TSCONFIG_PATH=tsconfig.run.json \
//     node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx src/profile.ts mqttkit q0-16k 20000
// then `node --import tsx src/profile-summary.ts /tmp/prof/<file>.cpuprofile`.
import { startBenchBroker } from './broker.js';
import { mqttjs, mqttkit } from './libs.js';
import { PUBLISH_CASES } from './publish-rounds.js';
import { libParty, rawParty } from './throughput.js';

const [libName = 'mqttkit', key = 'q0-64', count = '50000'] = process.argv.slice(2);
const c = PUBLISH_CASES.find((x) => x.key === key);
if (!c) throw new Error(`unknown case ${key}: ${PUBLISH_CASES.map((x) => x.key).join(', ')}`);
const n = Number(count);
const broker = await startBenchBroker();
try {
  const party =
    libName === 'raw'
      ? await rawParty(broker.port, 'prof', 120_000)
      : await libParty(libName === 'MQTT.js' ? mqttjs : mqttkit, broker.url, 'prof', 120_000);
  const payload = Buffer.alloc(c.size, 0x61);
  for (let r = 0; r < 3; r++) {
    const cpu0 = process.cpuUsage();
    const rate = await party.publishRound(`bench/prof/${r}`, payload, c.qos, n);
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `${libName} ${c.label}: ${Math.round(rate)} msg/s, ${((cpu.user + cpu.system) / n).toFixed(1)} µs CPU/msg ` +
        `(user ${(cpu.user / n).toFixed(1)}, system ${(cpu.system / n).toFixed(1)})`,
    );
  }
  await party.close();
} finally {
  await broker.close();
}
