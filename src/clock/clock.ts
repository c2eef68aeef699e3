/** Time as the harness sees it, injected so timing logic can be tested. */
export interface Clock {
  /** Wall clock, ms since the epoch. */
  nowMs(): number;
  /** CLOCK_MONOTONIC in ms: the clock the kernel log's timestamps count from boot. */
  monotonicMs(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  monotonicMs: () => Number(process.hrtime.bigint() / 1000n) / 1000,
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
