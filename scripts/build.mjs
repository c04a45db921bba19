// Builds every bundle Strata ships: the extension host, the worker, the CLI and the webviews.
import * as esbuild from 'esbuild';
import { mkdirSync, cpSync, existsSync, readFileSync, chmodSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  define: { STRATA_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts', worker: 'src/node/worker/workerMain.ts', session: 'src/node/worker/sessionMain.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: {
      ...(existsSync('webview/preview/main.ts') ? { preview: 'webview/preview/main.ts' } : {}),
      // the @vscode-elements controls: loaded by the preview after its first rows, so its page's script stays small
      ...(existsSync('webview/preview/controls.ts') ? { 'preview-controls': 'webview/preview/controls.ts' } : {}),
      ...(existsSync('webview/diff/main.ts') ? { diff: 'webview/diff/main.ts' } : {}),
    },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    // the preview's script is written into its page: fewer bytes to send and parse before the first rows
    minify: true,
    loader: { '.ttf': 'file' },
  },
].filter(t => Object.keys(t.entryPoints).length > 0);

mkdirSync('dist/webview', { recursive: true });
// codicons ship their own font and CSS; the webviews load them from dist/webview/codicons
cpSync('node_modules/@vscode/codicons/dist', 'dist/webview/codicons', { recursive: true });

if (watch) {
  for (const t of targets) { const ctx = await esbuild.context(t); await ctx.watch(); }
  console.log('watching…');
} else {
  await Promise.all(targets.map(t => esbuild.build(t)));
  // npm runs the `bin` file directly (`npx strata`), so it must be executable
  chmodSync('dist/cli.js', 0o755);
}
