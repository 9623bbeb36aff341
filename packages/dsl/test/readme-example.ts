import { compile, format, printDiagnostics } from '../src';

const source = `
let depth = 100
let init = skipinit
model deep {
  input 784
  resblock x depth, kind=mlp, width=784, norm=none, init=init
  head 10
}
`;
// --set depth=1000, as the CLI does: the graph keeps one resblock node with a count.
const ok = compile(source, { file: 'deep.arch', overrides: { depth: 1000 } });
console.log(ok.errors.length, ok.graph?.nodes.map((n) => n.kind).join(' ')); // 0 input resblock head
console.log(ok.inference?.blocks, ok.inference?.params); // 1000 1229320850

// Errors never throw: each comes with a code, a span and a printed frame with a caret.
const bad = compile(source.replace('init = skipinit', 'init = skipint'), { file: 'deep.arch' });
console.log(bad.errors.map((e) => e.code).join(), bad.graph); // sem/unknown-init null
console.log(printDiagnostics(bad.errors, bad.sources).split('\n')[0]); // deep.arch:3:12 error[sem/unknown-init]: unknown init 'skipint'; did you mean 'skipinit'?

// The formatter prints the canonical form.
console.log(JSON.stringify(format('model m{input 784;head 10}').text)); // "model m {\n  input 784\n  head 10\n}\n"
