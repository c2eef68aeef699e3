/**
 * Decides when a cgroup that sits under_oom counts as hung: it must stay under_oom for `hungAfterMs`
 * without a break. Pure; the caller passes the time of each reading.
 */
export class UnderOomTracker {
  private since: number | null = null;
  private reported = false;

  constructor(private readonly hungAfterMs: number) {}

  /** Returns how long it has been hung the first time the threshold is crossed, else null. */
  update(underOom: boolean | null, atMs: number): number | null {
    if (!underOom) {
      this.since = null;
      return null;
    }
    this.since ??= atMs;
    const hungFor = atMs - this.since;
    if (hungFor >= this.hungAfterMs && !this.reported) {
      this.reported = true;
      return hungFor;
    }
    return null;
  }

  get hung(): boolean {
    return this.reported;
  }
}
