// How a command shows the backend it runs on: one line for the mode that runs and its notes, then one
// line per better mode that was skipped, with its reason in a few words. `--verbose` shows every reason in
// full; config.json always records them in full (the selection report).
import type { ModeSelection } from '@skipinit/backend-gpujs';

/** Longest short reason, in characters. */
const SHORT = 60;

/**
 * A reason in a few words: up to the first ': ', ' (' or '; ' (what follows is the detail: a linker
 * message, a path, an API hint), and at most SHORT characters, cut at a word.
 */
export function shortReason(reason: string): string {
  const cut = Math.min(...[': ', ' (', '; '].map((s) => reason.indexOf(s)).filter((i) => i > 0), reason.length);
  const head = reason.slice(0, cut).trim();
  if (head.length <= SHORT) return head;
  const space = head.lastIndexOf(' ', SHORT - 1);
  return `${head.slice(0, space > SHORT / 2 ? space : SHORT - 1)}…`;
}

/** The mode that runs and its notes: `gpu.js mode 'webasm': WebAssembly SIMD (f32x4), ...`. */
export function selectionHead(selection: ModeSelection): string {
  return `gpu.js mode '${selection.mode}'${selection.forced ? ' (forced)' : ''}: ${selection.notes.join(', ')}`;
}

/** One line per skipped mode: `skipped webgpu: <reason>`, the reason short unless `verbose`. */
export function skippedLines(selection: ModeSelection, verbose: boolean): string[] {
  return selection.skipped.map((s) => `skipped ${s.mode}: ${verbose ? s.reason : shortReason(s.reason)}`);
}
