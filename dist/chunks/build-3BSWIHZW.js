import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  buildUsage,
  cacheFlags,
  parseBuildArgs,
  registryCredentials,
  run
} from "./chunk-3QDCO27J.js";
import "./chunk-E7USMKWW.js";
import "./chunk-L6BWES6E.js";
import "./chunk-P25WTLRW.js";
import "./chunk-PPMIE3MS.js";
import "./chunk-ZKWIVB52.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-C77GWBV5.js";
import "./chunk-YNYXG3GD.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-3ANLHX4D.js";
import "./chunk-4P7MY5G4.js";
import "./chunk-CJK7HBET.js";
import "./chunk-Y7HVPOHU.js";
import "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";
export {
  buildUsage,
  cacheFlags,
  parseBuildArgs,
  registryCredentials,
  run
};
