/**
 * mqtt-packet's two MQTT 5 property tables (`constants.js`: `properties`, name to identifier,
 * and `propertiesTypes`, name to wire type), derived from our own table (`properties.ts`). The
 * client entry's browser copy of mqtt-packet takes them from here (scripts/build-browser.ts),
 * so a page carries the 27 property names once. `test/shims.test.ts` checks that both equal
 * mqtt-packet's.
 */
import { PROPERTY_DEFS, type PropertyKind } from '../properties.js';

/** mqtt-packet's name for each of our kinds: its 'byte' is our boolean, its 'int8' our byte. */
const WIRE_TYPE: Record<PropertyKind, string> = {
  bool: 'byte',
  byte: 'int8',
  int16: 'int16',
  int32: 'int32',
  varint: 'var',
  string: 'string',
  binary: 'binary',
  pair: 'pair',
};

/** `constants.properties`: property name to identifier. */
export const propertyIds: Record<string, number> = {};
/** `constants.propertiesTypes`: property name to mqtt-packet's wire type. */
export const propertyTypes: Record<string, string> = {};
for (const def of PROPERTY_DEFS) {
  propertyIds[def.name] = def.id;
  propertyTypes[def.name] = WIRE_TYPE[def.kind];
}
