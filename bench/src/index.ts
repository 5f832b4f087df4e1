import { printTable, runKeepaliveBench } from './keepalive.js';

printTable(
  `@mqttkit/keepalive: 100,000 engines (node ${process.version})`,
  await runKeepaliveBench(),
);
