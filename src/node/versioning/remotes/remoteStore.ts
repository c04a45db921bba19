// What a remote (local folder or S3-compatible bucket) offers: which objects it has, upload, streamed download.
import type { Readable } from 'node:stream';

export interface RemoteStore {
  /** As configured, for messages. */
  readonly url: string;
  /** Which of the keys (`files/md5/xx/rest`) exist on the remote. */
  has(keys: readonly string[], signal?: AbortSignal): Promise<Set<string>>;
  /** Upload a local file under `key`; `md5` (hex of the bytes) lets the store check integrity where it can. */
  upload(localPath: string, key: string, size: number, md5: string | undefined, signal?: AbortSignal): Promise<void>;
  /** The object's bytes as a stream; `missing-object` when absent. */
  download(key: string, signal?: AbortSignal): Promise<Readable>;
  close(): void;
}
