/** The events the demo promises to show; the exit code is 0 only when every one happened. */
export class Checks {
  private readonly results: Array<{ name: string; ok: boolean }> = [];

  record(name: string, ok: boolean): boolean {
    this.results.push({ name, ok });
    return ok;
  }

  get all(): ReadonlyArray<{ name: string; ok: boolean }> {
    return this.results;
  }

  get passed(): boolean {
    return this.results.every((r) => r.ok);
  }
}
