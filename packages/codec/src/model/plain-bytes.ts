/**
 * A plain Uint8Array over the same memory (no copy): `bytes` itself unless it is a Buffer (or
 * another subclass). Packets carry plain views whatever the transport handed in, and views cut
 * from a plain array are cheaper to make than views cut from a Buffer (no Buffer constructor).
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  if (Object.getPrototypeOf(bytes) === Uint8Array.prototype) return bytes;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
