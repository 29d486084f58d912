import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  deployUsage,
  readSealingCertificate,
  run
} from "./chunk-WKJLCZXK.js";
import "./chunk-QNML2HWE.js";
import "./chunk-ODFKEOCO.js";
import "./chunk-3PC6PMKT.js";
import "./chunk-2BT7NKZI.js";
import "./chunk-JCEWZRDK.js";
import "./chunk-SI4SVHY3.js";
import "./chunk-AGWJTJGR.js";
import "./chunk-3SBGWFFS.js";
import "./chunk-PHNBCS6H.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-DFAXMSQT.js";
import "./chunk-WN2KJ5VO.js";
import "./chunk-YT4XFZJ2.js";
import "./chunk-W74PZXZN.js";
import "./chunk-XKNEFQNC.js";
import "./chunk-TZHKIL7Z.js";
import "./chunk-T6GID5YX.js";
import "./chunk-OKW2NKO7.js";
import "./chunk-HGDE3LZB.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-JUYRQ3D2.js";
import "./chunk-GHBYYFLJ.js";
import "./chunk-7M5QDU2Z.js";
import "./chunk-BA5ZBKVE.js";
import "./chunk-LEVTJ2NN.js";
import "./chunk-TC6B22LF.js";
export {
  deployUsage,
  readSealingCertificate,
  run
};
