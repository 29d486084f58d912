import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  deployUsage,
  readSealingCertificate,
  run
} from "./chunk-DAN4ZIEU.js";
import "./chunk-CGEDSX5K.js";
import "./chunk-C5WHVDE7.js";
import "./chunk-JY4LWD4V.js";
import "./chunk-D44CWLKA.js";
import "./chunk-KZY7ITZI.js";
import "./chunk-4ACDOIDB.js";
import "./chunk-4YRKWFOJ.js";
import "./chunk-5DBEXZZN.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-DFAXMSQT.js";
import "./chunk-YT4XFZJ2.js";
import "./chunk-EZVZCVUZ.js";
import "./chunk-ECKJPFTC.js";
import "./chunk-G2HOTOFI.js";
import "./chunk-T6GID5YX.js";
import "./chunk-2COG2M2I.js";
import "./chunk-IZ6OGQ3Y.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-SQMGOSH5.js";
import "./chunk-GHBYYFLJ.js";
import "./chunk-7M5QDU2Z.js";
import "./chunk-NSHGOOXV.js";
import "./chunk-TC6B22LF.js";
export {
  deployUsage,
  readSealingCertificate,
  run
};
