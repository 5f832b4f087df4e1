import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  createFakeScheduler,
  createKeepalive,
  createRealScheduler,
  createSharedScheduler,
  realScheduler,
  type Scheduler,
  type TimerSource,
} from '../src/index.js';

/** A fake clock wrapped to count the timers it holds, standing in for host timers. */
function countingBase() {
  const clock = createFakeScheduler();
  let live = 0;
  let armed = 0;
  const base: Scheduler = {
    now: () => clock.now(),
    at(timeMs, fn) {
      live++;
      armed++;
      let done = false;
      const cancel = clock.at(timeMs, () => {
        done = true;
        live--;
        fn();
      });
      return () => {
        if (done) return;
        done = true;
        live--;
        cancel();
      };
    },
  };
  return { clock, base, live: () => live, armed: () => armed };
}

describe('createFakeScheduler', () => {
  it('runs calls at their own time, in order, when advanced', () => {
    const clock = createFakeScheduler({ now: 100 });
    const seen: string[] = [];
    clock.at(300, () => seen.push(`b@${clock.now()}`));
    clock.at(200, () => {
      seen.push(`a@${clock.now()}`);
      clock.at(250, () => seen.push(`a2@${clock.now()}`));
    });
    clock.at(300, () => seen.push(`c@${clock.now()}`));
    const cancel = clock.at(260, () => seen.push('cancelled'));
    cancel();
    clock.advance(250);
    expect(seen).toEqual(['a@200', 'a2@250', 'b@300', 'c@300']);
    expect(clock.now()).toBe(350);
    expect(clock.pending()).toBe(0);
  });

  it('jump runs overdue calls at the landing time; past times run on the next step', () => {
    const clock = createFakeScheduler();
    const seen: number[] = [];
    clock.at(10, () => seen.push(clock.now()));
    clock.jump(1000);
    clock.at(5, () => seen.push(clock.now()));
    expect(seen).toEqual([1000]);
    clock.runDue();
    expect(seen).toEqual([1000, 1000]);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('createSharedScheduler', () => {
  it('holds one base timer for 10,000 pending calls and runs them in time order', () => {
    const { clock, base, live } = countingBase();
    const shared = createSharedScheduler({ base });
    const fired: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const time = (i * 7919) % 5000;
      shared.at(time + 1, () => fired.push(time + 1));
    }
    expect(shared.stats()).toEqual({ pending: 10_000, timers: 1 });
    expect(live()).toBe(1);
    clock.advance(2500);
    expect(fired.length).toBeGreaterThan(0);
    expect(live()).toBe(1);
    clock.advance(2500);
    expect(fired).toHaveLength(10_000);
    expect([...fired].sort((a, b) => a - b)).toEqual(fired);
    expect(shared.stats()).toEqual({ pending: 0, timers: 0 });
    expect(live()).toBe(0);
  });

  it('matches a reference model over random schedule/cancel/advance sequences', () => {
    const op = fc.oneof(
      fc.record({ type: fc.constant('at' as const), delay: fc.integer({ min: -5, max: 500 }) }),
      fc.record({ type: fc.constant('cancel' as const), pick: fc.nat() }),
      fc.record({ type: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 300 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const { clock, base, live } = countingBase();
        const shared = createSharedScheduler({ base });
        const fired: Array<{ id: number; at: number; due: number }> = [];
        const open = new Map<number, { due: number; cancel: () => void }>();
        let nextId = 0;
        for (const o of ops) {
          if (o.type === 'at') {
            const id = nextId++;
            const due = clock.now() + o.delay;
            const cancel = shared.at(due, () => {
              fired.push({ id, at: clock.now(), due });
              open.delete(id);
            });
            open.set(id, { due, cancel });
          } else if (o.type === 'cancel') {
            const ids = [...open.keys()];
            if (ids.length === 0) continue;
            const id = ids[o.pick % ids.length] as number;
            open.get(id)?.cancel();
            open.delete(id);
          } else {
            clock.advance(o.ms);
          }
          // Never early, never more than the base holds, and nothing overdue is left waiting.
          for (const f of fired) expect(f.at).toBeGreaterThanOrEqual(f.due);
          expect(live()).toBeLessThanOrEqual(1);
          expect(shared.stats().pending).toBe(open.size);
          expect(live()).toBe(open.size > 0 ? 1 : 0);
        }
        clock.advance(1000);
        expect(open.size).toBe(0);
        const ids = fired.map((f) => f.id);
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 300 },
    );
  });

  it('a call that throws does not stop the others', () => {
    const { clock, base } = countingBase();
    const errors: unknown[] = [];
    const shared = createSharedScheduler({ base, onError: (e) => errors.push(e) });
    const ran: string[] = [];
    shared.at(10, () => ran.push('a'));
    shared.at(10, () => {
      throw new Error('boom');
    });
    shared.at(10, () => ran.push('c'));
    shared.at(20, () => ran.push('d'));
    clock.advance(20);
    expect(ran).toEqual(['a', 'c', 'd']);
    expect(errors).toEqual([new Error('boom')]);
  });

  it('drives 1,000 engines with one timer; only the silent ones are declared dead', () => {
    const { clock, base, live } = countingBase();
    const shared = createSharedScheduler({ base });
    const dead = new Set<number>();
    const engines = Array.from({ length: 1000 }, (_, i) => {
      const engine = createKeepalive({
        keepaliveMs: 1000 + (i % 10) * 100,
        scheduler: shared,
        sendPing: () => {
          // Even engines have a live broker that answers every ping 5 ms later.
          if (i % 2 === 0) shared.at(shared.now() + 5, () => engine.pingAnswered());
        },
        onDead: () => dead.add(i),
      });
      engine.start();
      return engine;
    });
    expect(live()).toBe(1);
    clock.advance(60_000);
    expect(live()).toBe(1);
    expect([...dead].every((i) => i % 2 === 1)).toBe(true);
    expect(dead.size).toBe(500);
    for (const engine of engines) engine.stop();
    // What remains are the fake broker's in-flight answers (5 ms); engines hold nothing.
    clock.advance(5);
    expect(shared.stats()).toEqual({ pending: 0, timers: 0 });
    expect(engines.every((e) => e.stats().state !== 'running')).toBe(true);
    expect(live()).toBe(0);
  });
});

describe('realScheduler', () => {
  it('never runs a call before its time', async () => {
    const results = await Promise.all(
      [0, 1, 5, 20, 50].map(
        (delay) =>
          new Promise<number>((resolve) => {
            const due = realScheduler.now() + delay + 0.5;
            realScheduler.at(due, () => resolve(realScheduler.now() - due));
          }),
      ),
    );
    for (const late of results) expect(late).toBeGreaterThanOrEqual(0);
  });

  it('splits delays beyond the 32-bit timer limit and unrefs every host timer', () => {
    const unref = vi.fn();
    const spy = vi
      .spyOn(globalThis, 'setTimeout')
      .mockImplementation((() => ({ unref })) as unknown as typeof setTimeout);
    try {
      const cancel = realScheduler.at(realScheduler.now() + 2 ** 31 + 60_000, () => {});
      // Node would fire a longer delay at once; the scheduler waits the longest it can, then
      // re-arms for the rest (the re-arm path is the same as for an early wake-up).
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]?.[1]).toBe(2 ** 31 - 1);
      expect(unref).toHaveBeenCalledTimes(1);
      cancel();
    } finally {
      spy.mockRestore();
    }
  });

  it('cancel prevents the call', async () => {
    let ran = false;
    const cancel = realScheduler.at(realScheduler.now() + 5, () => {
      ran = true;
    });
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ran).toBe(false);
  });

  it('does not keep Node alive: a running engine lets the process exit', async () => {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const script = `
      import { createKeepalive } from ${JSON.stringify(entry)};
      const engine = createKeepalive({ keepaliveMs: 60000, sendPing() {}, onDead() {} });
      engine.start();
      console.log('started');
    `;
    const started = performance.now();
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>(
      (resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', script],
          {
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
        });
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error('the process stayed alive: the engine kept a referenced timer'));
        }, 10_000);
        child.on('exit', (exitCode) => {
          clearTimeout(timer);
          resolve({ code: exitCode, stdout: out });
        });
      },
    );
    expect(stdout).toContain('started');
    expect(code).toBe(0);
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 15_000);

  it('createRealScheduler({ keepProcessAlive: true }) holds the process until the call runs', async () => {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const script = `
      import { createRealScheduler } from ${JSON.stringify(entry)};
      const scheduler = createRealScheduler({ keepProcessAlive: true });
      scheduler.at(scheduler.now() + 300, () => console.log('ran'));
    `;
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('error', reject);
      child.on('exit', () => resolve(out));
    });
    expect(stdout.trim()).toBe('ran');
  }, 15_000);

  it('createRealScheduler({ timers }) arms and cancels on the given source only', async () => {
    const host = vi.spyOn(globalThis, 'setTimeout');
    const set: number[] = [];
    const cleared: unknown[] = [];
    // A source whose handles are plain objects without unref(), the way a worker's ids are.
    const timers: TimerSource = {
      setTimeout(fn, ms) {
        set.push(ms);
        const handle = { id: set.length, timeout: setTimeout(fn, ms) };
        return handle;
      },
      clearTimeout(handle) {
        cleared.push(handle);
        clearTimeout((handle as { timeout: ReturnType<typeof setTimeout> }).timeout);
      },
    };
    try {
      const scheduler = createRealScheduler({ timers });
      const lateness = await new Promise<number>((resolve) => {
        const due = scheduler.now() + 15;
        scheduler.at(due, () => resolve(scheduler.now() - due));
      });
      expect(lateness).toBeGreaterThanOrEqual(0);
      const cancel = scheduler.at(scheduler.now() + 1000, () => {
        throw new Error('cancelled call ran');
      });
      cancel();
      cancel();
      expect(cleared).toEqual([{ id: set.length, timeout: expect.anything() }]);
      // Every host timer was armed by the test source, none by the scheduler itself.
      expect(host.mock.calls.length).toBe(set.length);
    } finally {
      host.mockRestore();
    }
  });

  it('createRealScheduler refuses timers without setTimeout and clearTimeout', () => {
    expect(() =>
      createRealScheduler({ timers: { setTimeout: () => 1 } as unknown as TimerSource }),
    ).toThrow(TypeError);
  });
});
