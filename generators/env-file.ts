import { SecretsError } from '../shared/errors.ts';

/**
 * The dotenv format, written and read in one place. The grammar is Compose's (compose-go dotenv,
 * the real consumer of `secrets.env`): `KEY=VALUE` lines, optional `export `, `#` comments, a
 * ` #` comment after an unquoted value, single quotes literal, double quotes with the escapes
 * `\\ \" \$ \n \r \t` (any other backslash stays as written). The `dotenv` package is not used:
 * it decodes only `\n` and `\r`, so it would read `"p\\q\$x\"y"` back wrong.
 */

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

export interface EnvFileProblem {
  /** 1-based. */
  line: number;
  /** Names the variable at most, never a value. */
  message: string;
}

const DOUBLE_QUOTED_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  '"': '"',
  $: '$',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** The value of a double-quoted field and where its closing quote is, or null if it has none. */
function readDoubleQuoted(field: string): { value: string; end: number } | null {
  let value = '';
  for (let i = 1; i < field.length; i++) {
    const c = field[i] as string;
    if (c === '"') return { value, end: i };
    if (c === '\\' && i + 1 < field.length) {
      const next = field[i + 1] as string;
      const decoded = DOUBLE_QUOTED_ESCAPES[next];
      value += decoded ?? `\\${next}`;
      i++;
    } else {
      value += c;
    }
  }
  return null;
}

/**
 * Reads what `formatEnvFile` writes (and the common hand-written forms) back to the same values.
 * Lines that are not `KEY=VALUE` are reported in `problems`; each caller decides whether they are
 * an error (`dockrion run --env-file`) or ignorable (the Dockfile's `.env`).
 */
export function parseEnvFile(text: string): { values: Map<string, string>; problems: EnvFileProblem[] } {
  const values = new Map<string, string>();
  const problems: EnvFileProblem[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    const name = match?.[1];
    if (!name) {
      problems.push({ line: index + 1, message: 'expected KEY=VALUE' });
      continue;
    }
    const field = match[2] ?? '';
    if (field.startsWith('"')) {
      const quoted = readDoubleQuoted(field);
      if (quoted) values.set(name, quoted.value);
      else problems.push({ line: index + 1, message: `unterminated double-quoted value for ${name}` });
    } else if (field.startsWith("'")) {
      const end = field.indexOf("'", 1);
      if (end >= 0) values.set(name, field.slice(1, end));
      else problems.push({ line: index + 1, message: `unterminated single-quoted value for ${name}` });
    } else {
      values.set(name, field.replace(/\s+#.*$/, '').trim());
    }
  }
  return { values, problems };
}
