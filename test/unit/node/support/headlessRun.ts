// A tiny command-line program over the pool, as the CLI uses it: runs one job and never calls dispose().
import { WorkerPool } from '../../../../src/node/workerPool';

const [workerPath, path] = process.argv.slice(2);
const pool = new WorkerPool({ workerPath, idleShutdownMs: 60_000 });
void pool.run('countBytes', { path }).then(out => { process.stdout.write(JSON.stringify(out)); });
