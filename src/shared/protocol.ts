// The host <-> webview contract: every message type, DTO and guard. Imports nothing.

/** Messages the extension host sends to a webview. */
export type HostMessage =
  | { type: 'init'; title: string };

/** Messages a webview sends to the extension host. */
export type WebviewMessage =
  | { type: 'ready' };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

export function isHostMessage(v: unknown): v is HostMessage {
  return isObject(v) && typeof v.type === 'string';
}

export function isWebviewMessage(v: unknown): v is WebviewMessage {
  return isObject(v) && typeof v.type === 'string';
}
