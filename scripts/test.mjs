// `npm test`: every tier in order (typecheck, lint, build, unit, integration, UI, webview), each streamed,
// then one summary line per tier; exits non-zero when any tier failed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = name => path.join(root, 'node_modules/.bin', name);
const only = process.env.STRATA_TIERS?.split(',').map(s => s.trim()).filter(Boolean);

/** closing: the tier prints `<name>: N passed, N failed`; its absence counts as a failure. */
const tiers = [
  { name: 'typecheck', cmd: [bin('tsc'), '--noEmit', '-p', '.'], minutes: 5 },
  { name: 'lint', cmd: [bin('eslint'), '.'], minutes: 5 },
  { name: 'build', cmd: [process.execPath, 'scripts/build.mjs'], minutes: 3 },
  { name: 'unit', cmd: [bin('vitest'), 'run'], closing: true, minutes: 20 },
  { name: 'integration', cmd: [process.execPath, 'test/integration/run.mjs'], closing: true, needs: ['build', 'vscode'], minutes: 10 },
  { name: 'ui', cmd: [process.execPath, 'test/ui/run.mjs'], closing: true, needs: ['build', 'vscode'], minutes: 10 },
  { name: 'webview', cmd: [process.execPath, 'test/webview/run.mjs'], closing: true, needs: ['build'], minutes: 5,
    optional: () => !existsSync(path.join(root, 'test/webview/run.mjs')) },
];

/** Runs cmd in its own process group, streaming its output; kills the group when it overruns. */
function run(name, cmd, minutes) {
  return new Promise(resolve => {
    let out = '';
    const child = spawn(cmd[0], cmd.slice(1), { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      // the tiers write into a pipe; keep their colours only when the output goes to a terminal
      env: process.stdout.isTTY && !process.env.NO_COLOR ? { ...process.env, FORCE_COLOR: '1' } : process.env });
    child.stdout.on('data', d => { out += d; process.stdout.write(d); });
    child.stderr.on('data', d => { out += d; process.stderr.write(d); });
    const killGroup = sig => { try { process.kill(-child.pid, sig); } catch { /* gone */ } };
    const timer = setTimeout(() => {
      console.error(`\n${name}: TIMEOUT after ${minutes} min, stopping it`);
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 10000).unref();
    }, minutes * 60000);
    current = killGroup;
    child.on('error', e => { out += String(e); });
    child.on('close', code => { clearTimeout(timer); current = undefined; resolve({ code: code ?? 1, out }); });
  });
}
let current;
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  // stop the running tier (its own process group) and start no other; exit once it has closed
  process.on(sig, () => { stopping = true; current?.('SIGTERM'); setTimeout(() => process.exit(130), 15000).unref(); });
}

/**
 * Installs the offline VS Code in the background while the first tiers run (it takes minutes on a
 * fresh clone); the integration tier awaits it. The script is idempotent and serialised by a lock.
 */
function installOfflineVsCode() {
  return new Promise(resolve => {
    let out = '';
    const child = spawn('bash', [path.join(root, 'scripts/install-offline-vscode.sh')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', d => { out += d; });
    child.stderr.on('data', d => { out += d; });
    const timer = setTimeout(() => { out += '\ntimed out after 25 min'; child.kill('SIGTERM'); }, 25 * 60000);
    child.on('error', e => { out += String(e); });
    child.on('close', code => { clearTimeout(timer); resolve({ ok: code === 0, out }); });
  });
}
const wantsVsCode = tiers.some(t => t.needs?.includes('vscode') && (!only || only.includes(t.name)));
const offlineVsCode = wantsVsCode ? installOfflineVsCode() : undefined;

let vscodeChecked = false;
const results = [];
const failed = new Set();
const t0 = Date.now();
for (const t of tiers) {
  if (stopping) { break; }
  if (only && !only.includes(t.name)) { continue; }
  if (t.optional?.()) { results.push({ name: t.name, line: 'not present, skipped', ok: true }); continue; }
  const missing = (t.needs ?? []).filter(n => failed.has(n));
  if (missing.length) { results.push({ name: t.name, line: `skipped (${missing.join(', ')} failed)`, ok: false }); continue; }
  if (t.needs?.includes('vscode') && !vscodeChecked) {
    vscodeChecked = true;
    const install = await offlineVsCode;
    process.stdout.write(install.out);
    if (!install.ok) {
      failed.add('vscode');
      results.push({ name: 'vscode', line: 'offline VS Code install failed', ok: false });
      results.push({ name: t.name, line: 'skipped (offline VS Code missing)', ok: false });
      continue;
    }
  }
  console.log(`\n━━ ${t.name} ━━ ${[path.basename(t.cmd[0]), ...t.cmd.slice(1)].join(' ')}`);
  const started = Date.now();
  const { code, out } = await run(t.name, t.cmd, t.minutes);
  const secs = `${((Date.now() - started) / 1000).toFixed(0)} s`;
  // eslint-disable-next-line no-control-regex
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const closing = t.closing ? [...plain.matchAll(new RegExp(`^${t.name}: (\\d+) passed, (\\d+) failed.*$`, 'gm'))].pop() : undefined;
  let ok = code === 0;
  let line;
  if (t.closing) {
    if (!closing) { ok = false; line = `no closing line (exit ${code})`; }
    else {
      if (Number(closing[2]) > 0 || Number(closing[1]) === 0) { ok = false; }
      line = `${closing[0].slice(t.name.length + 2)}${code !== 0 && Number(closing[2]) === 0 ? ` (exit ${code})` : ''}`;
    }
  } else {
    line = ok ? 'ok' : `failed (exit ${code})`;
  }
  if (!ok) { failed.add(t.name); }
  results.push({ name: t.name, line: `${line}  [${secs}]`, ok });
}

if (stopping) { console.log('\nstopped'); process.exit(130); }
console.log(`\n━━ summary (${((Date.now() - t0) / 1000).toFixed(0)} s) ━━`);
for (const r of results) { console.log(`${r.ok ? '✔' : '✘'} ${r.name}: ${r.line}`); }
process.exit(results.every(r => r.ok) ? 0 : 1);
