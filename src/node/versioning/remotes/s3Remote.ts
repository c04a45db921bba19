// A remote in S3-compatible object storage (`s3://bucket/prefix`, optional `endpointurl`): each object's HEAD/PUT/GET signed with aws4 over a keep-alive agent; listings and the credential chain through @aws-sdk/client-s3.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import aws4 from 'aws4';
import { ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { RemoteConfig } from '../../../core/versioning/dvcConfig';
import { VersioningError } from '../../../core/versioning/versioningError';
import type { RemoteStore } from './remoteStore';

/** Above this many keys one listing of the prefix is cheaper than a HEAD request per key. */
const LIST_THRESHOLD = 64;
/** Sockets kept open to the store: more than the transfers running at once (16 by default). */
const MAX_SOCKETS = 64;
/** A connection silent this long is dropped (the request is then retried or reported), never waited on forever. */
const IDLE_TIMEOUT_MS = 60_000;
/** Objects up to this size are read into memory and sent in one write. */
const SMALL_OBJECT = 1024 * 1024;
/** Tries per request for a network error or an HTTP 5xx (all these requests are idempotent). */
const ATTEMPTS = 3;

interface Credentials { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

interface Endpoint { https: boolean; hostname: string; port?: number; host: string; pathBase: string }

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) { throw new VersioningError('invalid-config', `remote url ${url} is not s3://bucket/prefix`); }
  return { bucket: m[1], prefix: m[2].replace(/\/+$/, '') };
}

/**
 * Why not the SDK for every object: its middleware stack (endpoint rules, user agent, retry and
 * signing middleware, XML error parsing) costs 3-4 ms of CPU per small object, which caps a push or
 * pull of many small objects near 100 objects/s. One aws4 signature and a request on a kept-alive
 * socket cost a tenth of that; listings (one per thousand keys) and credentials (profiles, SSO,
 * instance roles) stay with the SDK.
 */
export class S3Remote implements RemoteStore {
  readonly url: string;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly region: string;
  private readonly endpoint: Endpoint;
  private readonly agent: HttpAgent;
  private readonly explicitCredentials?: Credentials;
  private clientInstance?: S3Client;

  constructor(private readonly remote: RemoteConfig) {
    this.url = remote.url;
    ({ bucket: this.bucket, prefix: this.prefix } = parseS3Url(remote.url));
    const o = remote.options;
    this.region = o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const keyId = o.access_key_id ?? process.env.AWS_ACCESS_KEY_ID;
    const secret = o.secret_access_key ?? process.env.AWS_SECRET_ACCESS_KEY;
    if (keyId && secret) { this.explicitCredentials = { accessKeyId: keyId, secretAccessKey: secret, sessionToken: o.session_token ?? process.env.AWS_SESSION_TOKEN }; }
    this.endpoint = endpointOf(this.bucket, this.region, remote.endpointurl);
    const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_SOCKETS };
    this.agent = this.endpoint.https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  /** The SDK client, made on first use (listings, and credentials when none are configured). */
  private get client(): S3Client {
    const o = this.remote.options;
    this.clientInstance ??= withoutNodeVersionNotice(() => new S3Client({
      region: this.region,
      ...(this.remote.endpointurl ? { endpoint: this.remote.endpointurl, forcePathStyle: true } : {}),
      ...(this.explicitCredentials ? { credentials: this.explicitCredentials } : {}),
      // many S3-compatible stores reject the newer default checksum headers; md5 is checked by Strata itself
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: ATTEMPTS,
      ...(o.profile ? { profile: o.profile } : {}),
    }));
    return this.clientInstance;
  }

  private async credentials(): Promise<Credentials> {
    if (this.explicitCredentials) { return this.explicitCredentials; }
    // the SDK's provider chain (environment, shared files, SSO, instance roles) memoizes and refreshes
    const c = await this.client.config.credentials();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
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
        const res = await this.send('HEAD', k, { signal });
        res.resume();
        if (res.statusCode === 200) { found.add(k); } else if (res.statusCode !== 404) { throw httpFailure(res, ''); }
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
      const res = await this.send('PUT', key, {
        signal,
        headers: {
          'Content-Length': String(size),
          'Content-Type': 'application/octet-stream',
          // the store rejects the upload if the bytes it received do not have this md5
          ...(md5 ? { 'Content-MD5': Buffer.from(md5, 'hex').toString('base64') } : {}),
        },
        // a small object in one buffer (a stream's 1 MB read buffer per tiny object is mostly garbage); a large one streamed
        body: size <= SMALL_OBJECT ? () => readFile(localPath) : () => createReadStream(localPath, { highWaterMark: 1024 * 1024 }),
      });
      if (res.statusCode !== 200) { throw await httpFailureWithBody(res); }
      res.resume();
    } catch (e) {
      throw this.failure(e, `cannot upload ${key}`);
    }
  }

  async download(key: string, signal?: AbortSignal): Promise<Readable> {
    try {
      const res = await this.send('GET', key, { signal });
      if (res.statusCode === 404) {
        res.resume();
        throw new VersioningError('missing-object', `${key} is not on remote ${this.url}`);
      }
      if (res.statusCode !== 200) { throw await httpFailureWithBody(res); }
      return res;
    } catch (e) {
      throw this.failure(e, `cannot download ${key}`);
    }
  }

  /**
   * One signed request for an object; resolves with the response once its head arrived. Network
   * errors and 5xx answers are retried (the body is made afresh for each try).
   */
  private async send(method: 'HEAD' | 'GET' | 'PUT', key: string, opts: { signal?: AbortSignal; headers?: OutgoingHttpHeaders; body?: () => Readable | Promise<Buffer> }): Promise<IncomingMessage> {
    const creds = await this.credentials();
    const path = `${this.endpoint.pathBase}/${this.keyOf(key).split('/').map(encodeURIComponent).join('/')}`;
    for (let attempt = 1; ; attempt++) {
      const signed = aws4.sign({
        method, path, service: 's3', region: this.region, host: this.endpoint.hostname,
        headers: { Host: this.endpoint.host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD', ...opts.headers },
      }, creds);
      try {
        const res = await this.exchange(method, path, signed.headers ?? {}, await opts.body?.(), opts.signal);
        if ((res.statusCode ?? 0) < 500 || attempt >= ATTEMPTS) { return res; }
        res.resume();
      } catch (e) {
        if (opts.signal?.aborted || attempt >= ATTEMPTS || !retryable(e)) { throw e; }
      }
      await new Promise(resolve => setTimeout(resolve, 100 * attempt));
    }
  }

  private exchange(method: string, path: string, headers: OutgoingHttpHeaders, body: Readable | Buffer | undefined, signal?: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = (this.endpoint.https ? httpsRequest : httpRequest)({
        method, path, headers, agent: this.agent, hostname: this.endpoint.hostname, port: this.endpoint.port, signal, timeout: IDLE_TIMEOUT_MS,
      }, resolve);
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer from ${this.endpoint.host} for ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
      if (!body || Buffer.isBuffer(body)) {
        req.on('error', reject);
        req.end(body);
        return;
      }
      req.on('error', e => { body.destroy(); reject(e); });
      body.on('error', e => req.destroy(e));
      body.pipe(req);
    });
  }

  private failure(e: unknown, what: string): VersioningError {
    if (e instanceof VersioningError) { return e; }
    if ((e as Error)?.name === 'AbortError' || signalAborted(e)) { return new VersioningError('cancelled', 'cancelled', { cause: e }); }
    const detail = e instanceof S3ServiceException ? `${e.name} (HTTP ${e.$metadata.httpStatusCode ?? '?'})`
      : e instanceof HttpFailure ? e.message
        : (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? String(e);
    return new VersioningError('remote-failed', `${what} on remote ${this.url}: ${detail}`, { cause: e });
  }

  close(): void {
    this.agent.destroy();
    this.clientInstance?.destroy();
  }
}

/** The SDK's documented switch for its notice that its future releases need a newer Node.js. */
const NODE_VERSION_NOTICE_OFF = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * Make an SDK client without its multi-line notice about the Node.js versions its future releases
 * need (printed once, while the first client is made): nothing a Strata user can act on. The switch
 * is set only while the client is made, and a value the user set is kept.
 */
function withoutNodeVersionNotice<T>(make: () => T): T {
  if (process.env[NODE_VERSION_NOTICE_OFF] !== undefined) { return make(); }
  process.env[NODE_VERSION_NOTICE_OFF] = 'true';
  try {
    return make();
  } finally {
    delete process.env[NODE_VERSION_NOTICE_OFF];
  }
}

/** Path-style for a configured endpoint (S3-compatible stores), virtual-hosted for AWS itself. */
function endpointOf(bucket: string, region: string, endpointurl?: string): Endpoint {
  if (endpointurl) {
    let u: URL;
    try {
      u = new URL(endpointurl);
    } catch {
      throw new VersioningError('invalid-config', `endpointurl ${endpointurl} is not a URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new VersioningError('invalid-config', `endpointurl ${endpointurl} is not an http(s) URL`);
    }
    return { https: u.protocol === 'https:', hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : undefined, host: u.host, pathBase: `${u.pathname.replace(/\/+$/, '')}/${encodeURIComponent(bucket)}` };
  }
  // a bucket name with dots does not match the wildcard certificate: path-style then
  const host = bucket.includes('.') ? `s3.${region}.amazonaws.com` : `${bucket}.s3.${region}.amazonaws.com`;
  return { https: true, hostname: host, host, pathBase: bucket.includes('.') ? `/${encodeURIComponent(bucket)}` : '' };
}

/** An S3 error answer: HTTP status and, when the body says it, S3's error code. */
class HttpFailure extends Error {}

function httpFailure(res: IncomingMessage, body: string): HttpFailure {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  return new HttpFailure(`${code ?? res.statusMessage ?? 'error'} (HTTP ${res.statusCode ?? '?'})`);
}

async function httpFailureWithBody(res: IncomingMessage): Promise<HttpFailure> {
  let body = '';
  try {
    for await (const chunk of res) {
      if (body.length < 4096) { body += String(chunk); }
    }
  } catch { /* the status alone still says what failed */ }
  return httpFailure(res, body);
}

function retryable(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT' || code === 'ECONNREFUSED' || code === 'EAI_AGAIN';
}

function signalAborted(e: unknown): boolean {
  return /aborted/i.test((e as Error)?.message ?? '');
}
