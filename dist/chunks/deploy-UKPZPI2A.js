import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  deployUsage,
  readSealingCertificate,
  run
} from "./chunk-X36LSZMK.js";
import "./chunk-AKGKB52F.js";
import "./chunk-JGS3KI7N.js";
import "./chunk-GZDIYVYL.js";
import "./chunk-FMMRK2NH.js";
import "./chunk-WZUVUY2S.js";
import "./chunk-2BZT7KSV.js";
import "./chunk-HWRYW5ZT.js";
import "./chunk-B2ICEAUE.js";
import "./chunk-A5BNW3EG.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-DFAXMSQT.js";
import "./chunk-WRJAMKRC.js";
import "./chunk-YT4XFZJ2.js";
import "./chunk-LVELKOAH.js";
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
