import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  buildUsage,
  parseBuildArgs,
  registryCredentials,
  run
} from "./chunk-57ZFYAKZ.js";
import "./chunk-WSC2FZOA.js";
import "./chunk-D44CWLKA.js";
import "./chunk-JBGSPZT4.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-U7QKVHOM.js";
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
