// The webview's end of the message channel: typed posts, request ids, checked inbound messages, UI state.
import type { ContextAction, HostMessage, HostMessageType, WebviewMessage } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null;
}

const isNum = (v: unknown): v is number => typeof v === 'number';
const CONTEXT_ACTIONS: ReadonlySet<string> = new Set<ContextAction>([
  'sortAsc', 'sortDesc', 'clearSort', 'filter', 'filterValue', 'copy', 'copyCsv', 'copyMarkdown', 'copyColumnName', 'revealRow',
  'profileColumn',
]);
const isBatch = (v: unknown): boolean => isObj(v) && Array.isArray(v.columns) && Array.isArray(v.fieldIndexes) && isNum(v.rowStart) && isNum(v.rowCount);

// The protocol's guards are values, which the webview may not import; this checks the same
// discriminants and the fields the webview reads before trusting a message.
const checks: Record<HostMessageType, (m: Obj) => boolean> = {
  init: m => typeof m.title === 'string' && Array.isArray(m.fields) && isObj(m.rowCount) && isNum(m.fileVersion)
    && (m.firstRows === undefined || isBatch(m.firstRows)),
  fileChanged: m => typeof m.title === 'string' && Array.isArray(m.fields) && isObj(m.rowCount) && isNum(m.fileVersion),
  rowCount: m => isNum(m.fileVersion) && isObj(m.rowCount) && isNum(m.rowCount.value),
  rows: m => isNum(m.requestId) && isBatch(m.batch),
  viewReady: m => isNum(m.requestId) && isNum(m.rowCount),
  progress: m => isNum(m.requestId) && (m.fraction === null || isNum(m.fraction)) && typeof m.label === 'string',
  profile: m => isNum(m.requestId) && isObj(m.profile) && Array.isArray(m.profile.columnProfiles),
  cancelled: m => isNum(m.requestId),
  error: m => typeof m.message === 'string' && (m.requestId === undefined || isNum(m.requestId)),
  highlightRow: m => isNum(m.row),
  contextAction: m => typeof m.action === 'string' && CONTEXT_ACTIONS.has(m.action) && isNum(m.field) && (m.row === undefined || isNum(m.row)),
};

export function readHostMessage(data: unknown): HostMessage | null {
  if (!isObj(data) || typeof data.type !== 'string' || !Object.hasOwn(checks, data.type)) { return null; }
  return checks[data.type as HostMessageType](data) ? data as unknown as HostMessage : null;
}

export class HostClient {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private lastId = 0;

  newRequestId(): number { return ++this.lastId; }

  post(message: WebviewMessage): void { this.api.postMessage(message); }

  onMessage(handler: (m: HostMessage) => void): void {
    window.addEventListener('message', e => {
      const m = readHostMessage(e.data);
      if (m) { handler(m); }
    });
  }

  getState(): unknown { return this.api.getState(); }
  setState(state: unknown): void { this.api.setState(state); }
}
