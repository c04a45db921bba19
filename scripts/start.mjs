// `npm start`: builds Strata and opens it on samples/, in desktop VS Code when `code` is on PATH,
// otherwise in the offline code-server from the test harness (prints the URL to open in a browser).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const samples = path.join(root, 'samples');

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) { process.exit(build.status ?? 1); }

const hasCode = !process.env.STRATA_NO_DESKTOP && spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0;
if (hasCode) {
  const r = spawnSync('code', [`--extensionDevelopmentPath=${root}`, samples], { stdio: 'inherit' });
  process.exit(r.status ?? 0);
}

const install = spawnSync('bash', [path.join(root, 'scripts/install-offline-vscode.sh')], { cwd: root, stdio: 'inherit' });
if (install.status !== 0) { process.exit(install.status ?? 1); }

const h = await import('../test/e2e/harness.mjs');
const port = Number(process.env.STRATA_PORT || 8765);
// settings and installed extensions persist between runs; the real $HOME stays as is so git works as usual
const dir = path.join(root, '.vscode-test', 'start');
mkdirSync(dir, { recursive: true });
// code-server keeps its own logs under XDG_DATA_HOME: keep those in the ignored folder too
const env = { ...process.env, XDG_DATA_HOME: path.join(dir, 'data') };
const cs = h.startCodeServer({ dir, env, host: '127.0.0.1', port });
const stop = () => { cs.stop(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
cs.process.on('exit', code => {
  console.error(`code-server stopped (exit ${code})${code ? `:\n${cs.log().slice(-3000)}` : ''}`);
  process.exit(code ?? 1);
});
try {
  const base = await cs.url;
  const url = h.workbenchUrl(base, samples, [['extensionDevelopmentPath', root]]);
  console.log(`\nStrata is running on samples/ in VS Code (code-server ${base}).\nOpen this URL in a browser:\n\n  ${url}\n\nPress Ctrl+C to stop.`);
} catch (e) {
  console.error(String(e?.message ?? e));
  if (/EADDRINUSE/.test(cs.log())) { console.error(`Port ${port} is taken: set STRATA_PORT to another port.`); }
  cs.stop();
  process.exit(1);
}
