// Runs before the test suite. The interop tests need a real mosquitto (Debian package `mosquitto`),
// and the CLI's interop tests mosquitto_pub/mosquitto_sub (`mosquitto-clients`).
// On a machine where we are root and apt-get exists, install it; elsewhere say how, and let
// those tests skip themselves. Under CI a missing mosquitto is an error, never a silent skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'];
const broker = () => candidates.find((p) => existsSync(p)) ?? which('mosquitto');
/** The broker's path when both the broker and the command-line clients are installed. */
const found = () => (which('mosquitto_sub') ? broker() : undefined);

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

let path = found();
if (!path && process.getuid?.() === 0 && which('apt-get')) {
  console.log('mosquitto or mosquitto-clients missing: installing the Debian packages');
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'mosquitto', 'mosquitto-clients'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (err) {
    console.error(`apt-get failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  path = found();
}

if (path) {
  console.log(`mosquitto: ${path}`);
} else if (process.env.CI) {
  console.error(
    'mosquitto and mosquitto-clients are required in CI: apt-get install -y mosquitto mosquitto-clients',
  );
  process.exit(1);
} else {
  console.warn(
    'mosquitto or mosquitto-clients not found: the interop tests that need them will be SKIPPED. Install them with `sudo apt-get install -y mosquitto mosquitto-clients`.',
  );
}
