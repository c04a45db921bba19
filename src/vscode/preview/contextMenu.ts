// The data preview's context menu: VS Code's own menu (package.json, menus › webview/context) over the grid. Its
// commands get the grid's data-vscode-context (GridContext in src/shared/protocol.ts) with `webview` added, and are
// passed on to the preview as `contextAction` messages. No vscode here: unit-tested.
import type { ContextAction, ContextActionMessage } from '../../shared/protocol';

/** Each context-menu command and what it asks the preview to do. */
export const CONTEXT_COMMANDS: Readonly<Record<string, ContextAction>> = {
  'strata.preview.sortAscending': 'sortAsc',
  'strata.preview.sortDescending': 'sortDesc',
  'strata.preview.clearSort': 'clearSort',
  'strata.preview.filterColumn': 'filter',
  'strata.preview.filterToValue': 'filterValue',
  'strata.preview.copy': 'copy',
  'strata.preview.copyAsCsv': 'copyCsv',
  'strata.preview.copyAsMarkdown': 'copyMarkdown',
  'strata.preview.copyColumnName': 'copyColumnName',
  'strata.preview.revealRow': 'revealRow',
  'strata.preview.showColumnProfile': 'profileColumn',
};

/** Actions about one cell, which need its row. */
const CELL_ACTIONS: ReadonlySet<ContextAction> = new Set<ContextAction>(['filterValue', 'revealRow']);

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * The message for `action` run from the menu of a preview whose view type is one of `viewTypes`, or undefined when
 * the argument is not such a menu's context (another webview's, or the command run some other way).
 */
export function contextActionMessage(action: ContextAction, arg: unknown, viewTypes: readonly string[]): ContextActionMessage | undefined {
  if (typeof arg !== 'object' || arg === null) { return undefined; }
  const c = arg as Record<string, unknown>;
  if (typeof c.webview !== 'string' || !viewTypes.includes(c.webview) || !isIndex(c.field)) { return undefined; }
  if (c.row !== undefined && !isIndex(c.row)) { return undefined; }
  if (CELL_ACTIONS.has(action) && c.row === undefined) { return undefined; }
  return { type: 'contextAction', action, field: c.field, ...(c.row !== undefined ? { row: c.row } : {}) };
}
