// Run by each published package's build after tsc (cwd: the package). The packages are ES modules
// only; CommonJS consumers load that same ES build through require(esm), unflagged since Node
// 20.19.0 and 22.12.0. This script writes what `require` needs beside it, from the exports map:
//   - for every entry with a `require` condition, the `.cjs` file it names: one line handing
//     `require()` the ES module, so `require` and `import` share one instance (no dual-package
//     hazard, https://nodejs.org/api/packages.html#dual-package-hazard);
//   - a `.d.cts` twin of every `.d.ts` in dist/ (relative specifiers `.js` -> `.cjs`), so
//     TypeScript's `node16`/`nodenext` resolution in a CommonJS project gets declarations of the
//     format it loads instead of error TS1479 (an ES module's types read from CommonJS).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** The `{ import, require }` objects of the exports map, one per subpath that has both. */
function dualEntries(exportsMap) {
  return Object.values(exportsMap ?? {}).filter(
    (entry) => typeof entry === 'object' && entry.import?.default && entry.require?.default,
  );
}

for (const entry of dualEntries(pkg.exports)) {
  const esm = entry.import.default;
  const cjs = entry.require.default;
  if (posix.dirname(esm) !== posix.dirname(cjs)) {
    throw new Error(`${pkg.name}: ${cjs} must sit beside ${esm}`);
  }
  writeFileSync(
    cjs,
    `'use strict';\n// require(esm): the ES module itself, one instance for require and import.\nmodule.exports = require('./${posix.basename(esm)}');\n`,
  );
}

/** `./x.js` and `../y/z.js` in import/export/`import()` specifiers become `.cjs`. */
const RELATIVE_JS = /(['"])(\.{1,2}\/[^'"]*?)\.js\1/g;

/** Every `.d.ts` under dir; dist/browser (the codec's browser build) has none and is skipped. */
function declarations(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    const path = join(dir, item.name);
    if (item.isDirectory()) return item.name === 'browser' ? [] : declarations(path);
    return item.name.endsWith('.d.ts') ? [path] : [];
  });
}

if (dualEntries(pkg.exports).length > 0) {
  for (const file of declarations('dist')) {
    const text = readFileSync(file, 'utf8').replace(RELATIVE_JS, '$1$2.cjs$1');
    // The declaration map stays the one of the .d.ts: same source positions.
    writeFileSync(join(dirname(file), `${basename(file, '.d.ts')}.d.cts`), text);
  }
}
