import { type Logger, MIN_MASKED_LENGTH, maskable } from '../adapters/logger.ts';

/**
 * Lines this short are left to the whole-value mask: registering `}` or `ok` would blank those
 * characters out of every later log line and make the logs useless without protecting anything.
 */
const MIN_LINE_LENGTH = 4;

/** Every form a value is likely to be printed in, so the logger can mask each one. */
export function maskedForms(value: string): string[] {
  if (value.length === 0) return [];
  const forms = new Set<string>([value]);
  const lines = value.split(/\r?\n/);
  if (lines.length > 1) {
    for (const line of lines) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_LINE_LENGTH) forms.add(trimmed);
    }
  }
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  forms.add(base64);
  forms.add(Buffer.from(value, 'utf8').toString('base64url'));
  // A base64 value printed without padding still starts with the same characters.
  forms.add(base64.replace(/=+$/, ''));
  forms.add(JSON.stringify(value).slice(1, -1));
  return [...forms].filter((f) => f.length > 0);
}

/**
 * Registers a value and its derived forms with the logger before anything can print them. A value
 * shorter than MIN_MASKED_LENGTH is not masked (it would blank those letters out of every log
 * line); the warning names the secret, never the value.
 */
export function maskSecretValue(logger: Logger, value: string, name = 'a secret'): void {
  if (value.length === 0) return;
  if (!maskable(value)) {
    logger.warn(
      `${name} is shorter than ${MIN_MASKED_LENGTH} characters, so it is not masked in logs ` +
        '(masking it would blank those characters out of every line); use a longer value',
    );
    return;
  }
  for (const form of maskedForms(value)) if (maskable(form)) logger.setSecret(form);
}
