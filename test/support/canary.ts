/**
 * Canary secret values and the check that none of them leaked. The values are random per run,
 * so a leak cannot hide behind a value that happens to be printed anyway.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { maskedForms } from '../../action/secrets/mask.ts';
import { formatEnvFile } from '../../generators/env-file.ts';

export interface Canaries {
  /** name → value, including a multi-line one and one with quotes, `$` and backslashes. */
  values: Record<string, string>;
  /** Every value and the forms a careless log could print it in (lines, base64, JSON). */
  forms: string[];
}

export function canaryValues(prefix = 'CANARY'): Canaries {
  const token = () => randomBytes(12).toString('hex');
  const values: Record<string, string> = {
    [`${prefix}_PLAIN`]: `canary-plain-${token()}`,
    [`${prefix}_MULTILINE`]: `-----BEGIN CANARY-----\ncanary-line-one-${token()}\ncanary-line-two-${token()}\n-----END CANARY-----`,
    [`${prefix}_QUOTED`]: `canary"q'${token()}$HOME\\n\\`,
  };
  const forms = [...new Set(Object.values(values).flatMap((v) => maskedForms(v)))].filter(
    // The armour lines of the multi-line canary are not secret by themselves.
    (f) => !f.startsWith('-----'),
  );
  return { values, forms };
}

/** The canary forms found in `text` (empty when clean). */
export function leakedCanaries(text: string | Uint8Array, canaries: Canaries): string[] {
  const haystack = typeof text === 'string' ? text : Buffer.from(text).toString('latin1');
  return canaries.forms.filter((form) => haystack.includes(form));
}

/** Every file under `dir` (recursively) that contains a canary form, with the forms found. */
export function filesLeakingCanaries(
  dir: string,
  canaries: Canaries,
): Array<{ file: string; forms: string[] }> {
  const found: Array<{ file: string; forms: string[] }> = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const file = join(d, name);
      if (statSync(file).isDirectory()) walk(file);
      else {
        const forms = leakedCanaries(readFileSync(file), canaries);
        if (forms.length > 0) found.push({ file, forms });
      }
    }
  };
  walk(dir);
  return found;
}

/**
 * Hashes of plaintext that must never be committed or logged either (a hash lets anyone holding
 * the manifests test guesses): sha256/sha512/sha1/md5 of each value and of the whole set (its
 * JSON and its env-file form), as lower- and upper-case hex and base64.
 */
export function plaintextHashes(values: Readonly<Record<string, string>>): string[] {
  const inputs = [
    ...Object.values(values),
    JSON.stringify(values),
    formatEnvFile(new Map(Object.entries(values).filter(([name]) => /^[A-Z_][A-Z0-9_]*$/.test(name)))),
  ];
  const out: string[] = [];
  for (const input of inputs) {
    for (const algorithm of ['sha256', 'sha512', 'sha1', 'md5']) {
      const digest = createHash(algorithm).update(input).digest();
      out.push(digest.toString('hex'), digest.toString('hex').toUpperCase(), digest.toString('base64'));
    }
  }
  return out;
}
