import { EOL } from 'node:os';
import { describe, expect, it } from 'vitest';
import { actionsLogger } from '../../action/adapters/actions-logger.ts';
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

describe('a secret shorter than 4 characters', () => {
  it('is never masked (a one-character secret turned staging into st***ging), and a warning names it', () => {
    let out = '';
    const logger = consoleLogger({ write: (s) => (out += s) });
    maskSecretValue(logger, 'a', 'secret REGION_SUFFIX');
    maskSecretValue(logger, 'xyz', 'secret SHORT');
    logger.info('deploying to staging with xyz');
    const lines = out.split('\n').filter(Boolean);
    expect(lines).toContain('deploying to staging with xyz');
    expect(lines).toContain(
      'warning: secret REGION_SUFFIX is shorter than 4 characters, so it is not masked in logs ' +
        '(masking it would blank those characters out of every line); use a longer value',
    );
    expect(lines.some((l) => l.startsWith('warning: secret SHORT is shorter than 4 characters'))).toBe(true);
  });

  it('is dropped by the loggers themselves too, whoever registers it', () => {
    let out = '';
    const logger = consoleLogger({ write: (s) => (out += s) });
    logger.setSecret('a');
    logger.setSecret('abcd');
    logger.info('staging abcd');
    expect(out).toBe('staging ***\n');
  });

  it('from four characters on, is masked in every form', () => {
    let out = '';
    const logger = consoleLogger({ write: (s) => (out += s) });
    maskSecretValue(logger, 'q7z!', 'secret PIN');
    logger.info(`pin q7z! as base64 ${Buffer.from('q7z!').toString('base64')}`);
    expect(out).toBe('pin *** as base64 ***\n');
  });
});

describe('a secret shorter than 4 characters in the Action', () => {
  it('is not sent to the runner as ::add-mask:: (the runner would blank that letter everywhere)', () => {
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      const logger = actionsLogger();
      logger.setSecret('a');
      logger.setSecret('long-enough');
    } finally {
      process.stdout.write = original;
    }
    const masks = written.filter((w) => w.startsWith('::add-mask::'));
    expect(masks).toEqual([`::add-mask::long-enough${EOL}`]);
  });
});
