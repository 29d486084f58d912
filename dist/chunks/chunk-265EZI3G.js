import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);

// action/adapters/logger.ts
var MIN_MASKED_LENGTH = 4;
function maskable(value) {
  return value.length >= MIN_MASKED_LENGTH;
}
function consoleLogger(options = {}) {
  const write = options.write ?? ((s) => process.stderr.write(s));
  const secrets = [];
  const mask = (s) => secrets.reduce((acc, secret) => acc.split(secret).join("***"), s);
  return {
    debug: (m) => {
      if (options.verbose) write(`${mask(m)}
`);
    },
    info: (m) => write(`${mask(m)}
`),
    warn: (m) => write(`warning: ${mask(m)}
`),
    error: (m) => write(`error: ${mask(m)}
`),
    group: async (name, fn) => {
      write(`\u2500\u2500 ${mask(name)}
`);
      return fn();
    },
    setSecret: (value) => {
      if (maskable(value) && !secrets.includes(value)) {
        secrets.push(value);
        secrets.sort((a, b) => b.length - a.length);
      }
    }
  };
}
function prefixedLogger(base, prefix) {
  const tag = (m) => `[${prefix}] ${m}`;
  return {
    debug: (m) => base.debug(tag(m)),
    info: (m) => base.info(tag(m)),
    warn: (m) => base.warn(tag(m)),
    error: (m) => base.error(tag(m)),
    group: async (name, fn) => {
      base.info(tag(`\u2500\u2500 ${name}`));
      return fn();
    },
    setSecret: (value) => base.setSecret(value)
  };
}

export {
  MIN_MASKED_LENGTH,
  maskable,
  consoleLogger,
  prefixedLogger
};
