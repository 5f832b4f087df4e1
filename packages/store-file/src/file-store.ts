/**
 * A file-backed `InflightStore`: an append-only log of `put` / `del` / `clear` records, one JSON
 * line each, replayed into a Map on open and rewritten (compacted) when dead records pile up.
 *
 * Durability is the `fsync` policy:
 * - `always` (default): a `put`/`delete`/`clear` promise resolves only after its record is on
 *   disk (`fdatasync`). The client writes a QoS 1/2 PUBLISH only once its `put` resolved, so
 *   anything the broker may have received survives a crash of the process or of the machine.
 *   Records issued while a sync runs are written and synced together (group commit).
 * - `interval`: the promise resolves once the record is written to the OS; the file is synced
 *   every `fsyncIntervalMs`. Survives a process crash (SIGKILL), loses at most the last interval
 *   on a power loss or kernel crash.
 * - `never`: written to the OS, synced only by `flush()`, `compact()` and `close()`. Survives a
 *   process crash, not a machine crash.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { type FileHandle, open, readFile, rename, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { InflightEntry, InflightStore } from '@mqttkit/client';
import {
  FileStoreClosedError,
  FileStoreCorruptError,
  FileStoreIoError,
  FileStoreOptionError,
} from './errors.js';
import { decodeRecord, encodeRecord, type LogRecord } from './records.js';

/** When the log is synced to disk: after every write, on an interval, or never. */
export type FsyncPolicy = 'always' | 'interval' | 'never';

/** Options of `createFileStore`. */
export interface FileStoreOptions {
  /** The log file; created when missing. Its folder must exist. One client per file. */
  path: string;
  /** When records reach the disk; see the module comment. Default `'always'`. */
  fsync?: FsyncPolicy;
  /** Sync period for `fsync: 'interval'`, ms. Default 1000. */
  fsyncIntervalMs?: number;
  /**
   * Compact once the log holds this many records more than live entries. Default 10,000.
   * Compaction writes the live entries to `<path>.tmp`, syncs it and renames it over the log.
   */
  compactAfter?: number;
}

/** An `InflightStore` kept in an append-only log file. */
export interface FileStore extends InflightStore {
  put(packetId: number, entry: InflightEntry): Promise<void>;
  delete(packetId: number): Promise<void>;
  entries(): Promise<Array<[number, InflightEntry]>>;
  clear(): Promise<void>;
  /** Live entries. */
  readonly size: number;
  /** Resolves once every record issued so far is written and synced, whatever the policy. */
  flush(): Promise<void>;
  /** Rewrites the log to hold only the live entries (also done automatically). */
  compact(): Promise<void>;
  /** Flushes, syncs and closes the file; later calls reject with `FileStoreClosedError`. */
  close(): Promise<void>;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

function check(packetId: number, entry: InflightEntry): void {
  if (!Number.isInteger(packetId) || packetId < 1 || packetId > 65_535) {
    throw new RangeError(`Packet Identifier must be an integer 1-65535, got ${packetId}`);
  }
  if (entry.kind === 'publish') {
    if (entry.packet.qos === 0) throw new RangeError('a QoS 0 PUBLISH has no in-flight state');
    if (entry.packet.packetId !== packetId) {
      throw new RangeError(
        `PUBLISH packetId ${entry.packet.packetId} stored under Packet Identifier ${packetId}`,
      );
    }
  } else if (entry.packetId !== packetId) {
    throw new RangeError(`PUBREL packetId ${entry.packetId} stored under ${packetId}`);
  }
}

function validate(options: FileStoreOptions): Required<FileStoreOptions> {
  if (typeof options?.path !== 'string' || options.path === '') {
    throw new FileStoreOptionError('path', 'a non-empty file path is required');
  }
  const fsync = options.fsync ?? 'always';
  if (fsync !== 'always' && fsync !== 'interval' && fsync !== 'never') {
    throw new FileStoreOptionError('fsync', `expected 'always', 'interval' or 'never'`);
  }
  const fsyncIntervalMs = options.fsyncIntervalMs ?? 1000;
  if (!Number.isInteger(fsyncIntervalMs) || fsyncIntervalMs < 1) {
    throw new FileStoreOptionError('fsyncIntervalMs', 'expected a positive integer');
  }
  const compactAfter = options.compactAfter ?? 10_000;
  if (!Number.isInteger(compactAfter) || compactAfter < 1) {
    throw new FileStoreOptionError('compactAfter', 'expected a positive integer');
  }
  return { path: options.path, fsync, fsyncIntervalMs, compactAfter };
}

function apply(map: Map<number, InflightEntry>, record: LogRecord): void {
  if (record.op === 'put') map.set(record.id, record.entry);
  else if (record.op === 'del') map.delete(record.id);
  else map.clear();
}

/** Replays the log; drops (and truncates away) a torn last record left by a crash. */
async function load(path: string): Promise<{ map: Map<number, InflightEntry>; records: number }> {
  const map = new Map<number, InflightEntry>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { map, records: 0 };
    throw new FileStoreIoError(path, 'read', error);
  }
  let offset = 0;
  let records = 0;
  let line = 0;
  while (offset < text.length) {
    line++;
    const end = text.indexOf('\n', offset);
    const complete = end !== -1;
    const record = complete ? decodeRecord(text.slice(offset, end)) : undefined;
    if (!record) {
      // Only the last line may be torn: it has no newline, or nothing follows it.
      const isLast = !complete || end === text.length - 1;
      if (!isLast) throw new FileStoreCorruptError(path, line);
      try {
        await truncate(path, Buffer.byteLength(text.slice(0, offset)));
      } catch (error) {
        throw new FileStoreIoError(path, 'truncate', error);
      }
      break;
    }
    apply(map, record);
    records++;
    offset = end + 1;
  }
  return { map, records };
}

function syncDir(path: string): void {
  // The rename (and a file's creation) is durable only once its folder's entry is synced.
  let fd: number | undefined;
  try {
    fd = openSync(dirname(path), 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot open or sync a folder; the data file itself is synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Opens (or creates) the log at `options.path` and replays it. */
export async function createFileStore(options: FileStoreOptions): Promise<FileStore> {
  const opts = validate(options);
  const { path } = opts;
  const loaded = await load(path);
  const map = loaded.map;
  let records = loaded.records;
  let handle: FileHandle;
  try {
    handle = await open(path, 'a');
  } catch (error) {
    throw new FileStoreIoError(path, 'open', error);
  }
  if (loaded.records === 0) syncDir(path);

  let pending: string[] = [];
  let waiters: Waiter[] = [];
  let writing = false;
  let dirty = false;
  let compactWanted = false;
  let syncWanted = false;
  let failed: unknown;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const sync = async (): Promise<void> => {
    dirty = false;
    await handle.datasync();
  };

  const rewrite = async (): Promise<void> => {
    const tmp = `${path}.tmp`;
    const body = [...map].map(([id, entry]) => encodeRecord({ op: 'put', id, entry })).join('');
    const out = await open(tmp, 'w');
    try {
      await out.writeFile(body);
      await out.datasync();
    } finally {
      await out.close();
    }
    await handle.close();
    await rename(tmp, path);
    syncDir(path);
    handle = await open(path, 'a');
    records = map.size;
    dirty = false;
  };

  // One writer at a time: batches whatever was issued while the previous write was running.
  const drain = async (): Promise<void> => {
    if (writing) return;
    writing = true;
    try {
      while (pending.length > 0 || waiters.length > 0 || compactWanted || syncWanted) {
        const batch = pending;
        const batchWaiters = waiters;
        pending = [];
        waiters = [];
        try {
          if (compactWanted || records + batch.length - map.size > opts.compactAfter) {
            // The Map already reflects every issued record, so the rewrite covers this batch.
            compactWanted = false;
            await rewrite();
          } else if (batch.length > 0) {
            await handle.appendFile(batch.join(''));
            records += batch.length;
            dirty = true;
          }
          if (dirty && (opts.fsync === 'always' || syncWanted)) await sync();
          syncWanted = false;
        } catch (error) {
          failed = new FileStoreIoError(path, 'write', error);
          for (const w of [...batchWaiters, ...waiters]) w.reject(failed);
          waiters = [];
          pending = [];
          return;
        }
        for (const w of batchWaiters) w.resolve();
      }
    } finally {
      writing = false;
    }
  };

  /** Resolves once everything issued before the call is written, synced when `withSync`. */
  const barrier = (withSync: boolean, compact = false): Promise<void> => {
    if (closed) return Promise.reject(new FileStoreClosedError(path));
    if (failed) return Promise.reject(failed);
    if (withSync) syncWanted = true;
    if (compact) compactWanted = true;
    const done = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    void drain();
    return done;
  };

  const issue = (record: LogRecord): Promise<void> => {
    if (closed) return Promise.reject(new FileStoreClosedError(path));
    if (failed) return Promise.reject(failed);
    apply(map, record);
    pending.push(encodeRecord(record));
    const done = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    void drain();
    return done;
  };

  if (opts.fsync === 'interval') {
    timer = setInterval(() => {
      if (!dirty || writing || failed || closed) return;
      // Holds the writer slot so a compaction cannot close the handle under the sync.
      writing = true;
      sync()
        .catch((error: unknown) => {
          failed = new FileStoreIoError(path, 'fsync', error);
        })
        .finally(() => {
          writing = false;
          void drain();
        });
    }, opts.fsyncIntervalMs);
    // A store must not keep the process alive on its own.
    timer.unref();
  }

  return {
    async put(packetId, entry) {
      check(packetId, entry);
      return issue({ op: 'put', id: packetId, entry });
    },
    delete(packetId) {
      return issue({ op: 'del', id: packetId });
    },
    async entries() {
      if (closed) throw new FileStoreClosedError(path);
      // A snapshot: the client deletes and puts while it walks the entries.
      return [...map];
    },
    clear() {
      return issue({ op: 'clear' });
    },
    get size() {
      return map.size;
    },
    flush() {
      return barrier(true);
    },
    compact() {
      return barrier(true, true);
    },
    async close() {
      if (closed) return;
      await barrier(true);
      closed = true;
      if (timer) clearInterval(timer);
      try {
        await handle.datasync();
        await handle.close();
      } catch (error) {
        throw new FileStoreIoError(path, 'close', error);
      }
    },
  };
}
