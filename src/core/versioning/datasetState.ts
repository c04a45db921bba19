// The status of one tracked dataset, decided from facts gathered elsewhere (workspace hash, cache presence).
import type { PointerOutput } from './pointerFile';

export type DatasetState = 'unchanged' | 'modified' | 'not-in-cache' | 'missing';

export interface WorkspaceFacts {
  exists: boolean;
  /** The hash of what is in the workspace now (file md5, or folder hash with `.dir`), when it exists. */
  hash?: string;
}

export interface CacheFacts {
  /** The pointer's object is in the cache (for a folder: its manifest and every file it lists). */
  hasObject: boolean;
}

/**
 * missing: nothing in the workspace, and the cache holds the version (checkout restores it);
 * not-in-cache: the version is not stored in the cache, and the workspace matches it or holds nothing
 * (a fresh clone before a pull); modified: the workspace differs from the pointer (or the pointer has no hash yet).
 */
export function datasetState(out: PointerOutput, ws: WorkspaceFacts, cache: CacheFacts): DatasetState {
  if (!ws.exists) { return out.md5 && !cache.hasObject ? 'not-in-cache' : 'missing'; }
  if (!out.md5 || ws.hash !== out.md5) { return 'modified'; }
  return cache.hasObject ? 'unchanged' : 'not-in-cache';
}
