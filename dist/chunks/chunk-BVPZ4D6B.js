import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);

// action/entry-point.ts
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
function isEntryPoint(moduleUrl) {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

export {
  isEntryPoint
};
