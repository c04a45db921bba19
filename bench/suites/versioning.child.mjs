// Runs the S3-compatible server (s3rver) for the versioning suite in its own process, as a real store would be; prints its port.
import { createRequire } from 'node:module';

const [dir] = process.argv.slice(2);
const S3rver = createRequire(import.meta.url)('s3rver');
const server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true, configureBuckets: [{ name: 'bench' }] });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
// stops when the suite closes stdin (or dies), and after 10 minutes at most
const stop = () => server.close().then(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.resume();
setTimeout(stop, 600_000).unref();
