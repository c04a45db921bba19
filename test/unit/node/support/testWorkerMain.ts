// The worker entry tests run: Strata's production jobs plus the test-only ones, built to a temp folder.
import { serveJobs } from '../../../../src/node/worker/jobRuntime';
import { strataJobHandlers } from '../../../../src/node/jobs/strataJobHandlers';
import { testJobHandlers } from './testJobs';

serveJobs({ ...strataJobHandlers, ...testJobHandlers });
