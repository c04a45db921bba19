// Picks the remote named (or the default) in .dvc/config and opens the right store for its url.
import { isAbsolute, resolve } from 'node:path';
import { selectRemote, type RemoteConfig } from '../../../core/versioning/dvcConfig';
import { VersioningError } from '../../../core/versioning/versioningError';
import type { Repository } from '../repository';
import { LocalRemote } from './localRemote';
import type { RemoteStore } from './remoteStore';

export async function openRemote(repo: Repository, name?: string): Promise<{ config: RemoteConfig; store: RemoteStore }> {
  const config = selectRemote(repo.config, name);
  const url = config.url;
  if (url.startsWith('s3://')) {
    // the AWS SDK is large: loaded only when an S3 remote is used
    const { S3Remote } = await import('./s3Remote');
    return { config, store: new S3Remote(config) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme && scheme[1].toLowerCase() !== 'file') {
    throw new VersioningError('unsupported', `remote '${config.name}' uses ${scheme[1]}://; Strata supports local folders and s3:// remotes`);
  }
  const path = scheme ? new URL(url).pathname : url;
  // DVC resolves a relative folder against the config file's folder (.dvc/)
  return { config, store: new LocalRemote(url, isAbsolute(path) ? path : resolve(repo.dvcDir, path)) };
}
