// A fake clock for timeout tests, so that what they assert is when a timeout
// fires in the code's own time, never how long the test took (a busy machine
// stretches the latter). Through node:test's mock timers: `setTimeout`,
// `clearTimeout` and `Date` are replaced for the test (restored after it);
// `setImmediate` and `setInterval` stay real, for waiting on I/O.

import type { TestContext } from 'node:test';

export interface FakeClock {
  /** Moves the fake time on by `ms`, running the timers that fall due. */
  tick(ms: number): void;
}

/** Replaces setTimeout and Date for the rest of the test `t`, the time starting at the real now. */
export function fakeClock(t: TestContext): FakeClock {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.now() });
  return { tick: (ms) => t.mock.timers.tick(ms) };
}

/** Lets callbacks of finished I/O and resolved promises run: a few turns of the event loop, no timer. */
export async function turns(n = 10): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Resolves once `condition` holds, looked at on every turn of the event loop
 * (for state that has no event, such as an emulator's request log). No clock:
 * if it never holds, the test's own `{ timeout }` ends the test, and aborting
 * its `signal` (pass `t.signal`) ends this loop, which would keep the process alive.
 */
export async function until(condition: () => boolean, signal: AbortSignal): Promise<void> {
  while (!condition()) {
    if (signal.aborted) throw new Error('stopped waiting: the test ended');
    await new Promise<void>((r) => setImmediate(r));
  }
}

/** A promise and whether it has settled yet. */
export function watch<T>(promise: Promise<T>): { promise: Promise<T>; readonly settled: boolean } {
  let settled = false;
  const watched = promise.finally(() => (settled = true));
  // The caller awaits `promise`; this keeps an early rejection from being reported as unhandled.
  watched.catch(() => {});
  return {
    promise: watched,
    get settled() {
      return settled;
    },
  };
}

/**
 * `promise`, or a rejection when the test's `signal` aborts (its `{ timeout }`
 * ran out): a test awaiting something that never settles then still reaches
 * its `finally` and closes its servers, which would keep the process alive.
 */
export function orTestEnd<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new Error('stopped waiting: the test ended'));
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', stop);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', stop);
        reject(e);
      },
    );
  });
}

/**
 * Asserts that `watched` (started with a budget of `budgetMs`, the clock not
 * moved since) is still waiting 1 ms before the budget and has settled at it.
 */
export async function assertSettlesAtBudget(clock: FakeClock, watched: { readonly settled: boolean }, budgetMs: number, what = 'given up at the budget'): Promise<void> {
  clock.tick(budgetMs - 1);
  await turns();
  if (watched.settled) throw new Error(`settled ${budgetMs - 1} ms in, 1 ms before the budget of ${budgetMs} ms`);
  clock.tick(1);
  await turns();
  if (!watched.settled) throw new Error(`not settled at the budget of ${budgetMs} ms: expected ${what}`);
}
