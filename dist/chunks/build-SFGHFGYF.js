import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  buildUsage,
  cacheFlags,
  parseBuildArgs,
  registryCredentials,
  run
} from "./chunk-37LI4GCU.js";
import "./chunk-6CU2YFGU.js";
import "./chunk-FMMRK2NH.js";
import "./chunk-JBMWCHMC.js";
import "./chunk-A5BNW3EG.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-WRJAMKRC.js";
import "./chunk-YNYXG3GD.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-4P7MY5G4.js";
import "./chunk-7XAKNN6Y.js";
import "./chunk-R543NRMT.js";
import "./chunk-QBC6AHXA.js";
import "./chunk-RK5RNRQP.js";
import "./chunk-TC6B22LF.js";
export {
  buildUsage,
  cacheFlags,
  parseBuildArgs,
  registryCredentials,
  run
};
