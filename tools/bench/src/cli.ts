// `npm run bench`: the systems, the workloads, one run, the table or JSON; and `markdown <run.json>`.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs, selected, unknownSelections, USAGE, UsageError, type BenchOptions } from './args';
import { machineInfo, gitCommit, loadAverage, packageVersion } from './machine';
import { formatMarkdown, parseReportText } from './markdown';
import { agreementOf, formatTable, type Report } from './report';
import { runWorkload } from './runner';
import { speedups } from './speedup';
import { GpuJsThreadsSystem, gpuJsSystems } from './systems/gpujs';
import { TfjsSystem } from './systems/tfjs';
import { tfSetup } from './systems/tfjs-setup';
import type { Measurement, SystemAdapter, Workload } from './types';
import { modelWorkloads } from './workloads/models';
import { tensorWorkloads } from './workloads/tensor';

export function allWorkloads(): Workload[] {
  return [...tensorWorkloads(), ...modelWorkloads()];
}

/** Our systems (every gpu.js mode that loads) and the TensorFlow.js peers asked for; what did not load, with why. */
export async function makeSystems(options: Pick<BenchOptions, 'modes' | 'peers' | 'threads' | 'includeSlow'>): Promise<{ systems: SystemAdapter[]; skipped: string[]; versions: Record<string, string> }> {
  const { systems: ours, skipped } = await gpuJsSystems(options.modes, options.threads);
  const systems: SystemAdapter[] = [...ours];
  if (options.threads > 1 && ours.some((s) => s.backend.mode === 'webasm')) systems.push(new GpuJsThreadsSystem());
  const versions: Record<string, string> = { 'gpu.js': packageVersion('gpu.js'), '@skipinit/backend-gpujs': packageVersion('@skipinit/backend-gpujs') };
  if (options.peers.length > 0) {
    const setup = await tfSetup();
    versions['@tensorflow/tfjs-core'] = setup.versions.core;
    versions['@tensorflow/tfjs-backend-wasm'] = setup.versions.wasm;
    versions['@tensorflow/tfjs-backend-cpu'] = setup.versions.cpu;
    for (const name of options.peers) {
      const ok = setup.available.get(name);
      if (ok === true) systems.push(new TfjsSystem(name, setup, { includeSlow: options.includeSlow }));
      else skipped.push(`TF.js ${name}: ${ok ?? 'not set up'}`);
    }
  }
  return { systems, skipped, versions };
}

export async function runBench(options: BenchOptions, command: string, log: (line: string) => void): Promise<Report> {
  const workloads = allWorkloads().filter((w) => selected(options.only, w));
  const date = new Date().toISOString();
  const commit = gitCommit(); // the sources the run bundled (taken before it starts: others may commit meanwhile)
  const loadStart = loadAverage();
  const { systems, skipped, versions } = await makeSystems(options);
  const results: Measurement[] = [];
  try {
    log(`systems: ${systems.map((s) => s.label).join('; ')}`);
    for (const w of workloads) {
      log(`${w.title}`);
      results.push(...(await runWorkload(w, systems, { reps: options.reps, warmup: options.warmup, seed: 1, now: () => performance.now(), maxRunMs: options.maxRunS * 1000, onProgress: log })));
    }
  } finally {
    systems.forEach((s) => s.dispose());
  }
  return {
    date,
    command,
    commit,
    machine: { ...machineInfo(), loadStart, loadEnd: loadAverage() },
    versions,
    reps: options.reps,
    warmup: options.warmup,
    maxRunS: options.maxRunS,
    systems: systems.map((s) => ({ id: s.id, side: s.side, label: s.label, details: s.details })),
    skipped,
    workloads: workloads.map((w) => ({ id: w.id, group: w.group, title: w.title, unit: w.unit, tolerance: w.tolerance, compared: w.compared })),
    results,
    speedup: speedups(results),
    agreement: agreementOf(results),
  };
}

/** Exit codes: 0 done and every system agreed; 1 a system disagreed or failed; 64 usage; 65 not a report; 66 missing input. */
export async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseArgs(argv);
    if (options.command === 'run') {
      const unknown = unknownSelections(options.only, allWorkloads());
      if (unknown.length > 0) throw new UsageError(`--only: no workload or group '${unknown[0]}' (groups: R1..R5; ids: ${allWorkloads().map((w) => w.id).join(', ')})`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const help = error.message === '';
    process.stderr.write(help ? `${USAGE}\n` : `bench: ${error.message}\n\n${USAGE}\n`);
    return help ? 0 : 64;
  }
  if (options.command === 'markdown') {
    let report: Report;
    try {
      report = parseReportText(readFileSync(options.file, 'utf8'));
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      process.stderr.write(`bench markdown: ${options.file}: ${(error as Error).message}\n`);
      return missing ? 66 : 65;
    }
    process.stdout.write(formatMarkdown(report));
    return 0;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const report = await runBench(options, ['npm run bench --', ...argv].join(' '), log);
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatTable(report)}\n`);
  const failed = report.results.some((m) => m.note?.startsWith('failed'));
  return report.agreement.ok && !failed ? 0 : 1;
}
