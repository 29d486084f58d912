import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  deployUsage,
  readSealingCertificate,
  run
} from "./chunk-WEFQK3KJ.js";
import "./chunk-LQ3L75AL.js";
import "./chunk-54B2CVLL.js";
import "./chunk-P22GEQLJ.js";
import "./chunk-L6BWES6E.js";
import "./chunk-NLXYOJ35.js";
import "./chunk-O333YXKN.js";
import "./chunk-ZONKLWJV.js";
import "./chunk-RJFGPTBG.js";
import "./chunk-VESPB4NJ.js";
import "./chunk-ZKWIVB52.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-TOWHEZ4A.js";
import "./chunk-C77GWBV5.js";
import "./chunk-265EZI3G.js";
import "./chunk-YNYXG3GD.js";
import "./chunk-T6GID5YX.js";
import "./chunk-3WYT6HQW.js";
import "./chunk-TPJPUZLU.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-3ANLHX4D.js";
import "./chunk-MOZARQRV.js";
import "./chunk-XJ2K6NYL.js";
import "./chunk-4P7MY5G4.js";
import "./chunk-HCUEONK4.js";
import "./chunk-Y7HVPOHU.js";
import "./chunk-NYL7GI5H.js";
import "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";
export {
  deployUsage,
  readSealingCertificate,
  run
};
