// @skipinit/cli: the `skipinit` command-line tool. `main(argv)` returns the process exit code.
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write('usage: skipinit <command> [options]\n');
    return argv.length === 0 ? 64 : 0;
  }
  process.stderr.write(`skipinit: unknown command '${argv[0]}'\n`);
  return 64;
}
