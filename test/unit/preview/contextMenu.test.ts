import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTEXT_COMMANDS, contextActionMessage } from '../../../src/vscode/preview/contextMenu';
import { CONTEXT_ACTIONS } from '../../../src/shared/protocol';

const VIEW_TYPES = ['strata.preview', 'strata.previewText'];
const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { commands: { command: string; title: string }[]; menus: Record<string, { command: string; when?: string; group?: string }[]> };
};

describe('the preview context menu', () => {
  it('turns a header\'s context into a message for the preview', () => {
    const arg = { webview: 'strata.preview', webviewSection: 'column', field: 3, preventDefaultContextMenuItems: true, strataColumnSorted: false };
    expect(contextActionMessage('sortDesc', arg, VIEW_TYPES)).toEqual({ type: 'contextAction', action: 'sortDesc', field: 3 });
    expect(contextActionMessage('copyColumnName', { ...arg, webview: 'strata.previewText' }, VIEW_TYPES))
      .toEqual({ type: 'contextAction', action: 'copyColumnName', field: 3 });
  });

  it('keeps the row of a cell, and cell actions need one', () => {
    const cell = { webview: 'strata.preview', webviewSection: 'cell', field: 0, row: 41 };
    expect(contextActionMessage('filterValue', cell, VIEW_TYPES)).toEqual({ type: 'contextAction', action: 'filterValue', field: 0, row: 41 });
    expect(contextActionMessage('revealRow', cell, VIEW_TYPES)).toEqual({ type: 'contextAction', action: 'revealRow', field: 0, row: 41 });
    const { row: _row, ...header } = cell;
    expect(contextActionMessage('filterValue', header, VIEW_TYPES)).toBeUndefined();
    expect(contextActionMessage('revealRow', header, VIEW_TYPES)).toBeUndefined();
  });

  it('ignores what is not a Strata preview menu\'s context', () => {
    for (const arg of [
      undefined, null, 'strata.preview', 7,
      { webview: 'other.editor', field: 1 },
      { field: 1 },
      { webview: 'strata.preview' },
      { webview: 'strata.preview', field: -1 },
      { webview: 'strata.preview', field: 1.5 },
      { webview: 'strata.preview', field: '1' },
      { webview: 'strata.preview', field: 1, row: -2 },
    ]) {
      expect(contextActionMessage('sortAsc', arg, VIEW_TYPES), JSON.stringify(arg)).toBeUndefined();
    }
  });

  it('has a command for every action, contributed with a title and hidden from the command palette', () => {
    expect(new Set(Object.values(CONTEXT_COMMANDS))).toEqual(new Set(CONTEXT_ACTIONS));
    const contributed = new Map(pkg.contributes.commands.map(c => [c.command, c.title]));
    const hidden = new Set(pkg.contributes.menus.commandPalette.filter(m => m.when === 'false').map(m => m.command));
    for (const id of Object.keys(CONTEXT_COMMANDS)) {
      expect(contributed.get(id), id).toBeTruthy();
      expect(hidden.has(id), `${id} is hidden from the palette`).toBe(true);
    }
  });

  it('shows its items only on the preview\'s headers and cells, each item a context command', () => {
    const items = pkg.contributes.menus['webview/context'];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(Object.hasOwn(CONTEXT_COMMANDS, item.command), item.command).toBe(true);
      expect(item.when).toMatch(/^webviewId =~ \/\^strata\\\.preview\(Text\)\?\$\/ && webviewSection == '(column|cell)'/);
      expect(item.group).toMatch(/^\d_\w+@\d+$/);
    }
    const cellOnly = items.filter(i => CONTEXT_COMMANDS[i.command] === 'filterValue' || CONTEXT_COMMANDS[i.command] === 'revealRow');
    expect(cellOnly.every(i => i.when?.includes("webviewSection == 'cell'"))).toBe(true);
    expect(items.find(i => i.command === 'strata.preview.revealRow')?.when).toContain('strataCanRevealRows');
  });
});
