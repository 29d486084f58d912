import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  bodyBudget,
  codeSpan,
  contractDiffMarkdown,
  contractDiffSummary,
  diffContracts
} from "./chunk-S62WSDRY.js";
import {
  contractLabels
} from "./chunk-6HIQH4YF.js";

// action/review/contract-section.ts
var title = (level) => `${"#".repeat(level)} Contract changes`;
function noContractReview(none, headingLevel = 3) {
  const detail = none.detail ? `: ${codeSpan(oneLine(none.detail))}` : "";
  const renderWithin = (_budget, level = headingLevel) => `${title(level)}

${none.why}${detail}.
`;
  return {
    markdown: renderWithin(bodyBudget),
    renderWithin,
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
  const renderWithin = (budget, headingLevel = level) => contractDiffMarkdown(diff, { budget, headingLevel, against: baseline.label });
  return {
    markdown: renderWithin(options.budget),
    renderWithin,
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
