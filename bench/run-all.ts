/**
 * `npm run bench`: makes sure the year of traffic exists (bench/_year.ts: generated once per size
 * and schema version, then reused from the temp dir), runs every benchmark under bench/ in its own
 * process, echoes what each prints, collects their `BENCH {json}` lines, and writes
 * docs/performance.md from them.
 *
 *   npm run bench                      everything; rewrites docs/performance.md
 *   npm run bench -- scale             only the files whose name contains "scale" (the doc is left
 *                                      alone unless --write-doc is given too)
 *   COUNTERPAY_BENCH_SMS=20000 npm run bench     a smaller year (default 1,000,000)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './_util';
import { writeReport, type BenchRun } from './_report';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const writeDoc = args.includes('--write-doc');
const only = args.find((a) => !a.startsWith('--'));
/** Benchmarks that read the generated year. */
const NEEDS_YEAR = ['scale-push.ts', 'get-session.ts', 'footprint.ts'];

const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts' && !f.startsWith('_'))
  .filter((f) => !only || f.includes(only))
  .sort();

function runFile(file: string, results: BenchResult[]): Promise<{ code: number | null; seconds: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    process.stdout.write(`${line}\n`);
    if (!line.startsWith('BENCH ')) return;
    try {
      results.push({ ...(JSON.parse(line.slice(6)) as BenchResult), file });
    } catch {
      process.stderr.write(`run-all: unreadable BENCH line from ${file}\n`);
    }
  });
  return new Promise((resolve) => {
    child.on('close', (code) => resolve({ code, seconds: (performance.now() - t0) / 1000 }));
  });
}

const started = performance.now();
const results: BenchResult[] = [];
const runs: BenchRun[] = [];
let failed = 0;
const queue = files.some((f) => NEEDS_YEAR.includes(f)) ? ['_year.ts', ...files] : files;
for (const file of queue) {
  process.stdout.write(`\n== ${file}${file === '_year.ts' ? ' (the year of traffic: generated, or reused from the cache)' : ''}\n`);
  const { code, seconds } = await runFile(file, results);
  runs.push({ file, seconds, ok: code === 0 });
  if (code !== 0) {
    failed += 1;
    process.stderr.write(`run-all: ${file} exited ${code}\n`);
    // Without the year, the benchmarks that need it would each try to generate it again.
    if (file === '_year.ts') break;
  }
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`\nrun-all: ${runs.length} runs in ${(seconds / 60).toFixed(1)} min${failed ? `, ${failed} failed` : ''}\n`);
if (!only || writeDoc) {
  const doc = path.join(here, '..', 'docs', 'performance.md');
  writeReport(doc, { results, runs, seconds, partial: Boolean(only) || failed > 0 });
  process.stdout.write(`run-all: wrote ${path.relative(process.cwd(), doc)}\n`);
}
process.exit(failed === 0 ? 0 : 1);
