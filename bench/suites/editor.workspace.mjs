// Generates the Dataset Explorer's benchmark workspaces: 50,000 small files in nested folders, some of them datasets.
//
// Written once into bench/data/<name>/ (skipped when present); built as <name>.partial/ and renamed, so a
// half-written tree never looks done. Layout: 20 top folders × 25 subfolders × 100 files, like a repository
// with code, notes and data side by side.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TOP = 20;
const SUB = 25;
const PER_DIR = 100;
export const WORKSPACE_FILES = TOP * SUB * PER_DIR;

const DATASET_EXTS = ['.csv', '.csv', '.tsv', '.jsonl'];
const OTHER_EXTS = ['.py', '.py', '.md', '.json', '.txt', '.ts', '.yaml', '.ipynb', '.sql', '.log'];
const TOP_NAMES = ['src', 'data', 'notebooks', 'docs', 'models', 'reports', 'scripts', 'tests', 'configs', 'raw',
  'interim', 'processed', 'external', 'features', 'pipelines', 'experiments', 'sql', 'dashboards', 'assets', 'tools'];

/**
 * Ensures bench/data/<name>/ holds WORKSPACE_FILES files of which `datasets` are datasets, spread evenly
 * over the folders. Returns the folder.
 */
export function ensureWorkspace(dataDir, name, datasets) {
  const dir = join(dataDir, name);
  if (existsSync(dir)) { return dir; }
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const every = WORKSPACE_FILES / datasets; // one dataset every `every` files, in file order
  let n = 0;
  let nextDataset = 0;
  for (let t = 0; t < TOP; t++) {
    for (let s = 0; s < SUB; s++) {
      const sub = join(partial, TOP_NAMES[t], `part-${String(s).padStart(2, '0')}`, s % 2 ? 'batch' : 'v1');
      mkdirSync(sub, { recursive: true });
      for (let i = 0; i < PER_DIR; i++, n++) {
        if (n >= nextDataset) {
          nextDataset += every;
          const ext = DATASET_EXTS[n % DATASET_EXTS.length];
          writeFileSync(join(sub, `table_${n}${ext}`), ext === '.jsonl' ? `{"id":${n},"v":1}\n` : ext === '.tsv' ? `id\tv\n${n}\t1\n` : `id,v\n${n},1\n`);
        } else {
          const ext = OTHER_EXTS[n % OTHER_EXTS.length];
          writeFileSync(join(sub, `file_${n}${ext}`), `# ${n}\n`);
        }
      }
    }
  }
  renameSync(partial, dir);
  return dir;
}
