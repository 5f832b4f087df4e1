/**
 * V8 reserves its young generation (two semi-spaces, 16 MiB each on Node 20 by default) up front
 * but only the pages it has written are resident. The short-lived garbage of a thousand connects
 * writes them, so without this an idle-memory reading counts a one-off 12-17 MB of young
 * generation as the clients' RSS (bench/README.md, memory finding). Writing it through before
 * the baseline leaves in the RSS delta only what the clients keep.
 */

/** Holds the latest array, so the allocations cannot be optimized away. */
const lastGarbage: unknown[] = [];

/** Allocates about `mb` MB of arrays that die young; each scavenge flips the semi-spaces. */
export function touchYoungGeneration(mb: number): void {
  for (let i = 0; i < mb * 1024; i++) lastGarbage[0] = new Array(126).fill(i);
  lastGarbage.length = 0;
}

/** Enough to write both semi-spaces through several times over. */
export const YOUNG_GENERATION_TOUCH_MB = 128;
