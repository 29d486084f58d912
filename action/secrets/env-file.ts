import { SecretsError } from '../errors.ts';

/**
 * Double quotes for every value because Compose's env_file parser (compose-go dotenv) treats
 * unquoted `#` as a comment and interpolates `$` in unquoted and double-quoted values; inside
 * double quotes it honours `\\`, `\"`, `\$`, `\n` and `\r`, which is all a value needs.
 */
function quote(value: string): string {
  const escaped = value.replace(/[\\"$\n\r]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      default:
        return `\\${c}`;
    }
  });
  return `"${escaped}"`;
}

const NAME = /^[A-Z_][A-Z0-9_]*$/;

/** A dotenv file, sorted by name, that `docker compose` env_file reads back value for value. */
export function formatEnvFile(values: ReadonlyMap<string, string>): string {
  const names = [...values.keys()].sort();
  const lines = names.map((name) => {
    if (!NAME.test(name)) throw new SecretsError(`secret name '${name}' is not a valid variable name`);
    const value = values.get(name) ?? '';
    if (value.includes('\0')) {
      throw new SecretsError(`secret ${name} contains a NUL byte, which no environment variable can hold`);
    }
    return `${name}=${quote(value)}\n`;
  });
  return lines.join('');
}
