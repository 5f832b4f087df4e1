/** Rectangles as the page lays them out, and whether two of them share any area. */
import type { Page } from 'playwright-core';

export interface Rect {
  readonly name: string;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** The bounding client rectangles of `selector`'s matches, named by `nameOf`'s attribute. */
export function rectsOf(page: Page, selector: string, nameAttribute: string): Promise<Rect[]> {
  return page.$$eval(
    selector,
    (elements, attribute) =>
      elements.map((element) => {
        const box = element.getBoundingClientRect();
        const named = element.closest(`[${attribute}]`);
        return {
          name: named?.getAttribute(attribute) ?? element.textContent ?? '',
          left: box.left,
          top: box.top,
          right: box.right,
          bottom: box.bottom,
        };
      }),
    nameAttribute,
  );
}

/** Pairs (a from `as`, b from `bs`) whose rectangles overlap by more than `slack` pixels. */
export function overlaps(as: readonly Rect[], bs: readonly Rect[], slack = 0.5): string[] {
  const found: string[] = [];
  for (const [i, a] of as.entries()) {
    for (const [j, b] of bs.entries()) {
      if (as === bs && j <= i) continue;
      const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (width > slack && height > slack) found.push(`${a.name} overlaps ${b.name}`);
    }
  }
  return found;
}
