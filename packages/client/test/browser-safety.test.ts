// `src/` must bundle for browsers: no Node modules or Node-only globals (the build also compiles
// it with `types: []`, which catches globals; this catches what a declaration could hide).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const dir = join(import.meta.dirname, '..', 'src');

it('src/ imports no node: module and uses no Buffer or process', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const code = readFileSync(join(dir, file), 'utf8');
    expect(code, file).not.toMatch(/from ['"]node:/);
    expect(code, file).not.toMatch(/\bBuffer\b/);
    expect(code, file).not.toMatch(/\bprocess\./);
    expect(code, file).not.toMatch(/from ['"](events|net|tls|fs|os|path)['"]/);
  }
});
