// Entry of the data preview webview bundle: starts the app in #strata-preview; its controls are defined once the
// first rows are on screen (their first render would otherwise come before them).
import './preview.css';
import { App } from './app';
import { HostClient } from './hostClient';

const host = document.getElementById('strata-preview') ?? document.body;
new App(new HostClient(), host, () => import('./controls'));
