// The preview webview's HTML: strict CSP with a fresh nonce; the grid's script and styles are written into the page
// itself (each a nonce'd element), so the webview starts without fetching them. The codicon stylesheet and the
// controls' bundle (dist/webview) are named on #strata-preview and loaded by the script, never ahead of the first rows.
import { readFile, stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { inlineText } from '../inlineText';

export function previewWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export async function previewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): Promise<string> {
  const nonce = makeNonce();
  const file = (...p: string[]) => vscode.Uri.joinPath(extensionUri, 'dist', 'webview', ...p);
  const asset = (...p: string[]) => webview.asWebviewUri(file(...p)).toString();
  const [script, style] = await Promise.all([bundleText(file('preview.js').fsPath), bundleText(file('preview.css').fsPath)]);
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  // source maps stay beside the bundles: the page's own address would not find them
  const mapped = (text: string, name: string) => text.replace(`sourceMappingURL=${name}.map`, `sourceMappingURL=${asset(`${name}.map`)}`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <style nonce="${nonce}">${inlineText(mapped(style, 'preview.css'), 'style')}</style>
  <title>${escapeText(title)}</title>
</head>
<body>
  <div id="strata-preview" data-codicons="${escapeAttr(asset('codicons', 'codicon.css'))}" data-controls="${escapeAttr(asset('preview-controls.js'))}"></div>
  <script nonce="${nonce}">${inlineText(mapped(script, 'preview.js'), 'script')}</script>
</body>
</html>`;
}

/** A page that only says what went wrong (no script). */
export function errorHtml(message: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'">
</head>
<body><p>${escapeText(message)}</p></body>
</html>`;
}

/** A bundle's text, read again only when the file changes (a rebuild while developing). */
const bundles = new Map<string, { mtimeMs: number; size: number; text: Promise<string> }>();

async function bundleText(path: string): Promise<string> {
  const s = await stat(path);
  const known = bundles.get(path);
  if (known && known.mtimeMs === s.mtimeMs && known.size === s.size) { return known.text; }
  const text = readFile(path, 'utf8');
  bundles.set(path, { mtimeMs: s.mtimeMs, size: s.size, text });
  text.catch(() => bundles.delete(path));
  return text;
}

function makeNonce(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
