import { ImageError } from '../../shared/errors.ts';
import { isImageReference } from '../image-ref.ts';

// Line breaks would end the instruction and start a new one; other control characters have no
// business in a label. Both become a space, so a value can never span two Dockerfile lines.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/g;

/**
 * A user-supplied value as one double-quoted Dockerfile word. Inside double quotes the
 * Dockerfile lexer unescapes exactly `\\`, `\"` and `\$`, so escaping those three keeps the value
 * literal: no variable expansion, no early end of the string, no line continuation.
 */
export function quoteDockerfileValue(value: string): string {
  const flattened = value.replace(CONTROL_CHARACTERS, ' ');
  return `"${flattened.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/** What `quoteDockerfileValue` makes of a value once the Dockerfile lexer has read it back. */
export function labelValueAsBuilt(value: string): string {
  return value.replace(CONTROL_CHARACTERS, ' ');
}

// Debian package names (policy §5.6.1), optionally `=version` and `:arch`. Names go to apt-get
// unquoted in a shell, so anything outside this grammar is refused rather than escaped.
const DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?(=[A-Za-z0-9.+~:-]+)?$/;

export function checkSystemPackage(name: string): string {
  if (!DEBIAN_PACKAGE.test(name)) {
    throw new ImageError(
      `build.system_packages: ${JSON.stringify(name)} is not a Debian package name`,
      'use names like libpq5 or curl=7.88.1-10 (lowercase letters, digits, + . -)',
    );
  }
  return name;
}

// ARG defaults are not quoted, so the reference grammar (no spaces, quotes, `$` or backslashes)
// is what keeps a base image from injecting an instruction.
export function checkImageReference(reference: string, what: string): string {
  if (!isImageReference(reference)) {
    throw new ImageError(
      `${what}: ${JSON.stringify(reference)} is not an image reference`,
      'expected e.g. python:3.12-slim or registry.example.com/team/base:1.0@sha256:…',
    );
  }
  return reference;
}

const PYTHON_VERSION = /^3(?:\.\d{1,2}){0,2}$/;

export function checkPythonVersion(version: string): string {
  if (!PYTHON_VERSION.test(version)) {
    throw new ImageError(`build.python: ${JSON.stringify(version)} is not a Python 3 version`, 'e.g. "3.12"');
  }
  return version;
}
