// A local S3-compatible server (s3rver) on 127.0.0.1 for push/pull tests; it closes itself after a bounded time.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface S3rverInstance { run(): Promise<{ address: string; port: number }>; close(): Promise<void> }
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverInstance;

export interface LocalS3 { endpoint: string; bucket: string; dir: string; close(): Promise<void> }

export async function startLocalS3(bucket = 'strata-test', maxLifeMs = 180_000): Promise<LocalS3> {
  const S3rver = createRequire(__filename)('s3rver') as S3rverCtor;
  const dir = mkdtempSync(join(tmpdir(), 'strata-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  let closed = false;
  const close = async () => {
    if (closed) { return; }
    closed = true;
    clearTimeout(timer);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const timer = setTimeout(() => { void close(); }, maxLifeMs);
  timer.unref();
  return { endpoint: `http://127.0.0.1:${port}`, bucket, dir, close };
}
