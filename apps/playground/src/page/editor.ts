// The spec editor (CodeMirror 6): the spec language's colours, the DSL's diagnostics as lint marks
// (underlines, gutter markers, hover messages with "did you mean" actions), and a callback on each edit.
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorView, basicSetup } from 'codemirror';
import type { PageDiagnostic } from '../protocol';
import { lintMarks } from './lint';
import { specLanguage } from './spec-language';

export class SpecEditor {
  readonly view: EditorView;

  constructor(parent: HTMLElement, text: string, onEdit: (text: string) => void) {
    this.view = new EditorView({
      parent,
      doc: text,
      extensions: [
        basicSetup,
        specLanguage,
        lintGutter(),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onEdit(u.state.doc.toString());
        }),
      ],
    });
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  /** Shows the compiler's diagnostics for the text they were made from (dropped if it has changed since). */
  showDiagnostics(forText: string, diagnostics: readonly PageDiagnostic[]): void {
    if (forText !== this.text) return;
    this.view.dispatch(setDiagnostics(this.view.state, lintMarks(diagnostics, this.view.state.doc.length)));
  }

  /** Puts the cursor at a diagnostic (a click in the list under the editor). */
  reveal(d: PageDiagnostic): void {
    this.view.dispatch({ selection: { anchor: d.from, head: d.to }, scrollIntoView: true });
    this.view.focus();
  }
}
