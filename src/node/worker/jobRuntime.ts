// The worker side of the pool: receives jobs on the parent port, runs their handlers, posts progress, results and errors.
import { parentPort } from 'node:worker_threads';
import { cancelledError } from '../../core/formats/errors';
import { JobError, serializeError } from '../jobs/jobErrors';
import { isTransferResult, type JobHandler, type JobProgress } from '../jobs/jobTypes';
import { isToWorker, type FromWorker } from './workerMessages';

/** Serves jobs with the given handlers until the pool terminates this thread. */
export function serveJobs(handlers: Readonly<Record<string, JobHandler<never, unknown>>>): void {
  const port = parentPort;
  if (!port) { throw new Error('serveJobs must run in a worker thread'); }
  const running = new Map<number, AbortController>();
  const post = (m: FromWorker, transfer?: readonly ArrayBuffer[]): void => port.postMessage(m, transfer as ArrayBuffer[] | undefined);

  port.on('message', (m: unknown) => {
    if (!isToWorker(m)) { return; }
    if (m.type === 'cancel') { running.get(m.id)?.abort(cancelledError()); return; }
    const { id, name, input } = m;
    const handler = Object.prototype.hasOwnProperty.call(handlers, name) ? handlers[name] : undefined;
    if (!handler) {
      post({ type: 'failed', id, error: serializeError(new JobError('unknown-job', `no job named '${name}' in this worker`)) });
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    const ctx = {
      signal: controller.signal,
      progress: (progress: JobProgress) => { if (running.has(id)) { post({ type: 'progress', id, progress }); } },
    };
    void (async () => {
      try {
        const result = await handler(input as never, ctx);
        const [output, transfer] = isTransferResult(result) ? [result.value, result.transfer] : [result, undefined];
        try {
          post({ type: 'done', id, output }, transfer);
        } catch (e) { // e.g. DataCloneError: a result that cannot cross threads is a bug in the handler
          post({ type: 'failed', id, error: serializeError(new JobError('failed', `${name} returned a result that cannot be sent: ${(e as Error).message}`)) });
        }
      } catch (e) {
        post({ type: 'failed', id, error: serializeError(e) });
      } finally {
        running.delete(id);
      }
    })();
  });
}
