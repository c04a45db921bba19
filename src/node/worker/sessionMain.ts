// Session thread entry (bundled as dist/session.js): keeps preview datasets open between requests.
import { sessionHandlers } from '../session/sessionHandlers';
import { serveJobs } from './jobRuntime';

serveJobs(sessionHandlers);
