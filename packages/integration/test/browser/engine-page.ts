// The page of the browser engine test: the gpu.js engine from @skipinit/backend-gpujs/browser, 'auto'
// (webgpu where the browser gives an adapter, else webasm) and webasm, each running engineStep on every
// model. The test reads window.engineResults.
import { createGpuJsBackendAsync } from '@skipinit/backend-gpujs/browser';
import { Engine } from '@skipinit/tensor';
import { engineStep, STEP_MODELS, type StepResult } from './engine-step';

export interface ModeRun {
  readonly asked: string;
  readonly mode: string;
  readonly description: string;
  readonly results: Record<string, StepResult>;
  readonly millis: number;
}

async function runMode(asked: 'auto' | 'webasm'): Promise<ModeRun> {
  const t0 = performance.now();
  const backend = await createGpuJsBackendAsync({ mode: asked });
  const engine = new Engine(backend);
  const results: Record<string, StepResult> = {};
  for (const name of Object.keys(STEP_MODELS)) results[name] = await engineStep(engine, name);
  const run = { asked, mode: backend.mode, description: backend.describe(), results, millis: performance.now() - t0 };
  engine.destroy();
  return run;
}

async function main(): Promise<ModeRun[] | { error: string }> {
  try {
    const auto = await runMode('auto');
    return auto.mode === 'webasm' ? [auto] : [auto, await runMode('webasm')];
  } catch (error) {
    return { error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) };
  }
}

(globalThis as { engineResults?: unknown }).engineResults = main();
