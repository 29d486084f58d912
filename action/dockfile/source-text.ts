import { readFileSync, statSync } from 'node:fs';
import { ErrorCode } from './codes.ts';
import { limits } from './limits.ts';

export type SourceProblem = (code: number, message: string, hint?: string) => void;

/**
 * Reads a Dockfile or included file as UTF-8 text, refusing what is not worth parsing: missing or
 * special files (`missingCode`), files over 1 MiB (checked before reading), binary and non-UTF-8
 * content (4000).
 */
export function readSourceText(
  path: string,
  display: string,
  missingCode: number,
  problem: SourceProblem,
): string | undefined {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) {
      problem(missingCode, `${display} is not a regular file`);
      return undefined;
    }
    size = stat.size;
  } catch (e: unknown) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    problem(missingCode, `${display} ${reason}`);
    return undefined;
  }
  if (size > limits.maxFileBytes) {
    problem(
      ErrorCode.YamlSyntax,
      `${display} is ${size} bytes; a Dockfile may be at most ${limits.maxFileBytes} bytes (1 MiB)`,
      'split large inline schemas into smaller files or reference Python classes',
    );
    return undefined;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    problem(missingCode, `${display} cannot be read`);
    return undefined;
  }
  return decodeSourceText(bytes, display, problem);
}

export function decodeSourceText(bytes: Buffer, display: string, problem: SourceProblem): string | undefined {
  // Binary files would otherwise parse as a single odd scalar and give confusing errors.
  if (bytes.includes(0)) {
    problem(ErrorCode.YamlSyntax, `${display} is binary, not YAML text`);
    return undefined;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    problem(ErrorCode.YamlSyntax, `${display} is not valid UTF-8 text`, 'save the file as UTF-8');
    return undefined;
  }
}
