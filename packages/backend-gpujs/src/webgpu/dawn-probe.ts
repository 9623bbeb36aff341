// `auto`'s quiet look for a hardware WebGPU adapter: Dawn asked in a child process, so that its native
// messages (Mesa's "XDG_RUNTIME_DIR is invalid", Dawn's refusals and limit warnings: about ten lines on a
// machine without a GPU, printed by C++ straight to fd 2) do not land on every command's stderr. Dawn
// is loaded into this process only when a hardware adapter answered, to be used. Node only.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { AdapterCandidate, AdapterChoice } from './adapter-choice';
import { chooseAdapter } from './adapter-choice';
import type { DawnRoute } from './dawn';
import { dawnRoutes } from './dawn';

/** Seconds the child may take (loading Dawn and asking every route takes about 1 s here). */
const PROBE_TIMEOUT_MS = 30_000;

// The child: asks each route as findDawnAdapter does (dawn.ts), prints what answered as one JSON line.
const CHILD = `
const [url, routesJson] = process.argv.slice(1);
const dawn = await import(url);
const found = [];
for (const r of JSON.parse(routesJson)) {
  const set = Object.entries(r.env ?? {}).filter(([k]) => process.env[k] === undefined);
  for (const [k, v] of set) process.env[k] = v;
  try {
    const a = await dawn.create(r.flags).requestAdapter({ featureLevel: r.featureLevel, powerPreference: 'high-performance' });
    const i = a?.info;
    found.push(i ? { backend: r.backend, featureLevel: r.featureLevel, info: { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter } } : { backend: r.backend, none: true });
  } catch (e) {
    found.push({ backend: r.backend, none: true });
  } finally {
    for (const [k] of set) delete process.env[k];
  }
}
process.stdout.write(JSON.stringify(found) + '\\n', () => process.exit(0));
`;

type ChildAnswer = (AdapterCandidate | { backend: string; none: true })[];

/** The adapter Dawn would choose, asked in a child process (its stderr kept out of ours); or why there is none. */
export async function probeDawnQuietly(routes: readonly DawnRoute[] = dawnRoutes()): Promise<AdapterChoice | { reason: string }> {
  let url: string;
  try {
    url = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  } catch {
    return { reason: "the 'webgpu' package is not installed" };
  }
  const run = await runChild([url, JSON.stringify(routes)]);
  if ('reason' in run) return run;
  let answer: ChildAnswer;
  try {
    answer = JSON.parse(run.stdout) as ChildAnswer;
  } catch {
    return { reason: `asking Dawn for an adapter failed: ${firstLine(run.stderr) || 'no answer'}` };
  }
  const candidates = answer.filter((a): a is AdapterCandidate => !('none' in a));
  const notFound = answer.filter((a) => 'none' in a).map((a) => `${a.backend}: no adapter`);
  return chooseAdapter(candidates, notFound) ?? { reason: `Dawn found no WebGPU adapter (${notFound.join('; ')})` };
}

function runChild(args: string[]): Promise<{ stdout: string; stderr: string } | { reason: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.on('error', (e) => done({ reason: `asking Dawn for an adapter failed: ${e.message}` }));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') done({ reason: `asking Dawn for an adapter took over ${PROBE_TIMEOUT_MS / 1000} s` });
      else if (code !== 0) done({ reason: `asking Dawn for an adapter failed (exit ${code}): ${firstLine(stderr.split('\n').filter((l) => /error/i.test(l)).join('\n') || stderr)}` });
      else done({ stdout, stderr });
    });
  });
}

const firstLine = (text: string): string => text.trim().split('\n')[0] ?? '';
