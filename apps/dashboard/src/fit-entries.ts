/**
 * Keeps a scrolling list from showing an entry cut mid-line: the list's height is cut at the
 * bottom edge of the last entry that fits in its CSS `max-height`, so the entries above the fold
 * are whole and the rest are a scroll away. Redone when entries come in or the width changes
 * (entries wrap to more lines on a narrow screen).
 */
export function fitWholeEntries(list: HTMLElement): () => void {
  // The budget is the stylesheet's max-height, read before this sets its own.
  const budget = Number.parseFloat(getComputedStyle(list).maxHeight);
  if (!Number.isFinite(budget)) return () => {};
  let frame: number | undefined;

  const fit = (): void => {
    frame = undefined;
    let height = 0;
    // Entries' offsets are measured from the list itself (it is `position: relative`).
    for (const item of list.children) {
      const bottom = (item as HTMLElement).offsetTop + (item as HTMLElement).offsetHeight;
      if (bottom > budget) {
        // Even the first entry is taller than the budget: show it whole rather than cut.
        if (height === 0) height = bottom;
        break;
      }
      height = bottom;
    }
    list.style.maxHeight = `${Math.max(height, 1)}px`;
  };
  const later = (): void => {
    if (frame === undefined) frame = requestAnimationFrame(fit);
  };
  new ResizeObserver(later).observe(list);
  return later;
}
