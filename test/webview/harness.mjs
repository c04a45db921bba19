// The webview tier's machinery: a static server for the built bundle, headless Chromium, and a page per test.
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync, readdirSync, mkdtempSync, rmSync, cpSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve, extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const bundle = join(root, 'dist/webview/preview.js');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const fresh = () => {
  const sources = Math.max(newest(join(root, 'webview')), statSync(join(root, 'src/shared/protocol.ts')).mtimeMs);
  return existsSync(bundle) && statSync(bundle).mtimeMs >= sources;
};

/**
 * Builds when the bundle is missing or older than its sources: `npm run build`, or, when another
 * bundle of the project does not build, the webview bundle alone with the same esbuild options.
 */
export async function ensureBuilt() {
  if (fresh()) { return; }
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status === 0 && fresh()) { return; }
  console.log('  (the full build failed; building the webview bundle alone)');
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: { preview: join(root, 'webview/preview/main.ts') }, outdir: join(root, 'dist/webview'), bundle: true,
    platform: 'browser', format: 'iife', target: 'chrome120', minify: true, sourcemap: 'linked', loader: { '.ttf': 'file' },
    legalComments: 'none', logLevel: 'warning',
  });
  cpSync(join(root, 'node_modules/@vscode/codicons/dist'), join(root, 'dist/webview/codicons'), { recursive: true });
  if (!fresh()) { throw new Error('no fresh dist/webview/preview.js after building'); }
}

const types = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html',
  '.map': 'application/json', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

const escapeHtml = s => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

/** The extension's own `inlineText` (src/vscode/inlineText.ts), compiled on first use. */
let inlineTextFn;
async function inlineText(text, element) {
  if (!inlineTextFn) {
    const esbuild = await import('esbuild');
    const { code } = esbuild.transformSync(readFileSync(join(root, 'src/vscode/inlineText.ts'), 'utf8'), { loader: 'ts', format: 'esm' });
    inlineTextFn = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)).inlineText;
  }
  return inlineTextFn(text, element);
}

/**
 * The reference template with its placeholders filled as the extension fills them (the bundle's script and styles
 * written into the page), plus the test scripts before the bundle.
 */
async function previewPage(origin) {
  const nonce = randomBytes(16).toString('base64');
  const template = readFileSync(join(root, 'webview/preview/index.html'), 'utf8');
  const values = { cspSource: origin, nonce, codiconsUri: `${origin}/dist/webview/codicons/codicon.css`,
    controlsUri: `${origin}/dist/webview/preview-controls.js`, title: 'Strata Data Preview' };
  const raw = {
    style: await inlineText(readFileSync(join(root, 'dist/webview/preview.css'), 'utf8'), 'style'),
    script: await inlineText(readFileSync(bundle, 'utf8'), 'script'),
  };
  let html = template.replace(/\{\{(\w+)\}\}/g, (_, k) => (k in raw ? raw[k] : escapeHtml(values[k])));
  const testScripts = ['synthetic.js', 'themes.js', 'fakeHost.js']
    .map(f => `<script nonce="${escapeHtml(nonce)}" src="${origin}/test/webview/${f}"></script>`).join('\n  ');
  html = html.replace(/(\s*)(<script nonce=)/, `$1${testScripts}$1$2`);
  return html;
}

export async function startServer() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://${req.headers.host}`;
    if (url.pathname === '/preview.html') {
      previewPage(origin).then(html => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(html);
      }, e => { res.writeHead(500); res.end(String(e)); });
      return;
    }
    if (url.pathname === '/favicon.ico') { res.writeHead(204); res.end(); return; }
    const allowed = ['/dist/webview/', '/test/webview/'];
    const path = normalize(decodeURIComponent(url.pathname));
    const file = join(root, path);
    if (!allowed.some(a => path.startsWith(a)) || !file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise(r => server.close(r)) };
}

export async function launchBrowser(origin) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'strata-webview-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 760 },
    locale: 'en-US',
    timezoneId: 'UTC',
    deviceScaleFactor: 1,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  context.setDefaultTimeout(15_000);
  return {
    context,
    close: async () => { await context.close(); rmSync(userDataDir, { recursive: true, force: true }); },
  };
}

/**
 * Opens the preview with the fake host. `query` sets the fake host's options (rows, theme, holdViews, ...).
 * Page errors, console errors and dialogs are collected so the runner can fail a test on any of them.
 */
export async function openPreview(context, origin, query = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  page.on('console', m => { if (m.type() === 'error') { problems.push(`console error: ${m.text()}`); } });
  page.on('dialog', d => { problems.push(`dialog opened: ${d.message()}`); void d.dismiss(); });
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  await page.goto(`${origin}/preview.html?${qs}`);
  return { page, problems };
}
