/** The README documents every flag, -F sequence and exit code the code has. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLAGS } from '../src/args.js';
import { EXIT } from '../src/errors.js';
import { FORMAT_FIELDS } from '../src/format.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it.each(FLAGS.map((f) => [f.short ? `-${f.short}, --${f.long}` : `--${f.long}`]))(
    'documents %s',
    (flag) => {
      expect(readme).toContain(flag);
    },
  );

  it.each(FORMAT_FIELDS.flatMap(([seq]) => seq.split(/ \/ | /)))('documents -F %s', (seq) => {
    expect(readme).toContain(`${seq}`);
  });

  it.each(Object.values(EXIT))('documents exit code %d', (code) => {
    expect(readme).toMatch(new RegExp(`^\\| ${code} +\\|`, 'm'));
  });
});
