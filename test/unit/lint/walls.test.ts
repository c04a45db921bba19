// Proves the layer walls bite: lint files that break them and expect no-restricted-imports errors.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test/lint-fixtures');

async function lint(rel: string): Promise<ESLint.LintResult> {
  // cwd = the fixture tree, so the config's `src/core/**` and `webview/**` globs apply to the fixtures
  const eslint = new ESLint({ cwd: fixtures, overrideConfigFile: path.join(root, 'eslint.config.mjs'), ignore: false });
  const [result] = await eslint.lintFiles([path.join(fixtures, rel)]);
  return result;
}

const wallErrors = (r: ESLint.LintResult) =>
  r.messages.filter(m => m.ruleId === 'no-restricted-imports').map(m => ({ line: m.line, message: m.message }));

describe('layer walls', () => {
  it('src/core may not import vscode or node:fs', async () => {
    const errors = wallErrors(await lint('src/core/breaksWall.ts'));
    expect(errors.map(e => e.line)).toEqual([2, 3]);
    expect(errors[0].message).toMatch(/Only src\/vscode/);
    expect(errors[1].message).toMatch(/src\/core is pure/);
  });

  it('the webview may not import from src/ except types from the protocol', async () => {
    const errors = wallErrors(await lint('webview/preview/breaksWall.ts'));
    expect(errors.map(e => e.line)).toEqual([2, 3]);
    expect(errors[0].message).toMatch(/only types from src\/shared\/protocol/);
    expect(errors[1].message).toMatch(/import type/);
  });

  it('a type-only import of the protocol passes', async () => {
    expect(wallErrors(await lint('webview/preview/keepsWall.ts'))).toEqual([]);
  });
});
