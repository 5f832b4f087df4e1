/**
 * Memory for the native encoder's results. Small results are cut from a shared slab, as Node's Buffer.allocUnsafe does from its pool: a
 * fresh ArrayBuffer per packet costs about ten times more. Each result is its own range, never
 * handed out twice; a kept result keeps its slab alive (8 KiB at most).
 */
const SLAB_BYTES = 8192;
const POOLED_MAX = 1024;
// The first allocation makes the first slab.
let slab = new ArrayBuffer(0);
let slabUsed = SLAB_BYTES;

export function allocate(size: number): Uint8Array {
  if (size > POOLED_MAX) return new Uint8Array(size);
  if (slabUsed + size > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, size);
  slabUsed += (size + 7) & ~7; // 8-byte aligned, as Node's pool
  return out;
}
