/** The default way to give topics low-cardinality names: the subscription filters they match. */
import { topicMatches } from '@mqttkit/codec';
import type { Destination } from './options.js';

/**
 * A `destination` option naming a topic by the first of `filters` it matches (`sensors/+/temp`),
 * undefined when none does. A `$share/{group}/{filter}` filter matches as its filter and gives
 * `group` (`messaging.consumer.group.name`).
 */
export function destinationFromFilters(
  filters: readonly string[],
): (topic: string) => Destination | undefined {
  const parsed = filters.map((filter) => {
    const shared = /^\$share\/([^/]+)\/(.+)$/.exec(filter);
    return shared
      ? { filter: shared[2] as string, group: shared[1] as string }
      : { filter, group: undefined };
  });
  return (topic) => {
    for (const { filter, group } of parsed) {
      if (!topicMatches(filter, topic)) continue;
      return group === undefined ? { template: filter } : { template: filter, group };
    }
    return undefined;
  };
}
