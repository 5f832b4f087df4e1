// Medians, percentiles and the table printer shared by the cases.

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile of unsorted values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}

export const nowNs = (): bigint => process.hrtime.bigint();
export const msSince = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One result line: a case, a library, its value and (filled in later) ratios. */
export interface Row {
  case: string;
  lib: string;
  value: number;
  unit: string;
  /** Higher is better (rates) or lower is better (latency, bytes, CPU). */
  better: 'higher' | 'lower';
  rounds: number[];
  note?: string;
}

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fmt1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const text = Math.abs(value) >= 100 ? fmt.format(value) : fmt1.format(value);
  return `${text} ${unit}`;
}

/**
 * "How many times better than the reference (MQTT.js)": for rates row/reference, for costs
 * reference/row, so above 1 always means the row wins. Raw: the share of the ceiling reached.
 */
export function ratio(row: Row, reference: Row | undefined): number {
  if (!reference?.value || !row.value) return Number.NaN;
  return row.better === 'higher' ? row.value / reference.value : reference.value / row.value;
}

/** Number of rounds and their range relative to the median, e.g. `5 (±4 %)`. */
function spread(row: Row): string {
  if (row.rounds.length < 2 || !row.value) return String(row.rounds.length);
  const half = (Math.max(...row.rounds) - Math.min(...row.rounds)) / 2;
  return `${row.rounds.length} (±${Math.round((half / Math.abs(row.value)) * 100)} %)`;
}

/**
 * The table. `reference` names the client every other row of a case is compared with in the
 * `vs` column (MQTT.js by default; the logger table compares with "no logger", an A/B run with
 * the other build).
 */
export function printRows(title: string, rows: readonly Row[], reference = 'MQTT.js'): string {
  const lines: string[][] = [
    ['case', 'client', 'median', `vs ${reference}`, 'vs raw', 'rounds (spread)'],
  ];
  const cases = [...new Set(rows.map((r) => r.case))];
  const grouped = cases.flatMap((c) => rows.filter((r) => r.case === c));
  for (const row of grouped) {
    const mine = rows.filter((r) => r.case === row.case);
    const ref = mine.find((r) => r.lib === reference && r.note === undefined);
    const raw = mine.find((r) => r.lib === 'raw');
    const vsRef =
      row.lib === reference || row.lib === 'raw' ? '' : `${fmt1.format(ratio(row, ref))}x`;
    const vsRaw =
      raw && row.lib !== 'raw' && row.better === 'higher' && raw.value
        ? `${Math.round((row.value / raw.value) * 100)} %`
        : '';
    lines.push([
      row.case,
      row.lib + (row.note ? ` (${row.note})` : ''),
      formatValue(row.value, row.unit),
      vsRef.includes('NaN') ? 'n/a' : vsRef,
      vsRaw,
      spread(row),
    ]);
  }
  const widths = lines[0]?.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length))) ?? [];
  const render = (l: string[]): string =>
    `| ${l.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const [head, ...body] = lines;
  const sep = `|${widths.map((w, i) => (i >= 2 && i <= 4 ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [title, '', render(head ?? []), sep, ...body.map(render)].join('\n');
}
