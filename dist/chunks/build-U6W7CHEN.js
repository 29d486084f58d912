import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  buildUsage,
  parseBuildArgs,
  registryCredentials,
  run
} from "./chunk-CGEDSX5K.js";
import "./chunk-C5WHVDE7.js";
import "./chunk-D44CWLKA.js";
import "./chunk-5DBEXZZN.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-EZVZCVUZ.js";
import "./chunk-ECKJPFTC.js";
import "./chunk-G2HOTOFI.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-GHBYYFLJ.js";
import "./chunk-NSHGOOXV.js";
import "./chunk-TC6B22LF.js";
export {
  buildUsage,
  parseBuildArgs,
  registryCredentials,
  run
};
