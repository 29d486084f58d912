import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  deployUsage,
  readSealingCertificate,
  run
} from "./chunk-54FUFIOR.js";
import "./chunk-3QDCO27J.js";
import "./chunk-E7USMKWW.js";
import "./chunk-PF4O7LNR.js";
import "./chunk-L6BWES6E.js";
import "./chunk-64UEXQEB.js";
import "./chunk-ROGAJDNL.js";
import "./chunk-ZONKLWJV.js";
import "./chunk-P25WTLRW.js";
import "./chunk-PPMIE3MS.js";
import "./chunk-ZKWIVB52.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-TOWHEZ4A.js";
import "./chunk-C77GWBV5.js";
import "./chunk-265EZI3G.js";
import "./chunk-YNYXG3GD.js";
import "./chunk-T6GID5YX.js";
import "./chunk-OXDUWI3C.js";
import "./chunk-7TIOAEZ4.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-3ANLHX4D.js";
import "./chunk-FZB2N3GG.js";
import "./chunk-S62WSDRY.js";
import "./chunk-4P7MY5G4.js";
import "./chunk-CJK7HBET.js";
import "./chunk-Y7HVPOHU.js";
import "./chunk-6HIQH4YF.js";
import "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";
export {
  deployUsage,
  readSealingCertificate,
  run
};
