// Adapts the Node-side summary cache (one worker computation per file version) to the tree's SummarySource.
import type { DatasetSummaryCache } from '../../node/summaryCache';
import type { DatasetFile } from './datasetScanner';
import type { DatasetSummary, SummarySource } from './datasetTree';

export function summarySourceOf(cache: DatasetSummaryCache, signal: AbortSignal): SummarySource {
  return {
    cached(file: DatasetFile): DatasetSummary | undefined {
      if (file.size === undefined || file.mtimeMs === undefined) { return undefined; }
      return cache.peek(file.uri.fsPath, { size: file.size, mtimeMs: file.mtimeMs });
    },
    request(file: DatasetFile): Promise<DatasetSummary> {
      return cache.get(file.uri.fsPath, { signal });
    },
  };
}
