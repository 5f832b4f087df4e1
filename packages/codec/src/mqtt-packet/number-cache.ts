/**
 * Whether mqtt-packet's generator keeps its cache of 16-bit numbers (its public
 * `writeToStream.cacheNumbers`). Node keeps mqtt-packet's default, untouched: the module may be
 * shared with other users of it in the same process. The browser build replaces this module
 * with `src/shims/number-cache.ts` (false): its copy of mqtt-packet is its own, and the cache
 * would cost a page about 14 MB of heap and 20 ms on the first packet.
 */
export const CACHE_NUMBERS: boolean = true;
