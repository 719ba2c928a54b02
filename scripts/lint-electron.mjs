// `npm run lint:electron`: Electronegativity (Doyensec's checker for Electron misconfigurations
// and security anti-patterns) over the desktop shell's source, src-main/electron. Electronegativity
// itself always exits 0; this fails on any finding and on any file it could not parse.
//
// A finding we accept is silenced where it occurs, by the tool's own inline comment, and must say
// why: `// eng-disable CHECK_ID -- the reason`. A bare eng-disable (no reason) fails this script.
//
// Offline is fine: the tool tries to fetch updated translations for 1 s and falls back to its own.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const input = path.join(root, 'src-main/electron');
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies.electron;

function unexplainedSilences() {
  const bad = [];
  for (const name of fs.readdirSync(input, { recursive: true })) {
    const file = path.join(input, String(name));
    if (!/\.(ts|tsx|js|mjs|cjs|html)$/.test(file)) continue;
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/eng-disable/.test(line) && !/eng-disable[ \t]+[A-Z_ \t]+--[ \t]*\S/.test(line)) {
          bad.push(`${path.relative(root, file)}:${i + 1}: eng-disable without "-- reason": ${line.trim()}`);
        }
      });
  }
  return bad;
}

const run = require('@doyensec/electronegativity');
const quiet = console.log;
console.log = () => {}; // the translation fetch's "could not retrieve" line, when offline
let result;
try {
  result = await run({ input, electronVersionOverride: electronVersion, isRelative: true, customScan: [], excludeFromScan: [] });
} finally {
  console.log = quiet;
}
const { issues, errors, globalChecks, atomicChecks } = result;
const problems = [];
for (const issue of issues) {
  problems.push(
    `${issue.id} (${issue.severity.name}, ${issue.confidence.name}) ${issue.file}:${issue.location.line}:${issue.location.column}\n    ${issue.description}`,
  );
}
for (const error of errors) problems.push(`could not check ${path.relative(root, error.file)}: ${error.message}`);
problems.push(...unexplainedSilences());

if (problems.length > 0) {
  process.stderr.write(`Electronegativity: ${problems.length} problem(s) in src-main/electron\n${problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(
  `Electronegativity: no findings in src-main/electron (${atomicChecks} atomic and ${globalChecks} global checks, Electron ${electronVersion})\n`,
);
