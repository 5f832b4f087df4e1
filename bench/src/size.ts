// `pnpm size`: prints the browser bundle sizes beside MQTT.js and exits 1 when a bundle pulls in
// a Node built-in or polyfill, or the client's bundle exceeds the budget.
import { formatReport, runSizeCheck } from './size-check.js';

try {
  const report = await runSizeCheck();
  console.log(`\nBrowser bundle size (node ${process.version})\n`);
  console.log(formatReport(report));
  if (report.problems.length > 0) {
    console.error(`\nsize check FAILED:\n- ${report.problems.join('\n- ')}`);
    process.exitCode = 1;
  } else {
    console.log('\nsize check passed');
  }
} catch (e) {
  console.error(`size check FAILED: ${(e as Error).message}`);
  process.exitCode = 1;
}
