/** The Remaining Length of a fixed header, a Variable Byte Integer of 1 to 4 bytes [MQTT-1.5.5]. */

/** How many bytes `remaining` takes (at most 268,435,455, MAX_REMAINING_LENGTH). */
export function remainingLengthSize(remaining: number): number {
  return remaining < 0x80 ? 1 : remaining < 0x4000 ? 2 : remaining < 0x200000 ? 3 : 4;
}

/** Writes `remaining` at `at`, minimally encoded [MQTT-1.5.5-1]; returns the next position. */
export function writeRemainingLength(out: Uint8Array, at: number, remaining: number): number {
  let rest = remaining;
  let pos = at;
  do {
    const byte = rest % 128;
    rest = Math.floor(rest / 128);
    out[pos++] = rest > 0 ? byte | 0x80 : byte;
  } while (rest > 0);
  return pos;
}
