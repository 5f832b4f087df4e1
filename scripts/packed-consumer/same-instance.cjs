// Run by scripts/check-packed.mjs inside the fresh CommonJS project, with every entry point of the
// packed packages as arguments. Each must load with require() and with import(), and both must
// hand back the very same exports: the packages ship one ES build that require() loads through
// require(esm), so there is no second copy to tell apart (the dual-package hazard,
// https://nodejs.org/api/packages.html#dual-package-hazard).
'use strict';

async function main(specifiers) {
  for (const specifier of specifiers) {
    const required = require(specifier);
    const imported = await import(specifier);
    const names = Object.keys(imported).filter((name) => name !== 'default');
    if (names.length === 0) throw new Error(`${specifier}: no exports`);
    for (const name of names) {
      if (required[name] !== imported[name]) {
        throw new Error(`${specifier}: require() and import() give two copies of ${name}`);
      }
    }
    console.log(`${specifier}: require and import give the same ${names.length} exports`);
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
