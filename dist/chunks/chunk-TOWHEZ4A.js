import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  MIN_MASKED_LENGTH,
  maskable
} from "./chunk-265EZI3G.js";

// action/secrets/mask.ts
var MIN_LINE_LENGTH = 4;
function maskedForms(value) {
  if (value.length === 0) return [];
  const forms = /* @__PURE__ */ new Set([value]);
  const lines = value.split(/\r?\n/);
  if (lines.length > 1) {
    for (const line of lines) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_LINE_LENGTH) forms.add(trimmed);
    }
  }
  const base64 = Buffer.from(value, "utf8").toString("base64");
  forms.add(base64);
  forms.add(Buffer.from(value, "utf8").toString("base64url"));
  forms.add(base64.replace(/=+$/, ""));
  forms.add(JSON.stringify(value).slice(1, -1));
  return [...forms].filter((f) => f.length > 0);
}
function maskSecretValue(logger, value, name = "a secret") {
  if (value.length === 0) return;
  if (!maskable(value)) {
    logger.warn(
      `${name} is shorter than ${MIN_MASKED_LENGTH} characters, so it is not masked in logs (masking it would blank those characters out of every line); use a longer value`
    );
    return;
  }
  for (const form of maskedForms(value)) if (maskable(form)) logger.setSecret(form);
}

export {
  maskSecretValue
};
