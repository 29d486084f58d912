import { describe, expect, it } from 'vitest';
import { consoleLogger } from '../../action/adapters/logger.ts';
import { maskedForms, maskSecretValue } from '../../action/secrets/index.ts';

describe('maskedForms', () => {
  it('covers the value, each substantial line, base64 (padded, unpadded, url-safe) and the JSON-escaped form', () => {
    const value = 'line-one-secret\n}\nline "two" \\ secret';
    const forms = maskedForms(value);
    expect(forms).toContain(value);
    expect(forms).toContain('line-one-secret');
    expect(forms).toContain('line "two" \\ secret');
    expect(forms).not.toContain('}');
    expect(forms).toContain(Buffer.from(value).toString('base64'));
    expect(forms).toContain(Buffer.from(value).toString('base64url'));
    expect(forms).toContain(JSON.stringify(value).slice(1, -1));
  });

  it('has nothing to mask for an empty value', () => {
    expect(maskedForms('')).toEqual([]);
  });
});

describe('maskSecretValue with the console logger', () => {
  it('masks every form in later output', () => {
    let out = '';
    const logger = consoleLogger({ write: (s) => (out += s) });
    const value = 'pa55"word\nsecond-line-secret';
    maskSecretValue(logger, value);
    logger.info(`raw ${value}`);
    logger.info(`line ${'second-line-secret'}`);
    logger.info(`b64 ${Buffer.from(value).toString('base64')}`);
    logger.info(`json ${JSON.stringify({ v: value })}`);
    expect(out).not.toContain('second-line-secret');
    expect(out).not.toContain('pa55');
    expect(out).not.toContain(Buffer.from(value).toString('base64'));
    expect(out.split('\n').filter(Boolean)).toEqual(['raw ***', 'line ***', 'b64 ***', 'json {"v":"***"}']);
  });
});
