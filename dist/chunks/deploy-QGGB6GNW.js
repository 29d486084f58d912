import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  deployUsage,
  readSealingCertificate,
  run
} from "./chunk-ROZQAWPX.js";
import "./chunk-H4MVKQ6Q.js";
import "./chunk-LPFTS2BP.js";
import "./chunk-GZDIYVYL.js";
import "./chunk-FMMRK2NH.js";
import "./chunk-ZSNOEP2R.js";
import "./chunk-3SG6UDDZ.js";
import "./chunk-HWRYW5ZT.js";
import "./chunk-WJJQ4KSR.js";
import "./chunk-A5BNW3EG.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-DFAXMSQT.js";
import "./chunk-WRJAMKRC.js";
import "./chunk-YT4XFZJ2.js";
import "./chunk-IY3QTVMP.js";
import "./chunk-TGDTHSMF.js";
import "./chunk-3ZQXHXDG.js";
import "./chunk-T6GID5YX.js";
import "./chunk-BDLLN476.js";
import "./chunk-GDSBR6GU.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-JUYRQ3D2.js";
import "./chunk-GHBYYFLJ.js";
import "./chunk-Y4HNSFXC.js";
import "./chunk-BA5ZBKVE.js";
import "./chunk-RK5RNRQP.js";
import "./chunk-TC6B22LF.js";
export {
  deployUsage,
  readSealingCertificate,
  run
};
