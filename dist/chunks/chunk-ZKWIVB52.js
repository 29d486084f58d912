import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  ImageError
} from "./chunk-NQESISYT.js";

// action/image/runtime-dir.ts
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
function locateRuntimeDir(env = {}, from = dirname(fileURLToPath(import.meta.url))) {
  const override = env.DOCKRION_RUNTIME_DIR;
  if (override) {
    if (!existsSync(join(override, "pyproject.toml"))) {
      throw new ImageError(`DOCKRION_RUNTIME_DIR=${override} has no pyproject.toml`);
    }
    return override;
  }
  let dir = from;
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(dir, "runtime");
    if (existsSync(join(candidate, "pyproject.toml")) && existsSync(join(candidate, "dockrion_runtime"))) {
      return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ImageError(
    "cannot find the dockrion runtime package next to this tool",
    "reinstall @dockrion/deploy, or set DOCKRION_RUNTIME_DIR to its runtime/ folder"
  );
}

export {
  locateRuntimeDir
};
