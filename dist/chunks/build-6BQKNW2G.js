import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  buildUsage,
  parseBuildArgs,
  registryCredentials,
  run
} from "./chunk-L7OZPBNS.js";
import "./chunk-7YXJAZBN.js";
import "./chunk-DWKWGFPV.js";
import "./chunk-7O3O2U4G.js";
import "./chunk-ZGS7O7Q7.js";
import "./chunk-D44CWLKA.js";
import "./chunk-NSHGOOXV.js";
import "./chunk-Z44K7NLS.js";
import "./chunk-G2HOTOFI.js";
import "./chunk-PDFGJ37W.js";
export {
  buildUsage,
  parseBuildArgs,
  registryCredentials,
  run
};
