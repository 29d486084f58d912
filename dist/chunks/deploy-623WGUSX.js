import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  deployUsage,
  readSealingCertificate,
  run
} from "./chunk-YDXT56UL.js";
import "./chunk-37LI4GCU.js";
import "./chunk-6CU2YFGU.js";
import "./chunk-WOUHX2RN.js";
import "./chunk-FMMRK2NH.js";
import "./chunk-7URA5QG6.js";
import "./chunk-4N54FUR7.js";
import "./chunk-QLTE4GFS.js";
import "./chunk-JBMWCHMC.js";
import "./chunk-A5BNW3EG.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-DFAXMSQT.js";
import "./chunk-WRJAMKRC.js";
import "./chunk-YT4XFZJ2.js";
import "./chunk-YNYXG3GD.js";
import "./chunk-T6GID5YX.js";
import "./chunk-LA646JBK.js";
import "./chunk-WOPFRKDO.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-I73Q5EJA.js";
import "./chunk-P4FKMIEK.js";
import "./chunk-4P7MY5G4.js";
import "./chunk-7XAKNN6Y.js";
import "./chunk-R543NRMT.js";
import "./chunk-NYL7GI5H.js";
import "./chunk-QBC6AHXA.js";
import "./chunk-RK5RNRQP.js";
import "./chunk-TC6B22LF.js";
export {
  deployUsage,
  readSealingCertificate,
  run
};
