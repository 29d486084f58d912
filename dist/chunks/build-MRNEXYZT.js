import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  buildUsage,
  cacheFlags,
  parseBuildArgs,
  registryCredentials,
  run
} from "./chunk-QNML2HWE.js";
import "./chunk-ODFKEOCO.js";
import "./chunk-2BT7NKZI.js";
import "./chunk-3SBGWFFS.js";
import "./chunk-PHNBCS6H.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-WN2KJ5VO.js";
import "./chunk-W74PZXZN.js";
import "./chunk-XKNEFQNC.js";
import "./chunk-TZHKIL7Z.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-JUYRQ3D2.js";
import "./chunk-GHBYYFLJ.js";
import "./chunk-LEVTJ2NN.js";
import "./chunk-TC6B22LF.js";
export {
  buildUsage,
  cacheFlags,
  parseBuildArgs,
  registryCredentials,
  run
};
