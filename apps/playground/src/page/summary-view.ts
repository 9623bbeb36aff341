// The summary table (as `skipinit summary` prints it): a row per node with its output shape, parameters
// and FLOPs per example, nested rows indented, then the totals.
import { formatCount, formatSI } from '@skipinit/graph';
import type { Summary } from '@skipinit/graph';

function cell(tag: 'td' | 'th', text: string, className?: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className !== undefined) el.className = className;
  return el;
}

export function renderSummary(target: HTMLElement, summary: Summary): void {
  const table = document.createElement('table');
  const head = document.createElement('tr');
  for (const t of ['layer', 'output', 'parameters', 'FLOPs / example']) head.append(cell('th', t));
  table.append(head);
  for (const r of summary.rows) {
    const tr = document.createElement('tr');
    const label = cell('td', `${'\u2003'.repeat(r.depth)}${r.label}`, r.depth > 0 ? 'nested' : undefined);
    tr.append(label, cell('td', r.output), cell('td', r.params === 0 ? '' : formatCount(r.params)), cell('td', r.flops === 0 ? '' : formatSI(r.flops)));
    table.append(tr);
  }
  const total = document.createElement('tr');
  total.className = 'total';
  total.append(cell('td', `total (${summary.blocks} residual blocks)`), cell('td', summary.output.join('x')), cell('td', formatCount(summary.params)), cell('td', formatSI(summary.flops)));
  table.append(total);
  target.replaceChildren(table);
}

/** A table of plain rows (the analysis package's signal summary). */
export function renderTable(target: HTMLElement, columns: readonly { key: string; title?: string }[], rows: readonly Record<string, unknown>[]): void {
  const table = document.createElement('table');
  const head = document.createElement('tr');
  for (const c of columns) head.append(cell('th', c.title ?? c.key));
  table.append(head);
  for (const r of rows) {
    const tr = document.createElement('tr');
    for (const c of columns) {
      const v = r[c.key];
      tr.append(cell('td', typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(3)) : v === null || v === undefined ? '–' : String(v)));
    }
    table.append(tr);
  }
  target.replaceChildren(table);
}
