// skipinit fmt FILE...: print spec files in canonical form, check them, or rewrite them in place.
import { format } from '@skipinit/dsl';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import { printProblems, readSpec, specName } from '../spec-file';

const help = `usage: skipinit fmt FILE... [--check | --write]

Examples:
  skipinit fmt examples/wrn.arch                  # print the formatted file on stdout
  skipinit fmt --check examples/*.arch            # exit 1 and list the files that are not formatted
  skipinit fmt --write examples/*.arch            # rewrite the files in place
  cat my.arch | skipinit fmt -                    # FILE '-' is standard input

Prints a spec file in canonical form: one statement per line, two-space indentation, ', ' between options,
spaces around operators; comments and single blank lines are kept. Formatting never changes what a spec
compiles to.

Flags:
  --check       print nothing but the names of unformatted files (stderr); exit 1 if there are any
  --write       rewrite each file in place (only when it changes)
  -h, --help    show this help

Exit codes: 0 ok, 1 not formatted (--check), 64 usage, 65 syntax errors, 66 missing file, 73 cannot write.
`;

export const fmtCommand: Command = {
  name: 'fmt',
  summary: 'format spec files (print, --check, or --write in place)',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('fmt', argv, {
      check: { type: 'boolean' },
      write: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(help);
      return EXIT.ok;
    }
    if (values.check && values.write) throw new UsageError('--check and --write exclude each other', 'fmt');
    if (positionals.length === 0) throw new UsageError('missing FILE (one or more spec files)', 'fmt');
    if (values.write && positionals.includes('-')) throw new UsageError("--write rewrites files; '-' (standard input) is printed, without --write", 'fmt');
    if (!values.check && !values.write && positionals.length > 1) {
      throw new UsageError('printing formats one FILE; use --check or --write for several', 'fmt');
    }
    let code: number = EXIT.ok;
    const worse = (c: number): void => {
      const rank = (x: number): number => (x === EXIT.ok ? 0 : x === EXIT.unformatted ? 1 : 2);
      if (rank(c) > rank(code)) code = c;
    };
    for (const file of positionals) {
      const text = await readSpec(io, 'fmt', file);
      if (!text.ok) {
        worse(text.code);
        continue;
      }
      const name = specName(file);
      const r = format(text.value, { file: name });
      if (r.text === null) {
        printProblems(io, r.errors, new Map([[name, text.value]]));
        worse(EXIT.spec);
        continue;
      }
      if (values.check) {
        if (r.changed) {
          io.stderr.write(`${name}: not formatted${file === '-' ? '' : ` (run: skipinit fmt --write ${file})`}\n`);
          worse(EXIT.unformatted);
        }
      } else if (values.write) {
        if (r.changed) {
          try {
            await io.writeFile(file, r.text);
          } catch (e) {
            io.stderr.write(`skipinit fmt: cannot write '${file}': ${(e as Error).message}\n`);
            worse(EXIT.cantCreate);
          }
        }
      } else io.stdout.write(r.text);
    }
    return code;
  },
};
