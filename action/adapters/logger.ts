/**
 * Values shorter than this are never masked: masking `a` would turn every `staging` in the logs
 * into `st***ging` and hide nothing worth hiding. `maskSecretValue` warns about such a secret;
 * the loggers drop it as a backstop, so no caller can register one.
 */
export const MIN_MASKED_LENGTH = 4;

export function maskable(value: string): boolean {
  return value.length >= MIN_MASKED_LENGTH;
}

/** Where libraries report progress. The CLI writes to stderr; the Action wraps @actions/core. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Registers a value that must never be printed; the logger masks it from then on. */
  setSecret(value: string): void;
}

export function consoleLogger(options: { verbose?: boolean; write?: (s: string) => void } = {}): Logger {
  const write = options.write ?? ((s: string) => process.stderr.write(s));
  const secrets: string[] = [];
  const mask = (s: string) => secrets.reduce((acc, secret) => acc.split(secret).join('***'), s);
  return {
    debug: (m) => {
      if (options.verbose) write(`${mask(m)}\n`);
    },
    info: (m) => write(`${mask(m)}\n`),
    warn: (m) => write(`warning: ${mask(m)}\n`),
    error: (m) => write(`error: ${mask(m)}\n`),
    group: async (name, fn) => {
      write(`── ${mask(name)}\n`);
      return fn();
    },
    setSecret: (value) => {
      if (maskable(value) && !secrets.includes(value)) {
        secrets.push(value);
        // Longest first so a secret that contains another is masked whole.
        secrets.sort((a, b) => b.length - a.length);
      }
    },
  };
}

export function silentLogger(): Logger {
  return {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: () => {},
    group: (_name, fn) => fn(),
    setSecret: () => {},
  };
}

/**
 * Every line prefixed with `[prefix] `, for work that runs side by side with other work in one
 * log (several agents deployed at once). Log groups cannot interleave, so a group becomes a
 * prefixed heading line.
 */
export function prefixedLogger(base: Logger, prefix: string): Logger {
  const tag = (m: string) => `[${prefix}] ${m}`;
  return {
    debug: (m) => base.debug(tag(m)),
    info: (m) => base.info(tag(m)),
    warn: (m) => base.warn(tag(m)),
    error: (m) => base.error(tag(m)),
    group: async (name, fn) => {
      base.info(tag(`── ${name}`));
      return fn();
    },
    setSecret: (value) => base.setSecret(value),
  };
}
