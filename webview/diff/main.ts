// Entry of the diff panel's webview bundle: loads the controls and styles, then starts the app in #strata-diff.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './diff.css';
import { DiffApp } from './diffApp';
import { DiffHostClient } from './diffHostClient';

const host = document.getElementById('strata-diff') ?? document.body;
new DiffApp(new DiffHostClient(), host);
