import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';

const NO_ONLY = [
  { object: 'describe', property: 'only', message: 'Commit no focused tests.' },
  { object: 'it', property: 'only', message: 'Commit no focused tests.' },
  { object: 'test', property: 'only', message: 'Commit no focused tests.' },
];

/**
 * The layer arrows (ARCHITECTURE.md): shared ← core ← shells, shared ← renderer. A stray
 * import fails `npm test`, not review.
 */
export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { import: importPlugin },
    languageOptions: { globals: { ...globals.node } },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', ...NO_ONLY],
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src-main/core', from: './src-main/electron', message: 'core never imports a shell' },
            { target: './src-main/core', from: './src-main/headless', message: 'core never imports a shell' },
            { target: './src-main/core', from: './src-renderer' },
            { target: './src-shared', from: './src-main' },
            { target: './src-shared', from: './src-renderer' },
            { target: './src-renderer', from: './src-main', message: 'the renderer reaches the core over HTTP only' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'src-main/core runs in plain Node.' }] }],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src-shared/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron'], patterns: [{ group: ['node:*'], message: 'This layer runs anywhere: no Node built-ins.' }] },
      ],
    },
  },
);
