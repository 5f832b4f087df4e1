import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type MosquittoHandle,
  mosquittoPath,
  type StartMosquittoOptions,
  startMosquitto,
} from './mosquitto.js';

const PLUGIN_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so',
  '/usr/lib/aarch64-linux-gnu/mosquitto_dynamic_security.so',
  '/usr/lib/mosquitto_dynamic_security.so',
  '/usr/local/lib/mosquitto_dynamic_security.so',
];

/** Path of mosquitto's dynamic-security plugin, or undefined when it is not installed. */
export function dynsecPluginPath(): string | undefined {
  return PLUGIN_CANDIDATES.find((p) => existsSync(p));
}

/** Like `hasMosquitto`: under `CI` a missing broker or plugin fails the test instead of skipping. */
export const hasMosquittoDynsec: boolean =
  (mosquittoPath() !== undefined && dynsecPluginPath() !== undefined) || Boolean(process.env.CI);

/** Topics (publish) and topic filters (subscribe), with MQTT wildcards. */
export interface AclRules {
  publish?: readonly string[];
  subscribe?: readonly string[];
}

export interface AclUser {
  username: string;
  password: string;
  /** What this user may do; everything not allowed is refused. */
  allow?: AclRules;
  /** Exceptions carved out of `allow` (a deny wins over an allow it overlaps). */
  deny?: AclRules;
}

export interface StartMosquittoWithAclOptions
  extends Omit<StartMosquittoOptions, 'allowAnonymous' | 'beforeStart'> {
  users: readonly AclUser[];
}

/**
 * Start mosquitto with its dynamic-security plugin: only the listed users may connect, each may
 * publish and subscribe what its `allow` rules name minus its `deny` rules. Unlike a plain
 * `acl_file`, the plugin refuses a SUBSCRIBE per filter (SUBACK 0x80 under 3.1.1, 0x87 under 5.0)
 * and, under 5.0, answers a denied QoS 1/2 PUBLISH with PUBACK/PUBREC 0x87. Under 3.1.1 a denied
 * publish is acknowledged as usual and dropped.
 */
export async function startMosquittoWithAcl(
  options: StartMosquittoWithAclOptions,
): Promise<MosquittoHandle> {
  const plugin = dynsecPluginPath();
  if (!plugin)
    throw new Error(
      'mosquitto_dynamic_security.so is not installed (apt-get install -y mosquitto)',
    );
  const { users, ...rest } = options;
  return startMosquitto({
    ...rest,
    allowAnonymous: false,
    async beforeStart(dir) {
      const configFile = join(dir, 'dynamic-security.json');
      await writeFile(configFile, `${JSON.stringify(dynsecConfig(users), null, 2)}\n`, {
        mode: 0o644,
      });
      return [`plugin ${plugin}`, `plugin_opt_config_file ${configFile}`];
    },
  });
}

interface DynsecAcl {
  acltype: 'publishClientSend' | 'subscribePattern';
  topic: string;
  allow: boolean;
  priority: number;
}

/**
 * The plugin's JSON file, in the format `mosquitto_ctrl dynsec init` writes: one role per user.
 * Defaults refuse sending and subscribing, so only `allow` rules open anything; `deny` rules get a
 * higher priority, because the plugin applies the first matching ACL in priority order.
 */
export function dynsecConfig(users: readonly AclUser[]): unknown {
  const acls = (rules: AclRules | undefined, allow: boolean): DynsecAcl[] => [
    ...(rules?.publish ?? []).map(
      (topic): DynsecAcl => ({
        acltype: 'publishClientSend',
        topic,
        allow,
        priority: allow ? 0 : 1,
      }),
    ),
    ...(rules?.subscribe ?? []).map(
      (topic): DynsecAcl => ({
        acltype: 'subscribePattern',
        topic,
        allow,
        priority: allow ? 0 : 1,
      }),
    ),
  ];
  return {
    clients: users.map((user) => ({
      username: user.username,
      ...hashPassword(user.password),
      roles: [{ rolename: roleName(user) }],
    })),
    roles: users.map((user) => ({
      rolename: roleName(user),
      acls: [...acls(user.deny, false), ...acls(user.allow, true)],
    })),
    defaultACLAccess: {
      publishClientSend: false,
      publishClientReceive: true,
      subscribe: false,
      unsubscribe: true,
    },
  };
}

function roleName(user: AclUser): string {
  return `role-${user.username}`;
}

// The plugin stores base64(PBKDF2-HMAC-SHA512(password, salt, iterations, 64 bytes)) with the
// salt in base64; 101 iterations is what mosquitto_ctrl itself uses, and keeps startup fast.
function hashPassword(password: string): { password: string; salt: string; iterations: number } {
  const salt = randomBytes(12);
  const iterations = 101;
  const hash = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
  return { password: hash.toString('base64'), salt: salt.toString('base64'), iterations };
}
