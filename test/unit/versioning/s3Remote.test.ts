import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3Remote } from '../../../src/node/versioning/remotes/s3Remote';
import { startLocalS3, type LocalS3 } from './s3Server';

const NOTICE_OFF = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

let s3: LocalS3;
beforeAll(async () => { s3 = await startLocalS3(); });
afterAll(async () => { await s3.close(); });
afterEach(() => { vi.restoreAllMocks(); });

describe('S3 remote', () => {
  it('prints no SDK notice about future Node.js versions and leaves the environment as it was', async () => {
    const version = Object.getOwnPropertyDescriptor(process, 'version')!;
    const userSetting = process.env[NOTICE_OFF];
    delete process.env[NOTICE_OFF];
    // a Node.js release the SDK warns about, whatever runs the tests
    Object.defineProperty(process, 'version', { ...version, value: 'v20.0.0' });
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const remote = new S3Remote({
      name: 's3', url: `s3://${s3.bucket}/notice`, endpointurl: s3.endpoint,
      options: { url: `s3://${s3.bucket}/notice`, endpointurl: s3.endpoint, access_key_id: 'S3RVER', secret_access_key: 'S3RVER' },
    });
    try {
      // enough keys for one listing through the SDK client rather than a request per key
      const keys = Array.from({ length: 65 }, (_, i) => `files/md5/00/${i.toString(16).padStart(30, '0')}`);
      expect((await remote.has(keys)).size).toBe(0);
      expect(warnings.mock.calls.map(c => String(c[0]))).toEqual([]);
      expect(process.env[NOTICE_OFF]).toBeUndefined();
    } finally {
      remote.close();
      Object.defineProperty(process, 'version', version);
      if (userSetting !== undefined) { process.env[NOTICE_OFF] = userSetting; }
    }
  });
});
