import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  codeSpan,
  contractDiffMarkdown,
  contractDiffSummary,
  diffContracts
} from "./chunk-XJ2K6NYL.js";
import {
  contractLabels
} from "./chunk-NYL7GI5H.js";

// action/review/contract-section.ts
var title = (level) => `${"#".repeat(level)} Contract changes`;
function noContractReview(none, headingLevel = 3) {
  const detail = none.detail ? `: ${codeSpan(oneLine(none.detail))}` : "";
  return {
    markdown: `${title(headingLevel)}

${none.why}${detail}.
`,
    diff: null,
    summary: `${none.why.replace(/`/g, "")}${none.detail ? `: ${oneLine(none.detail)}` : ""}`,
    // A label must describe a diff someone can read.
    labels: contractLabels({ breaking: 0, widening: 0 })
  };
}
function reviewContract(baseline, after, options) {
  const level = options.headingLevel ?? 3;
  if (baseline.kind === "none") return noContractReview(baseline, level);
  const diff = diffContracts(
    baseline.contract,
    after,
    options.environment !== void 0 ? { environment: options.environment } : {}
  );
  return {
    markdown: contractDiffMarkdown(diff, {
      budget: options.budget,
      headingLevel: level,
      against: baseline.label
    }),
    diff,
    summary: `${contractDiffSummary(diff)} against ${baseline.label}`,
    labels: contractLabels({ breaking: diff.breaking.length, widening: diff.widening.length })
  };
}
function oneLine(text) {
  const flat = text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ");
  const points = [...flat];
  return points.length > 300 ? `${points.slice(0, 299).join("")}\u2026` : flat;
}

export {
  noContractReview,
  reviewContract
};
