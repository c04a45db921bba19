// Integration tier: bundles the mocha suite with esbuild and runs it inside a real VS Code extension host
// (code-server through the stand-in executable), on a throwaway copy of test/fixtures/workspace.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import * as h from '../e2e/harness.mjs';

const suiteDir = path.join(h.root, 'test/integration/suite');
const outDir = path.join(h.root, 'out/test/integration');

rmSync(outDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: readdirSync(suiteDir).filter(f => f.endsWith('.ts')).map(f => path.join(suiteDir, f)),
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});

if (!h.codeServerInstalled()) {
  console.error('The offline VS Code is missing: run `bash scripts/install-offline-vscode.sh` first.');
  console.log('integration: 0 passed, 1 failed');
  process.exit(1);
}

const tmp = h.mkTmp('strata-integration-');
const workspace = h.copyFixtureWorkspace(tmp);
// SIGINT is handled by runTests (it stops the editor and rejects); SIGTERM would skip the cleanup below
process.on('SIGTERM', () => { h.rmTmp(tmp); process.exit(143); });
let code = 0;
try {
  await runTests({
    // A machine with desktop VS Code can set VSCODE_EXECUTABLE to run the same suite in it.
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || path.join(h.root, 'test/e2e/code-server-shim.mjs'),
    extensionDevelopmentPath: h.root,
    extensionTestsPath: path.join(outDir, 'index'),
    launchArgs: [workspace, `--user-data-dir=${path.join(tmp, 'user-data')}`, `--extensions-dir=${path.join(tmp, 'extensions')}`],
  });
} catch (e) {
  console.error(`Integration tests failed: ${e.message}`);
  code = 1;
} finally {
  h.rmTmp(tmp);
}
process.exit(code);
