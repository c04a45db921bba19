// The CLI as `npm run build` writes it to dist/ (cli.js, with the session and job workers beside it for threaded runs), built
// into a temporary folder so a test never runs stale bundles. The caller removes `dir`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = join(__dirname, '../../..');

export async function buildCliBundle(prefix: string): Promise<{ dir: string; cli: string }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  await esbuild.build({
    entryPoints: {
      cli: join(ROOT, 'src/cli/main.ts'), session: join(ROOT, 'src/node/worker/sessionMain.ts'), worker: join(ROOT, 'src/node/worker/workerMain.ts'),
    },
    outdir: dir,
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', define: { STRATA_VERSION: '"test"' }, logLevel: 'error',
  });
  return { dir, cli: join(dir, 'cli.js') };
}
