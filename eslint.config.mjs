// Lint, and the layer walls: core is pure, node never sees vscode, the webview sees only the protocol.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map(m => `node:${m}`)];

const noVscode = { name: 'vscode', message: 'Only src/vscode (and extension.ts) may import vscode.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/lint-fixtures/**', 'bench/data/**', 'samples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-undef': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, ...nodeBuiltins.map(name => ({ name, message: 'src/core is pure: no Node modules (put adapters in src/node).' }))],
        patterns: [{ group: ['**/node/**', '**/vscode/**', '**/cli/**'], message: 'src/core may not depend on outer layers.' }],
      }],
    },
  },
  {
    files: ['src/node/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [{ group: ['**/vscode/**'], message: 'src/node and src/cli never depend on src/vscode.' }],
      }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, ...nodeBuiltins],
        patterns: [{ group: ['../*', './*', '**/*'], message: 'src/shared/protocol.ts imports nothing.' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, ...nodeBuiltins],
        patterns: [{
          regex: '^(\\.\\./)+src/(?!shared/(protocol|diffProtocol)$)',
          message: 'The webview may import only types from src/shared/protocol.ts (and the diff panel from src/shared/diffProtocol.ts).',
        }, {
          regex: '^(\\.\\./)+src/shared/(protocol|diffProtocol)$',
          allowTypeImports: true,
          message: 'The webview may import only types (import type) from src/shared/protocol.ts or src/shared/diffProtocol.ts.',
        }],
      }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', 'test/**/*.js', 'eslint.config.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
