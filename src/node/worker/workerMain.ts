// Worker thread entry (bundled as dist/worker.js): serves Strata's production jobs to the pool.
import { strataJobHandlers } from '../jobs/strataJobHandlers';
import { serveJobs } from './jobRuntime';

serveJobs(strataJobHandlers);
