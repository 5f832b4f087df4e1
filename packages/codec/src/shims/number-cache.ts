/**
 * The browser build's `mqtt-packet/number-cache.ts`: no cache of 16-bit numbers in a page (each
 * 16-bit number gets a fresh 2-byte array, a few per packet).
 */
export const CACHE_NUMBERS: boolean = false;
