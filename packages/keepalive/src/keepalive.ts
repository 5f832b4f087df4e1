import { checkCallback, checkDuration, defaultPingTimeoutMs, lateSlackMs } from './options.js';
import { realScheduler, type Scheduler } from './scheduler.js';

/** Why `onDead` fired. A union on `type` so later detection rules can be added without breaking. */
export type DeadReason = PingTimeoutReason;

/** A PINGREQ went unanswered and nothing was received for `keepaliveMs + pingTimeoutMs`. */
export interface PingTimeoutReason {
  type: 'ping-timeout';
  keepaliveMs: number;
  pingTimeoutMs: number;
  /** Scheduler time of the last packet received (or of `start()` when none arrived since). */
  lastReceivedAt: number;
  /** Scheduler time the unanswered PINGREQ was sent. */
  pingSentAt: number;
  /** Scheduler time the link was declared dead. */
  detectedAt: number;
  /** `detectedAt - lastReceivedAt`: at least, and on time exactly, `keepaliveMs + pingTimeoutMs`. */
  silentMs: number;
}

/** Options of `createKeepalive`. */
export interface KeepaliveOptions {
  /** Keep Alive in milliseconds (the CONNECT value x 1000). 0 disables pings and detection. */
  keepaliveMs: number;
  /** How long a PINGREQ may stay unanswered. Default: half the keepalive (rounded up). */
  pingTimeoutMs?: number;
  /** Clock and timers. Default: `realScheduler`; use `createSharedScheduler()` for many links. */
  scheduler?: Scheduler;
  /** Write a PINGREQ now. Called from a scheduler callback, never from a host call. */
  sendPing: () => void;
  /** The link is dead. Called at most once per `start()`; the engine is stopped by then. */
  onDead: (reason: DeadReason) => void;
}

/** `running` between `start()` and `stop()`; `dead` once `onDead` was called. */
export type KeepaliveState = 'stopped' | 'running' | 'dead';

/** What `keepalive.stats()` returns. */
export interface KeepaliveStats {
  state: KeepaliveState;
  keepaliveMs: number;
  pingTimeoutMs: number;
  /** PINGREQs sent over the engine's lifetime (all connections). */
  pingsSent: number;
  /** PINGRESPs that answered an outstanding PINGREQ. */
  pongsReceived: number;
  /** Round trip of the last answered PINGREQ, in milliseconds. */
  lastRttMs: number | undefined;
  pingOutstanding: boolean;
  /** Scheduler time of the last `packetSent()` or PINGREQ, undefined before the first `start()`. */
  lastSentAt: number | undefined;
  /** Scheduler time of the last `packetReceived()`/`pingAnswered()` (or `start()`). */
  lastReceivedAt: number | undefined;
  /**
   * Checks that ran more than `lateSlackMs(pingTimeoutMs)` after the time they were scheduled
   * for (a hidden tab, a frozen page, a suspended machine), over the engine's lifetime. Many of
   * them mean the host throttles its timers: see `createWorkerTimers()`.
   */
  lateWakeups: number;
}

/** A keepalive engine for one connection, made by `createKeepalive`. */
export interface Keepalive {
  /** Begin keeping the link alive (call once the CONNACK arrived). No-op while running. */
  start(): void;
  /** Stop for good (until the next `start()`): no callback fires after this returns. */
  stop(): void;
  /** The host wrote a control packet. Only records the time. */
  packetSent(): void;
  /** The host received a packet of any kind. Only records the time. */
  packetReceived(): void;
  /** The host received a PINGRESP: counts as a received packet and answers the PINGREQ. */
  pingAnswered(): void;
  /** Replace the keepalive, e.g. with the MQTT 5 Server Keep Alive from CONNACK. 0 disables. */
  setKeepalive(keepaliveMs: number): void;
  /**
   * The host stopped reading the link on purpose (inbound flow control): what the peer sends
   * waits unread, so silence proves nothing. Until `readingResumed()` the engine never declares
   * the link dead, and still sends a PINGREQ whenever nothing was sent for a keepalive, the
   * peer's own dead-link check [MQTT-3.1.2-24] (3.1.1) / [MQTT-3.1.2-22] (5.0) being on what we
   * send. Cleared by `start()` and `stop()`.
   */
  readingPaused(): void;
  /**
   * Reading again: the bytes that waited count as traffic seen now, so the link is judged from
   * here as after any packet (dead at most `keepaliveMs + pingTimeoutMs` later if it stays silent).
   */
  readingResumed(): void;
  /** Counters and timestamps of the engine. */
  stats(): KeepaliveStats;
}

/**
 * Create a keepalive engine. Rules (each one is tested, see the README):
 * - a PINGREQ is due when nothing was sent, or nothing was received, for `keepaliveMs`;
 * - at most one PINGREQ is outstanding, and two PINGREQs are always at least `keepaliveMs` apart;
 * - the link is dead when a PINGREQ has been unanswered for `pingTimeoutMs` and nothing was
 *   received for `keepaliveMs + pingTimeoutMs`, which is when `onDead` fires, once;
 * - a check that runs late (the engine was asleep) never ends the link: it gives the outstanding
 *   PINGREQ `pingTimeoutMs` from the wake-up, once per PINGREQ (README, "Hidden tabs and late
 *   timers").
 */
export function createKeepalive(options: KeepaliveOptions): Keepalive {
  return new KeepaliveEngine(options);
}

class KeepaliveEngine implements Keepalive {
  readonly #scheduler: Scheduler;
  readonly #sendPing: () => void;
  readonly #onDead: (reason: DeadReason) => void;
  readonly #pingTimeoutFixed: boolean;
  #keepaliveMs: number;
  #pingTimeoutMs: number;
  #state: KeepaliveState = 'stopped';
  #started = false;
  // The host does not read the link (readingPaused): the verdict waits for readingResumed.
  #readingPaused = false;
  // Activity timestamps on the scheduler's clock. The hot path only writes these two.
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #lastReceivedAt = Number.NEGATIVE_INFINITY;
  #pingOutstanding = false;
  #pingSentAt = Number.NEGATIVE_INFINITY;
  // When a late check found the outstanding PINGREQ, the deadline it granted: wake-up +
  // pingTimeoutMs. -Infinity while the current PINGREQ (if any) has had no grace.
  #graceUntil = Number.NEGATIVE_INFINITY;
  // The deadline passed at the last check, which yielded once before the verdict.
  #verdictDue = false;
  // Survives stop()/start(): two PINGREQs are never closer than one keepalive, even across a
  // reconnect (a broker may throttle pings per client id: AWS IoT Core allows one per 30 s, and
  // MQTT.js #1845 fell into a reconnect loop after sending two 3 ms apart).
  #lastPingAt = Number.NEGATIVE_INFINITY;
  #pingsSent = 0;
  #pongsReceived = 0;
  #lastRttMs: number | undefined = undefined;
  #lateWakeups = 0;
  #cancelTimer: (() => void) | undefined = undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  // When the armed check should run: `#timerAt`, or the arming time if that was already past
  // ("as soon as possible"). A check running well after this means the engine was asleep.
  #timerDueAt = Number.POSITIVE_INFINITY;
  readonly #onTimer: () => void;

  constructor(options: KeepaliveOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('createKeepalive: options required');
    }
    this.#keepaliveMs = checkDuration('keepaliveMs', options.keepaliveMs, 0);
    this.#pingTimeoutFixed = options.pingTimeoutMs !== undefined;
    this.#pingTimeoutMs =
      options.pingTimeoutMs === undefined
        ? defaultPingTimeoutMs(this.#keepaliveMs)
        : checkDuration('pingTimeoutMs', options.pingTimeoutMs, 1);
    this.#sendPing = checkCallback('sendPing', options.sendPing);
    this.#onDead = checkCallback('onDead', options.onDead);
    this.#scheduler = options.scheduler ?? realScheduler;
    if (typeof this.#scheduler.now !== 'function' || typeof this.#scheduler.at !== 'function') {
      throw new TypeError('createKeepalive: scheduler needs now() and at()');
    }
    this.#onTimer = () => this.#check();
  }

  packetSent(): void {
    this.#lastSentAt = this.#scheduler.now();
  }

  packetReceived(): void {
    this.#lastReceivedAt = this.#scheduler.now();
  }

  pingAnswered(): void {
    const now = this.#scheduler.now();
    this.#lastReceivedAt = now;
    // An unsolicited PINGRESP (none outstanding, or from before stop()) is only a sign of life.
    if (this.#state !== 'running' || !this.#pingOutstanding) return;
    this.#pingOutstanding = false;
    this.#pongsReceived++;
    this.#lastRttMs = now - this.#pingSentAt;
    // The armed check was the dead-link deadline; the next PINGREQ may be due sooner than that
    // when pingTimeoutMs > keepaliveMs.
    if (this.#keepaliveMs > 0) {
      const due = this.#pingDueAt();
      if (due < this.#timerAt) this.#arm(due);
    }
  }

  start(): void {
    if (this.#state === 'running') return;
    const now = this.#scheduler.now();
    this.#state = 'running';
    this.#started = true;
    this.#readingPaused = false;
    // The CONNECT/CONNACK exchange that precedes start() is the last traffic both ways.
    this.#lastSentAt = now;
    this.#lastReceivedAt = now;
    this.#pingOutstanding = false;
    this.#graceUntil = Number.NEGATIVE_INFINITY;
    this.#verdictDue = false;
    this.#reschedule();
  }

  stop(): void {
    this.#state = 'stopped';
    this.#readingPaused = false;
    // A PINGREQ written on the old connection can never be answered on the next one.
    this.#pingOutstanding = false;
    this.#disarm();
  }

  readingPaused(): void {
    this.#readingPaused = true;
  }

  readingResumed(): void {
    if (!this.#readingPaused) return;
    this.#readingPaused = false;
    if (this.#state !== 'running') return;
    this.#lastReceivedAt = this.#scheduler.now();
    this.#graceUntil = Number.NEGATIVE_INFINITY;
    this.#verdictDue = false;
    this.#reschedule();
  }

  setKeepalive(keepaliveMs: number): void {
    this.#keepaliveMs = checkDuration('keepaliveMs', keepaliveMs, 0);
    if (!this.#pingTimeoutFixed) this.#pingTimeoutMs = defaultPingTimeoutMs(this.#keepaliveMs);
    if (this.#state === 'running') this.#reschedule();
  }

  stats(): KeepaliveStats {
    return {
      state: this.#state,
      keepaliveMs: this.#keepaliveMs,
      pingTimeoutMs: this.#pingTimeoutMs,
      pingsSent: this.#pingsSent,
      pongsReceived: this.#pongsReceived,
      lastRttMs: this.#lastRttMs,
      pingOutstanding: this.#pingOutstanding,
      lastSentAt: this.#started ? this.#lastSentAt : undefined,
      lastReceivedAt: this.#started ? this.#lastReceivedAt : undefined,
      lateWakeups: this.#lateWakeups,
    };
  }

  /**
   * When the next PINGREQ is due. [MQTT-3.1.2-23] (3.1.1) / [MQTT-3.1.2-20] (5.0): the client
   * sends a control packet at least once per keepalive. Silence the other way also makes a ping
   * due: sending alone proves nothing about a half-open link. Never sooner than one keepalive
   * after the previous PINGREQ, whatever the timers did.
   */
  #pingDueAt(): number {
    const quietSince = Math.min(this.#lastSentAt, this.#lastReceivedAt);
    return Math.max(quietSince, this.#lastPingAt) + this.#keepaliveMs;
  }

  /**
   * When the link counts as dead while a PINGREQ is outstanding. [MQTT-3.12.4-1]: the server
   * must answer every PINGREQ. Since a PINGREQ is always sent by `lastReceivedAt + keepaliveMs`,
   * the second term decides whenever the first one would not, as long as checks run on time.
   * The third is the grace a late check gave (see `#check()`).
   */
  #deadlineAt(): number {
    return Math.max(
      this.#pingSentAt + this.#pingTimeoutMs,
      this.#lastReceivedAt + this.#keepaliveMs + this.#pingTimeoutMs,
      this.#graceUntil,
    );
  }

  /** Runs on the scheduler. Activity calls moved times later since it was armed: re-decide. */
  #check(): void {
    const dueAt = this.#timerDueAt;
    this.#cancelTimer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#timerDueAt = Number.POSITIVE_INFINITY;
    if (this.#state !== 'running' || this.#keepaliveMs === 0) return;
    const now = this.#scheduler.now();
    const asleep = now - dueAt > lateSlackMs(this.#pingTimeoutMs);
    if (asleep) this.#lateWakeups++;
    if (this.#readingPaused) {
      this.#checkWhileNotReading(now);
      return;
    }
    if (this.#pingOutstanding) {
      // The engine was asleep, so it did not watch the PINGREQ's window: its PINGRESP may be
      // waiting, unread, behind this very callback (a thawed page or process runs its overdue
      // timers before its queued network events). Judge after a ping timeout of being awake.
      // Once per PINGREQ: a host whose every check is late (a tab throttled to one wake-up a
      // minute) must still detect a dead link, at the next check. No second PINGREQ is sent:
      // if the link is alive, the answer to the first one is already on its way or queued.
      if (asleep && this.#graceUntil === Number.NEGATIVE_INFINITY) {
        this.#graceUntil = now + this.#pingTimeoutMs;
      }
      const deadline = this.#deadlineAt();
      if (now < deadline) {
        this.#verdictDue = false;
        this.#arm(deadline);
      } else if (!this.#verdictDue) {
        // Yield once before the verdict: what the host received while this callback waited
        // behind a busy or thawing event loop is read first (Node runs I/O callbacks between
        // two timer phases). It costs a zero-delay timer: about 1 ms on host timers.
        this.#verdictDue = true;
        this.#arm(now);
      } else {
        this.#die(now);
      }
      return;
    }
    const due = this.#pingDueAt();
    if (now < due) {
      this.#arm(due);
      return;
    }
    // A PINGREQ sent on a late wake-up is given pingTimeoutMs from now by deadlineAt() already.
    this.#pingOutstanding = true;
    this.#graceUntil = Number.NEGATIVE_INFINITY;
    this.#verdictDue = false;
    this.#pingSentAt = now;
    this.#lastPingAt = now;
    this.#lastSentAt = now;
    this.#pingsSent++;
    // State first, callback last: sendPing may call stop(), start() or anything else.
    this.#arm(this.#deadlineAt());
    this.#sendPing();
  }

  /**
   * Reading is paused: an unanswered PINGREQ may be answered in the bytes waiting unread, so no
   * verdict. A PINGREQ still goes out once nothing was sent for a keepalive (the peer judges us by
   * what we send), even with one outstanding; two stay at least one keepalive apart.
   */
  #checkWhileNotReading(now: number): void {
    const due = Math.max(this.#lastSentAt, this.#lastPingAt) + this.#keepaliveMs;
    if (now < due) {
      this.#arm(due);
      return;
    }
    if (!this.#pingOutstanding) this.#pingSentAt = now;
    this.#pingOutstanding = true;
    this.#lastPingAt = now;
    this.#lastSentAt = now;
    this.#pingsSent++;
    this.#arm(now + this.#keepaliveMs);
    this.#sendPing();
  }

  #die(now: number): void {
    const reason: PingTimeoutReason = {
      type: 'ping-timeout',
      keepaliveMs: this.#keepaliveMs,
      pingTimeoutMs: this.#pingTimeoutMs,
      lastReceivedAt: this.#lastReceivedAt,
      pingSentAt: this.#pingSentAt,
      detectedAt: now,
      silentMs: now - this.#lastReceivedAt,
    };
    this.#state = 'dead';
    this.#pingOutstanding = false;
    this.#disarm();
    this.#onDead(reason);
  }

  #reschedule(): void {
    if (this.#keepaliveMs === 0) {
      this.#disarm();
      return;
    }
    this.#arm(this.#pingOutstanding ? this.#deadlineAt() : this.#pingDueAt());
  }

  #arm(timeMs: number): void {
    this.#cancelTimer?.();
    this.#timerAt = timeMs;
    this.#timerDueAt = Math.max(timeMs, this.#scheduler.now());
    this.#cancelTimer = this.#scheduler.at(timeMs, this.#onTimer);
  }

  #disarm(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#timerDueAt = Number.POSITIVE_INFINITY;
  }
}
