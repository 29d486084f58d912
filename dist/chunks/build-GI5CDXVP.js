import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  buildUsage,
  cacheFlags,
  parseBuildArgs,
  registryCredentials,
  run
} from "./chunk-H4MVKQ6Q.js";
import "./chunk-LPFTS2BP.js";
import "./chunk-FMMRK2NH.js";
import "./chunk-WJJQ4KSR.js";
import "./chunk-A5BNW3EG.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-WRJAMKRC.js";
import "./chunk-IY3QTVMP.js";
import "./chunk-TGDTHSMF.js";
import "./chunk-3ZQXHXDG.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-JUYRQ3D2.js";
import "./chunk-GHBYYFLJ.js";
import "./chunk-RK5RNRQP.js";
import "./chunk-TC6B22LF.js";
export {
  buildUsage,
  cacheFlags,
  parseBuildArgs,
  registryCredentials,
  run
};
