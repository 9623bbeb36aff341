// The entry point: `skipinit COMMAND ...` -> the command's exit code. Usage errors print the command's usage
// line (exit 64); a thrown error is a bug of ours (exit 70), never a spec problem.
import { closestNames } from '@skipinit/graph';
import type { Command } from './command';
import { COMMANDS } from './commands/index';
import { EXIT, UsageError } from './exit-codes';
import type { Io } from './io';
import { nodeIo } from './io';
import { docsUrl, VERSION } from './package-info';

export { VERSION } from './package-info';

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `skipinit: write a residual network as a few lines of text, compile it, train it.

Examples:
  skipinit compile examples/deep-mlp.arch
  skipinit summary examples/wrn.arch --set depth=100 --set norm=none --set init=skipinit
  skipinit fmt --write examples/*.arch

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`).join('\n')}

Run 'skipinit COMMAND --help' for a command's examples and flags; 'skipinit --version' for the version.
The spec language: ${docsUrl('dsl.md')}
The paper, step by step: ${docsUrl('tutorial.md')}
`;
}

function find(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export async function main(argv: string[], io: Io = nodeIo()): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      io.stderr.write(topHelp());
      return EXIT.usage;
    }
    if (first === '--help' || first === '-h') {
      io.stdout.write(topHelp());
      return EXIT.ok;
    }
    if (first === '--version' || first === '-V') {
      io.stdout.write(`skipinit ${VERSION}\n`);
      return EXIT.ok;
    }
    if (first === 'help') {
      const c = rest[0] === undefined ? undefined : find(rest[0]);
      if (rest[0] !== undefined && !c) throw new UsageError(unknownCommand(rest[0]));
      io.stdout.write(c ? c.help : topHelp());
      return EXIT.ok;
    }
    const command = find(first);
    if (!command) throw new UsageError(unknownCommand(first));
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      const c = e.command ? find(e.command) : undefined;
      const usage = c ? c.help.split('\n')[0] : 'usage: skipinit COMMAND [flags]  (skipinit --help lists the commands)';
      io.stderr.write(`skipinit${e.command ? ` ${e.command}` : ''}: ${e.message}\n${usage}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`skipinit: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.internal;
  }
}

function unknownCommand(name: string): string {
  if (name.startsWith('-')) return `unknown option '${name}' (options go after the command: skipinit compile FILE ${name})`;
  const near = closestNames(name, COMMANDS.map((c) => c.name));
  return `unknown command '${name}'${near.length > 0 ? `; did you mean '${near[0]}'?` : ''}`;
}
