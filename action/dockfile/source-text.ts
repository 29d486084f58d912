import { readFileSync, statSync } from 'node:fs';
import { ErrorCode } from './codes.ts';
import { limits } from './limits.ts';

/** `at` is a line/column in the file being read itself (not where it was included from). */
export type SourceProblem = (
  code: number,
  message: string,
  hint?: string,
  at?: { line: number; column: number },
) => void;

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
  // Windows editors save "Unicode" as UTF-16 with a byte-order mark; it is text, just not UTF-8.
  const wide = wideEncoding(bytes);
  if (wide) {
    problem(
      ErrorCode.YamlSyntax,
      `${display} is ${wide} text: save it as UTF-8`,
      `re-save the file with UTF-8 encoding (in many editors: "Save with Encoding" → UTF-8)`,
    );
    return undefined;
  }
  // Binary files would otherwise parse as a single odd scalar and give confusing errors.
  if (bytes.includes(0)) {
    problem(ErrorCode.YamlSyntax, `${display} is binary, not YAML text`);
    return undefined;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    problem(
      ErrorCode.YamlSyntax,
      `${display} is not valid UTF-8 text: line ${bad.line}, column ${bad.column} has byte 0x${bad.byte.toString(16).padStart(2, '0')}`,
      'save the file as UTF-8 (a Latin-1 or Windows-1252 editor setting is the usual cause)',
      { line: bad.line, column: bad.column },
    );
    return undefined;
  }
}

/** UTF-32 or UTF-16 by its byte-order mark (UTF-32 LE starts like UTF-16 LE, so it goes first). */
function wideEncoding(bytes: Buffer): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return 'UTF-32';
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return 'UTF-32';
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return 'UTF-16';
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Where the first byte that starts no valid UTF-8 sequence is: 1-based line and column (in characters). */
export function firstInvalidUtf8(bytes: Buffer): { line: number; column: number; byte: number } {
  let line = 1;
  let column = 1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let valid = length > 0 && i + length <= bytes.length;
    for (let k = 1; valid && k < length; k++) valid = ((bytes[i + k] ?? 0) & 0xc0) === 0x80;
    if (valid && length > 1) {
      // Overlongs, surrogates and code points past U+10FFFF are invalid too.
      try {
        strictUtf8.decode(bytes.subarray(i, i + length));
      } catch {
        valid = false;
      }
    }
    if (!valid) return { line, column, byte: b };
    if (b === 0x0a) {
      line++;
      column = 1;
    } else {
      column++;
    }
    i += length;
  }
  return { line, column, byte: 0 };
}
