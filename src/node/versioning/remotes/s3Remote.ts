// A remote in S3-compatible object storage (`s3://bucket/prefix`, optional `endpointurl`), through @aws-sdk/client-s3.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { RemoteConfig } from '../../../core/versioning/dvcConfig';
import { VersioningError } from '../../../core/versioning/versioningError';
import type { RemoteStore } from './remoteStore';

/** Above this many keys one listing of the prefix is cheaper than a HEAD request per key. */
const LIST_THRESHOLD = 64;

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) { throw new VersioningError('invalid-config', `remote url ${url} is not s3://bucket/prefix`); }
  return { bucket: m[1], prefix: m[2].replace(/\/+$/, '') };
}

export class S3Remote implements RemoteStore {
  readonly url: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(remote: RemoteConfig) {
    this.url = remote.url;
    ({ bucket: this.bucket, prefix: this.prefix } = parseS3Url(remote.url));
    const o = remote.options;
    const keyId = o.access_key_id ?? process.env.AWS_ACCESS_KEY_ID;
    const secret = o.secret_access_key ?? process.env.AWS_SECRET_ACCESS_KEY;
    this.client = new S3Client({
      region: o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      ...(remote.endpointurl ? { endpoint: remote.endpointurl, forcePathStyle: true } : {}),
      ...(keyId && secret ? { credentials: { accessKeyId: keyId, secretAccessKey: secret, sessionToken: o.session_token ?? process.env.AWS_SESSION_TOKEN } } : {}),
      // many S3-compatible stores reject the newer default checksum headers; md5 is checked by Strata itself
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  private keyOf(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  async has(keys: readonly string[], signal?: AbortSignal): Promise<Set<string>> {
    const found = new Set<string>();
    try {
      if (keys.length > LIST_THRESHOLD) {
        const all = await this.listAll(signal);
        for (const k of keys) { if (all.has(this.keyOf(k))) { found.add(k); } }
        return found;
      }
      await Promise.all(keys.map(async k => {
        try {
          await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(k) }), { abortSignal: signal });
          found.add(k);
        } catch (e) {
          if (!isNotFound(e)) { throw e; }
        }
      }));
      return found;
    } catch (e) {
      throw this.failure(e, 'cannot list');
    }
  }

  private async listAll(signal?: AbortSignal): Promise<Set<string>> {
    const out = new Set<string>();
    let token: string | undefined;
    do {
      const r = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.keyOf('files/md5/'), ContinuationToken: token }), { abortSignal: signal });
      for (const o of r.Contents ?? []) { if (o.Key) { out.add(o.Key); } }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async upload(localPath: string, key: string, size: number, md5: string | undefined, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.keyOf(key),
        Body: size === 0 ? new Uint8Array(0) : createReadStream(localPath, { highWaterMark: 1024 * 1024 }),
        ContentLength: size,
        // the store rejects the upload if the bytes it received do not have this md5
        ...(md5 ? { ContentMD5: Buffer.from(md5, 'hex').toString('base64') } : {}),
      }), { abortSignal: signal });
    } catch (e) {
      throw this.failure(e, `cannot upload ${key}`);
    }
  }

  async download(key: string, signal?: AbortSignal): Promise<Readable> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }), { abortSignal: signal });
      if (!r.Body) { throw new VersioningError('remote-failed', `remote ${this.url} sent no body for ${key}`); }
      return r.Body instanceof Readable ? r.Body : Readable.fromWeb(r.Body.transformToWebStream() as never);
    } catch (e) {
      if (isNotFound(e)) { throw new VersioningError('missing-object', `${key} is not on remote ${this.url}`); }
      throw this.failure(e, `cannot download ${key}`);
    }
  }

  private failure(e: unknown, what: string): VersioningError {
    if (e instanceof VersioningError) { return e; }
    if ((e as Error)?.name === 'AbortError' || signalAborted(e)) { return new VersioningError('cancelled', 'cancelled', { cause: e }); }
    const detail = e instanceof S3ServiceException ? `${e.name} (HTTP ${e.$metadata.httpStatusCode ?? '?'})` : (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? String(e);
    return new VersioningError('remote-failed', `${what} on remote ${this.url}: ${detail}`, { cause: e });
  }

  close(): void {
    this.client.destroy();
  }
}

function isNotFound(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === 'NotFound' || err?.name === 'NoSuchKey' || err?.$metadata?.httpStatusCode === 404;
}

function signalAborted(e: unknown): boolean {
  return /aborted/i.test((e as Error)?.message ?? '');
}
