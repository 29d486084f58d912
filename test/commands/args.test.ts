import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../action/commands/args.ts';
import { UsageError } from '../../shared/errors.ts';

const OPTIONS = {
  env: { type: 'string', short: 'e', multiple: true },
  strict: { type: 'boolean' },
} as const;

function problem(argv: string[], allowPositionals = false): string {
  try {
    parseCommandArgs('validate', argv, OPTIONS, allowPositionals);
  } catch (e: unknown) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).hint).toBe("run 'dockrion validate --help'");
    return (e as UsageError).message;
  }
  throw new Error(`${JSON.stringify(argv)} was accepted`);
}

describe('parseCommandArgs', () => {
  it('words a bad command line itself, naming the option as it was typed', () => {
    expect(problem(['--nope'])).toBe("unknown option '--nope'");
    expect(problem(['-x'])).toBe("unknown option '-x'");
    expect(problem(['--env'])).toBe("option '--env' needs a value");
    expect(problem(['-e'])).toBe("option '-e' needs a value");
    expect(problem(['--strict=yes'])).toBe("option '--strict' does not take a value");
    expect(problem(['file.yaml'])).toBe(
      "unexpected argument 'file.yaml': this command takes no positional arguments",
    );
  });

  it('returns what parseArgs parses for a good one', () => {
    const { values, positionals } = parseCommandArgs(
      'validate',
      ['-e', 'A=1', '--env=B=2', '--strict', 'Dockfile.yaml'],
      OPTIONS,
      true,
    );
    expect(values).toEqual({ env: ['A=1', 'B=2'], strict: true });
    expect(positionals).toEqual(['Dockfile.yaml']);
  });
});
