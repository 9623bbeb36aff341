// Highlighting of the spec language in the editor: comments, keywords, numbers, names, option keys.
// Only colours: the DSL's own parser (in the compile worker) decides what is valid.
import { StreamLanguage } from '@codemirror/language';
import { KEYWORDS, MODEL_STATEMENTS, SECTIONS, TRAIN_STATEMENTS } from '@skipinit/dsl';

const keywords = new Set<string>([...(KEYWORDS as readonly string[]), ...SECTIONS]);
const statements = new Set<string>([...Object.keys(MODEL_STATEMENTS), ...Object.keys(TRAIN_STATEMENTS)]);

export const specLanguage = StreamLanguage.define<{ afterStatement: boolean }>({
  name: 'skipinit-spec',
  startState: () => ({ afterStatement: false }),
  token(stream, state) {
    if (stream.sol()) state.afterStatement = false;
    if (stream.eatSpace()) return null;
    if (stream.match('#')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match(/^"[^"\n]*"?/)) return 'string';
    if (stream.match(/^\d+(\.\d*)?(e[-+]?\d+)?(x\d+)*/i)) return 'number';
    if (stream.match(/^[A-Za-z_][\w]*(?=\s*=)/)) return 'propertyName';
    const word = stream.match(/^[A-Za-z_][\w]*/) as RegExpMatchArray | null;
    if (word) {
      const w = word[0];
      if (keywords.has(w)) return 'keyword';
      if (!state.afterStatement && statements.has(w)) {
        state.afterStatement = true;
        return 'typeName';
      }
      return 'variableName';
    }
    stream.next();
    return 'punctuation';
  },
  languageData: { commentTokens: { line: '#' } },
});
