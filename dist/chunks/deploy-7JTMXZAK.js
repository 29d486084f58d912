import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  deployUsage,
  readSealingCertificate,
  run
} from "./chunk-JAY7OSK4.js";
import "./chunk-PJ7ENOXA.js";
import "./chunk-JWTD35DG.js";
import "./chunk-Y46XFV6Z.js";
import "./chunk-L6BWES6E.js";
import "./chunk-3IXYDWSA.js";
import "./chunk-KUJCZP2E.js";
import "./chunk-4Z25LHBJ.js";
import "./chunk-VN3V2KOQ.js";
import "./chunk-VESPB4NJ.js";
import "./chunk-ZKWIVB52.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-DFAXMSQT.js";
import "./chunk-C77GWBV5.js";
import "./chunk-YT4XFZJ2.js";
import "./chunk-YNYXG3GD.js";
import "./chunk-T6GID5YX.js";
import "./chunk-WEW2JA5X.js";
import "./chunk-NTAR7FOT.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-INVJ2NKH.js";
import "./chunk-AXNTCLP2.js";
import "./chunk-4P7MY5G4.js";
import "./chunk-N2YKFJ7Y.js";
import "./chunk-6SRZ3OPM.js";
import "./chunk-NYL7GI5H.js";
import "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";
export {
  deployUsage,
  readSealingCertificate,
  run
};
