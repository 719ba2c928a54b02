import fs from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';

const ROOT = import.meta.dirname;

const NO_ONLY = [
  { object: 'describe', property: 'only', message: 'Commit no focused tests.' },
  { object: 'it', property: 'only', message: 'Commit no focused tests.' },
  { object: 'test', property: 'only', message: 'Commit no focused tests.' },
];

/**
 * Inside src-main/core (ARCHITECTURE.md, layering.json): every folder is a domain, and another
 * domain imports it only through its index.ts (`../x`, `../x/index`), never a file inside it
 * (`../x/y`). The files directly in src-main/core (create-core.ts, index.ts) are the composition
 * root and may import anything. Repositories are the exception: src-main/core/db/repos/<r>.ts is
 * imported only by the domains that own it. test/core/layering.test.ts checks the same rules.
 */
const CORE = 'src-main/core';
const LAYERING = JSON.parse(fs.readFileSync(path.join(ROOT, 'layering.json'), 'utf8'));
const CORE_FOLDERS = fs
  .readdirSync(path.join(ROOT, CORE), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const REPOS = fs
  .readdirSync(path.join(ROOT, CORE, 'db/repos'))
  .filter((name) => /\.ts$/.test(name))
  .map((name) => name.replace(/\.ts$/, ''))
  .sort();

const DOMAIN_ZONES = CORE_FOLDERS.map((folder) => ({
  target: CORE_FOLDERS.filter((other) => other !== folder).map((other) => `./${CORE}/${other}`),
  from: `./${CORE}/${folder}`,
  // The repositories are checked by owner below.
  except: folder === 'db' ? ['./index.ts', './repos'] : ['./index.ts'],
  message: `Import ${CORE}/${folder} through its index.ts ('../${folder}'); export what you need there.`,
})).filter((zone) => zone.target.length > 0);

/** Patterns forbidding the repositories `folder` does not own (null: the composition root and shells). */
function repoRestrictions(folder) {
  return REPOS.filter((repo) => !(folder && (LAYERING.repoOwners[repo] ?? []).includes(folder))).map((repo) => {
    const owners = LAYERING.repoOwners[repo] ?? [];
    return {
      regex: `(^|/)db/repos/${repo}(\\.[cm]?[jt]s)?$`,
      allowTypeImports: LAYERING.repoTypeImports === true,
      message: owners.length
        ? `${repo} belongs to ${owners.map((o) => `${CORE}/${o}`).join(', ')}: use what its index.ts exports (layering.json).`
        : `${repo} has no owner in layering.json: add one.`,
    };
  });
}

const REPO_OWNERSHIP = [
  ...CORE_FOLDERS.filter((folder) => folder !== 'db').map((folder) => ({
    files: [`${CORE}/${folder}/**/*.{ts,tsx}`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: repoRestrictions(folder) }] },
  })),
  {
    files: [`${CORE}/*.ts`, 'src-main/headless/**/*.ts', 'src-main/electron/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: repoRestrictions(null) }] },
  },
];

/**
 * The layer arrows (ARCHITECTURE.md): shared ← core ← shells, shared ← renderer, and the domain
 * rules above. A stray import fails `npm test`, not review.
 */
export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', '.prof/**'] },
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
          basePath: ROOT,
          zones: [
            { target: './src-main/core', from: './src-main/electron', message: 'core never imports a shell' },
            { target: './src-main/core', from: './src-main/headless', message: 'core never imports a shell' },
            { target: './src-main/core', from: './src-renderer' },
            { target: './src-shared', from: './src-main' },
            { target: './src-shared', from: './src-renderer' },
            { target: './src-renderer', from: './src-main', message: 'the renderer reaches the core over HTTP only' },
            { target: './src-cloud', from: './src-main', message: 'the cloud shares only src-shared with the counter' },
            { target: './src-cloud', from: './src-renderer', message: 'the cloud shares only src-shared with the counter' },
            { target: './src-main', from: './src-cloud', message: 'the counter reaches the cloud over HTTP only' },
            { target: './src-shared', from: './src-cloud' },
            ...DOMAIN_ZONES,
          ],
        },
      ],
    },
  },
  ...REPO_OWNERSHIP,
  {
    // Type-aware rules where a forgotten promise costs most: the core, the shells, the renderer, the cloud.
    files: ['src-main/**/*.ts', 'src-renderer/**/*.{ts,tsx}', 'src-cloud/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: ROOT } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'src-main/core runs in plain Node.' }] }],
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-cloud/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The cloud is its own server process (issue 13): PostgreSQL or PGlite, never the counter's natives.
    files: ['src-cloud/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'src-cloud runs in plain Node.' },
            { name: 'better-sqlite3', message: 'src-cloud stores into PostgreSQL (pg) or PGlite.' },
          ],
        },
      ],
    },
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
