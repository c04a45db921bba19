#!/usr/bin/env node
// Stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }): runs the
// extension tests in code-server's real Node extension host, driven by headless Chromium, and exits
// with the tests' exit code. No desktop VS Code can be downloaded on an offline machine.
import util from 'node:util';
import path from 'node:path';
import * as h from './harness.mjs';

const args = process.argv.slice(2);
const opt = n => args.filter(a => a.startsWith(`--${n}=`)).map(a => a.slice(n.length + 3));
const folder = args.find(a => !a.startsWith('-')) || h.root;
const payload = [
  ...opt('extensionDevelopmentPath').map(p => ['extensionDevelopmentPath', p]),
  ...opt('extensionTestsPath').map(p => ['extensionTestsPath', p]),
];
const tier = process.env.STRATA_TIER || 'integration';
const closing = new RegExp(`^${tier}: \\d+ passed, \\d+ failed`, 'm');
let sawClosingLine = false;

const tmp = h.mkTmp('strata-shim-');
const env = h.isolatedEnv(tmp);
const cs = h.startCodeServer({ dir: tmp, env, userData: opt('user-data-dir')[0], extDir: opt('extensions-dir')[0] });
let ctx;
let finishing = false;
async function finish(code, why) {
  if (finishing) { return; }
  finishing = true;
  if (why) { console.error(why); }
  // CI reads the closing line; when the host never got to print one, say so in the same shape
  if (!sawClosingLine && code !== 0) { console.log(`${tier}: 0 passed, 1 failed (the extension host did not finish the tests)`); }
  await Promise.race([ctx?.close(), new Promise(r => setTimeout(r, 5000).unref())]).catch(() => {});
  cs.stop();
  h.rmTmp(tmp);
  process.exit(code);
}
const ms = Number(process.env.STRATA_TEST_TIMEOUT_MS || 480000);
setTimeout(() => void finish(2, `TIMEOUT: the extension tests did not finish within ${ms} ms\n${cs.log().slice(-4000)}`), ms).unref();
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) { process.on(sig, () => void finish(130, `stopped by ${sig}`)); }

try {
  const base = await cs.url;
  ctx = await h.launchChromium(tmp, env);
  const page = ctx.pages()[0] || await ctx.newPage();
  // the web workbench reports the extension host's console and mocha's exit code through these
  const exit = new Promise(resolve => {
    void page.exposeFunction('codeAutomationLog', (_type, a) => {
      const s = util.format(...a);
      if (closing.test(s)) { sawClosingLine = true; }
      if (!h.noise.test(s)) { console.log(s); }
    });
    void page.exposeFunction('codeAutomationExit', code => resolve(code));
  });
  page.on('crash', () => void finish(3, 'the workbench page crashed'));
  // a loaded machine can take long to load the workbench; the overall timeout above bounds it
  await page.goto(h.workbenchUrl(base, path.resolve(folder), payload), { waitUntil: 'commit', timeout: 120000 });
  const code = await exit;
  await finish(Number(code) || 0);
} catch (e) {
  await finish(1, e?.stack || String(e));
}
