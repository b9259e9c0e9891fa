// Runs a synchronous function of a module in a worker thread, so that a
// test's own `{ timeout }` can fail it while it runs: node:test's timeout is
// a timer, and no timer fires while synchronous work holds the test's thread
// (a test that loops for an hour in the main thread just takes an hour). For
// inputs that would not finish if the code under test were superlinear.

import { Worker } from 'node:worker_threads';

const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.postMessage(require(workerData.module)[workerData.name](...workerData.args));
`;

/**
 * `require(module)[name](...args)` in a worker thread; the result comes back
 * by structured clone. The worker is stopped when the test ends (`signal`,
 * the test's `t.signal`), finished or not.
 */
export function callOffThread<T>(module: string, name: string, args: unknown[], signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(SCRIPT, { eval: true, workerData: { module, name, args } });
    const done = () => {
      signal.removeEventListener('abort', stop);
      void worker.terminate();
    };
    const stop = () => {
      done();
      reject(new Error('stopped: the test ended before the call returned'));
    };
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    worker.once('message', (value: T) => {
      done();
      resolve(value);
    });
    worker.once('error', (err) => {
      done();
      reject(err);
    });
  });
}
