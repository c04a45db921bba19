// The diff webview's end of the channel: typed posts, checked inbound messages, persisted UI state.
import type { DiffHostMessage, DiffHostMessageType, DiffPanelState, DiffWebviewMessage } from '../../src/shared/diffProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;
const isNum = (v: unknown): v is number => typeof v === 'number';

// The protocol's guards are values, which the webview may not import: the same discriminants and the
// fields this webview reads are checked here before a message is trusted.
const checks: Record<DiffHostMessageType, (m: Obj) => boolean> = {
  init: m => typeof m.title === 'string' && isObj(m.request) && isObj(m.request.a) && isObj(m.request.b),
  progress: m => (m.fraction === null || isNum(m.fraction)) && typeof m.label === 'string',
  result: m => isObj(m.diff) && isObj(m.diff.rows) && Array.isArray(m.diff.columns) && Array.isArray(m.diff.changes) && isObj(m.diff.schema),
  error: m => typeof m.message === 'string',
  cancelled: () => true,
};

export function readDiffHostMessage(data: unknown): DiffHostMessage | null {
  if (!isObj(data) || typeof data.type !== 'string' || !Object.hasOwn(checks, data.type)) { return null; }
  return checks[data.type as DiffHostMessageType](data) ? data as unknown as DiffHostMessage : null;
}

export class DiffHostClient {
  private readonly api: VsCodeApi = acquireVsCodeApi();

  post(message: DiffWebviewMessage): void { this.api.postMessage(message); }

  onMessage(handler: (m: DiffHostMessage) => void): void {
    window.addEventListener('message', e => {
      const m = readDiffHostMessage(e.data);
      if (m) { handler(m); }
    });
  }

  getState(): Partial<DiffPanelState> {
    const s = this.api.getState();
    return isObj(s) ? s as Partial<DiffPanelState> : {};
  }

  setState(state: DiffPanelState): void { this.api.setState(state); }
}
