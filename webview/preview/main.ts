// Entry of the data preview webview bundle: starts the app in #strata-preview. Nothing may be fetched before the page's
// load event: VS Code shows the webview's frame, and hands it the messages held for it (`init` with the first rows),
// only once the page has loaded, and a pending stylesheet or font would hold that. So the codicon stylesheet is
// linked from here after the load event, and the @vscode-elements controls, a separate bundle
// (dist/webview/preview-controls.js), are loaded once the first rows are on screen.
import './preview.css';
import { App } from './app';
import { HostClient } from './hostClient';

// (marks the editor bench reads to show where the time to the first rows goes: strata/script, strata/app here,
// strata/init and strata/drawn in the app)
performance.mark('strata/script');
const host = document.getElementById('strata-preview') ?? document.body;
// the page's nonce, read while this script is the current one (the attribute itself is hidden from the DOM)
const nonce = document.currentScript?.nonce ?? '';

// (this script runs while the page is parsed, always before its load event)
window.addEventListener('load', () => {
  const href = host.dataset.codicons;
  if (!href) { return; }
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.id = 'vscode-codicon-stylesheet'; // the icon element of @vscode-elements finds the stylesheet by this id
  link.href = href;
  document.head.appendChild(link);
}, { once: true });

new App(new HostClient(), host, () => loadScript(host.dataset.controls));
performance.mark('strata/app');

function loadScript(src: string | undefined): Promise<void> {
  if (!src) { return Promise.resolve(); }
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.nonce = nonce;
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`The preview's controls could not be loaded from ${src}.`));
    document.head.appendChild(script);
  });
}
