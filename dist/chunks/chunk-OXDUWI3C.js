import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  CONTRACT_FILE,
  EnvironmentsRepo,
  RECORD_FILE,
  agentDir,
  checkSegment,
  closePullRequest,
  defaultCacheDir,
  deployBranch,
  ensurePullRequest,
  groupBranch,
  groupPushedRecordRef,
  parseRecord,
  pushedRecordRef,
  serializeRecord,
  shortDigest
} from "./chunk-7TIOAEZ4.js";
import {
  require_lib
} from "./chunk-2IDWO3FM.js";
import {
  noContractReview,
  reviewContract
} from "./chunk-FZB2N3GG.js";
import {
  bodyBudget,
  codeBlock,
  codePoints,
  codeSpan,
  contractDiffSummary,
  largest,
  linkDestination,
  parseContract,
  truncateText
} from "./chunk-S62WSDRY.js";
import {
  redactUrl
} from "./chunk-4P7MY5G4.js";
import {
  unionOfLabelChanges
} from "./chunk-6HIQH4YF.js";
import {
  GitOpsError,
  describeError
} from "./chunk-NQESISYT.js";
import {
  __toESM
} from "./chunk-TC6B22LF.js";

// action/gitops/contract-review.ts
async function deployedContractReview(repo, request) {
  const file = `${request.dir}/${CONTRACT_FILE}`;
  const after = await readContract(repo, request.commit, file);
  if (after === null)
    return noContractReview({ why: `Not compared: this version has no \`${CONTRACT_FILE}\`` });
  if (!("format" in after)) return noContractReview(after);
  const folderBefore = request.parent ? await repo.subtree(request.parent, request.dir) : null;
  if (folderBefore === null) return noContractReview({ why: "First deploy: no contract to compare" });
  const before = await readContract(repo, request.parent, file);
  if (before === null) {
    return noContractReview({
      why: `No contract to compare: the deployed version has no \`${CONTRACT_FILE}\` (it was deployed before dockrion recorded contracts)`
    });
  }
  if (!("format" in before)) return noContractReview(before);
  const environment = request.dir.split("/")[0] ?? "";
  return reviewContract(
    { kind: "contract", contract: before, label: await deployedLabel(repo, request) },
    after,
    {
      budget: request.budget,
      environment
    }
  );
}
async function deployedLabel(repo, request) {
  const file = `${request.dir}/${RECORD_FILE}`;
  const text = await repo.readFile(request.parent, file);
  try {
    return text === null ? "deployed" : `${parseRecord(text, file).version} (deployed)`;
  } catch {
    return "deployed";
  }
}
async function readContract(repo, commit, file) {
  const text = await repo.readFile(commit, file);
  if (text === null) return null;
  try {
    return parseContract(text, `${file} at ${commit.slice(0, 12)}`);
  } catch (e) {
    return { why: `No contract to compare: \`${CONTRACT_FILE}\` cannot be read`, detail: describeError(e) };
  }
}

// action/gitops/messages.ts
var TRAILER = {
  agent: "Dockrion-Agent",
  environment: "Dockrion-Environment",
  version: "Dockrion-Version",
  image: "Dockrion-Image",
  source: "Dockrion-Source",
  rollbackOf: "Dockrion-Rollback-Of",
  restores: "Dockrion-Restores"
};
function sourceTrailer(record) {
  const { repository, commit } = record.source;
  if (repository && commit) return `${repository}@${commit}`;
  return repository ?? commit ?? "unknown";
}
function oneLine(text) {
  return text.replace(/[\r\n\u2028\u2029\v\f]+/g, " ").replace(/\s+/g, " ").trim();
}
function withTrailers(subject, body, trailers) {
  const lines = trailers.map(([k, v]) => `${k}: ${v.replace(/\s+/g, " ")}`);
  return `${oneLine(subject)}

${body ? `${oneLine(body)}

` : ""}${lines.join("\n")}
`;
}
function recordTrailers(record) {
  return [
    [TRAILER.agent, record.agent],
    [TRAILER.environment, record.environment],
    [TRAILER.version, record.version],
    [TRAILER.image, record.image],
    [TRAILER.source, sourceTrailer(record)]
  ];
}
function deployMessage(record) {
  const subject = `deploy(${record.agent}): ${record.environment} ${record.version} @ ${shortDigest(record.digest)}`;
  return withTrailers(subject, null, recordTrailers(record));
}
function rollbackMessage(input) {
  const { target } = input;
  const subject = `rollback(${target.agent}): ${target.environment} ${input.fromVersion ?? "none"} \u2192 ${target.version}`;
  const body = `Restores ${target.environment}/${target.agent}/ as deployed by ${input.targetCommit}.`;
  const trailers = recordTrailers(target);
  if (input.fromCommit) trailers.push([TRAILER.rollbackOf, input.fromCommit]);
  trailers.push([TRAILER.restores, input.targetCommit]);
  return withTrailers(subject, body, trailers);
}
function parseTrailers(message) {
  const paragraphs = message.trim().split(/\n\s*\n/);
  const last = paragraphs.length > 1 ? paragraphs[paragraphs.length - 1] : "";
  const trailers = /* @__PURE__ */ new Map();
  for (const line of (last ?? "").split("\n")) {
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (m?.[1] && m[2] !== void 0) trailers.set(m[1].toLowerCase(), m[2].trim());
  }
  return trailers;
}
function trailer(trailers, key) {
  return trailers.get(key.toLowerCase()) ?? null;
}
function revertedCommit(message) {
  const m = /This reverts commit ([0-9a-f]{7,64})/.exec(message);
  return m?.[1] ?? null;
}

// action/gitops/history.ts
var FIELD = "\0";
var RECORD = "";
async function readBlobs(repo, specs) {
  if (specs.length === 0) return [];
  const { stdout } = await repo.git.run(["cat-file", "--batch"], { input: `${specs.join("\n")}
` });
  const out = Buffer.from(stdout, "utf8");
  const blobs = [];
  let at = 0;
  for (let i = 0; i < specs.length; i++) {
    const eol = out.indexOf(10, at);
    const header = out.subarray(at, eol).toString("utf8");
    at = eol + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      blobs.push(null);
      continue;
    }
    const size = Number(m[2]);
    blobs.push(m[1] === "blob" ? out.subarray(at, at + size).toString("utf8") : null);
    at += size + 1;
  }
  return blobs;
}
function recordOrNull(text, where) {
  if (text === null) return null;
  try {
    return parseRecord(text, where);
  } catch {
    return null;
  }
}
async function listDeployments(repo, tip, environment, agent) {
  if (!tip) return [];
  const dir = agentDir(environment, agent);
  const { commits, recordBlobs } = await folderLog(repo, tip, dir);
  await repo.prefetchBlobs(recordBlobs);
  const texts = await readBlobs(
    repo,
    commits.map((c) => `${c.commit}:${dir}/${RECORD_FILE}`)
  );
  return classify(repo, commits, texts, environment, agent);
}
var walked = /* @__PURE__ */ new WeakMap();
function folderLog(repo, tip, dir) {
  let logs = walked.get(repo);
  if (!logs) {
    logs = /* @__PURE__ */ new Map();
    walked.set(repo, logs);
  }
  const key = `${tip}\0${dir}`;
  let log = logs.get(key);
  if (!log) {
    log = walkFolder(repo, tip, dir);
    log.catch(() => logs.delete(key));
    logs.set(key, log);
  }
  return log;
}
async function lastFolderChange(repo, tip, dir) {
  const known = walked.get(repo)?.get(`${tip}\0${dir}`);
  if (known) return (await known).commits[0]?.commit ?? null;
  const out = await repo.git.text(["log", "-1", "--format=%H", tip, "--", `${dir}/`]);
  return out || null;
}
async function rawLog(repo, tip, path) {
  const log = await repo.git.text([
    "log",
    "--format=%x1e%H%x00%cI%x00%B%x00",
    "--raw",
    "--no-abbrev",
    "--no-renames",
    tip,
    "--",
    path
  ]);
  const entries = [];
  for (const chunk of log.split(RECORD)) {
    if (!chunk.trim()) continue;
    const [commit = "", date = "", message = "", raw = ""] = chunk.split(FIELD);
    const changes = [];
    for (const line of raw.split("\n")) {
      if (!line.startsWith(":")) continue;
      const [meta = "", changed = ""] = line.split("	");
      changes.push({ path: changed, blob: meta.split(" ")[3] ?? "" });
    }
    entries.push({ commit: { commit: commit.trim(), date, message }, changes });
  }
  return entries;
}
var isRemoval = (blob) => /^0+$/.test(blob);
async function walkFolder(repo, tip, dir) {
  const entries = await rawLog(repo, tip, `${dir}/`);
  const recordBlobs = entries.flatMap(
    (e) => e.changes.filter((c) => c.path === `${dir}/${RECORD_FILE}` && c.blob !== "" && !isRemoval(c.blob)).map((c) => c.blob)
  );
  return { commits: entries.map((e) => e.commit), recordBlobs };
}
async function classify(repo, commits, texts, environment, agent) {
  const dir = agentDir(environment, agent);
  const records = texts.map((t, i) => recordOrNull(t, `${dir}/${RECORD_FILE} at ${commits[i]?.commit}`));
  const unreadable = texts.map((t, i) => t !== null && records[i] === null);
  const entries = [];
  commits.forEach((c, i) => {
    const trailers = parseTrailers(c.message);
    const record = records[i] ?? null;
    const older = records[i + 1] ?? null;
    const reverted = revertedCommit(c.message);
    const rollbackOf = trailer(trailers, TRAILER.rollbackOf);
    const restores = trailer(trailers, TRAILER.restores);
    const tagged = trailer(trailers, TRAILER.agent) === agent && trailer(trailers, TRAILER.environment) === environment;
    let kind;
    if (tagged && (rollbackOf || restores)) kind = "rollback";
    else if (reverted) kind = "revert";
    else if (tagged || record && JSON.stringify(record) !== JSON.stringify(older)) kind = "deploy";
    else if (unreadable[i] && texts[i] !== texts[i + 1]) kind = "deploy";
    else return;
    entries.push({
      commit: c.commit,
      date: new Date(c.date).toISOString().replace(".000Z", "Z"),
      kind,
      subject: c.message.split("\n")[0] ?? "",
      version: record?.version ?? null,
      digest: record?.digest ?? null,
      image: record?.image ?? null,
      source: record ? record.source : null,
      undoes: kind === "revert" ? reverted : kind === "rollback" ? rollbackOf : null,
      undoesDigest: null,
      unreadable: unreadable[i] ?? false
    });
  });
  for (const entry of entries) {
    if (!entry.undoes) continue;
    const undone = entries.find((e) => e.commit.startsWith(entry.undoes ?? "-"));
    if (undone) {
      entry.undoesDigest = undone.digest;
      entry.undoes = undone.commit;
    } else {
      const [text] = await readBlobs(repo, [`${entry.undoes}:${dir}/${RECORD_FILE}`]);
      entry.undoesDigest = recordOrNull(text ?? null, "undone record")?.digest ?? null;
    }
  }
  return entries;
}
async function listEnvironmentDeployments(repo, tip, environment, all) {
  if (!tip) return [];
  const entries = await rawLog(repo, tip, `${environment}/`);
  const perAgent = /* @__PURE__ */ new Map();
  const logOrder = /* @__PURE__ */ new Map();
  for (const { commit: logged, changes } of entries) {
    logOrder.set(logged.commit, logOrder.size);
    const touched = /* @__PURE__ */ new Map();
    for (const change of changes) {
      const parts = change.path.split("/");
      if (parts.length < 3 || parts[0] !== environment) continue;
      const agent = parts[1] ?? "";
      if (!touched.has(agent)) touched.set(agent, void 0);
      if (parts.length === 3 && parts[2] === RECORD_FILE)
        touched.set(agent, isRemoval(change.blob) ? null : change.blob);
    }
    for (const [agent, blob] of touched) {
      const list = perAgent.get(agent) ?? [];
      list.push({ commit: logged, blob });
      perAgent.set(agent, list);
    }
  }
  const present = new Set(
    (await repo.git.text(["ls-tree", "--name-only", tip, "--", `${environment}/`])).split("\n").filter(Boolean).map((p) => p.split("/")[1] ?? "")
  );
  const plans = [...perAgent].filter(([agent]) => all || present.has(agent)).map(([agent, list]) => {
    const blobs = new Array(list.length).fill(null);
    let carried = null;
    for (let i = list.length - 1; i >= 0; i--) {
      const blob = list[i]?.blob;
      if (blob !== void 0) carried = blob;
      blobs[i] = carried;
    }
    return { agent, commits: list.map((l) => l.commit), blobs };
  });
  const ids = [...new Set(plans.flatMap((p) => p.blobs).filter((b) => b !== null))];
  await repo.prefetchBlobs(ids);
  const texts = /* @__PURE__ */ new Map();
  (await readBlobs(repo, ids)).forEach((text, i) => {
    texts.set(ids[i] ?? "", text);
  });
  const out = [];
  for (const plan of plans) {
    let entries2;
    try {
      entries2 = await classify(
        repo,
        plan.commits,
        plan.blobs.map((b) => b ? texts.get(b) ?? null : null),
        environment,
        plan.agent
      );
    } catch {
      continue;
    }
    const chosen = all ? entries2 : entries2.slice(0, 1);
    for (const e of chosen) out.push({ agent: plan.agent, ...e });
  }
  if (all) {
    const rank = (c) => logOrder.get(c) ?? 0;
    out.sort((a, b) => rank(a.commit) - rank(b.commit) || a.agent.localeCompare(b.agent));
  } else {
    out.sort((a, b) => a.agent.localeCompare(b.agent));
  }
  return out;
}
function rolledBackFrom(history, digest) {
  for (const entry of history) {
    if (entry.digest === digest) return null;
    if (entry.kind !== "deploy" && entry.undoesDigest === digest) return entry;
  }
  return null;
}
function findTarget(history, to) {
  const wanted = to.trim();
  if (/^[0-9a-f]{7,64}$/.test(wanted)) {
    const byCommit = history.filter((e) => e.commit.startsWith(wanted));
    if (byCommit.length > 1) throw new GitOpsError(`commit prefix '${wanted}' is ambiguous in this history`);
    if (byCommit[0]) return byCommit[0];
  }
  const byVersion = history.find((e) => e.version === wanted && e.kind === "deploy") ?? history.find((e) => e.version === wanted);
  if (byVersion) return byVersion;
  const known = [...new Set(history.map((e) => e.version).filter(Boolean))].slice(0, 10).join(", ");
  throw new GitOpsError(
    `no deployment '${wanted}' in this environment's history`,
    known ? `known versions (newest first): ${known}` : "this agent has no deployments here yet"
  );
}

// action/gitops/pr-body.ts
var import_handlebars = __toESM(require_lib(), 1);
var contractSectionBudget = { max: 2e4, measure: codePoints };
var TEMPLATE = `## {{#if (eq kind "rollback")}}Rollback{{else}}Deploy{{/if}} {{code.agent}} {{code.version}} to {{code.environment}}

| | |
|---|---|
| Agent | {{code.agent}} |
| Environment | {{code.environment}} |
| Version | {{code.version}}{{#if previousVersion}} (was {{code.previousVersion}}){{/if}} |
| Image | {{code.image}} |
| Digest | {{code.digest}} |
{{#if sourceCommit}}
| Source | {{#if link.sourceUrl}}[{{code.sourceRepository}}]({{link.sourceUrl}}){{else}}{{code.sourceRepository}}{{/if}} @ {{#if link.commitUrl}}[{{code.shortCommit}}]({{link.commitUrl}}){{else}}{{code.sourceCommit}}{{/if}} |
{{/if}}
{{#if restoredCommit}}
| Restores | {{code.restoredCommit}} |
{{/if}}
{{#if contractSection}}

{{contractSection}}
{{/if}}

### Changed files
{{#each files}}
- {{this}}
{{/each}}
{{#if filesOmitted}}
- \u2026 and {{filesOmitted}} more (not listed here, to stay within GitHub's size limit; see *Files changed*)
{{/if}}

<details><summary>Rendered diff{{#if diffTruncated}} (first lines){{/if}}</summary>

{{diffBlock}}

</details>

### Roll back
{{#if rollbackCommand}}
After merging, this deploy is undone with:

{{rollbackBlock}}

or by reverting its commit (\`git revert\`), which gives the same tree.
{{else}}
This is the first deploy of {{code.agent}} to {{code.environment}}; to undo it, revert its commit.
{{/if}}

<sub>Opened by dockrion. Secrets are committed only encrypted (\`secrets.env.age\`, \`secret.sops.yaml\` or \`sealedsecret.yaml\`).</sub>
`;
var handlebars = import_handlebars.default.create();
handlebars.registerHelper("eq", (a, b) => a === b);
var render = handlebars.compile(TEMPLATE, { noEscape: true, strict: false });
function renderBody(input, filesOmitted = 0) {
  const cell = (text) => text === null ? "" : codeSpan(text, { table: true });
  const code = {
    agent: cell(input.agent),
    environment: cell(input.environment),
    version: cell(input.version),
    previousVersion: cell(input.previousVersion),
    image: cell(input.image),
    digest: cell(input.digest),
    sourceRepository: cell(input.sourceRepository ?? input.sourceUrl ?? ""),
    sourceCommit: cell(input.sourceCommit),
    shortCommit: cell(input.sourceCommit?.slice(0, 12) ?? null),
    restoredCommit: cell(input.restoredCommit)
  };
  const isCommitId = /^[0-9a-f]{7,64}$/.test(input.sourceCommit ?? "");
  const link = {
    sourceUrl: input.sourceUrl ? linkDestination(input.sourceUrl) : null,
    commitUrl: input.sourceUrl && isCommitId ? linkDestination(`${input.sourceUrl}/commit/${input.sourceCommit}`) : null
  };
  return render({
    ...input,
    code,
    link,
    filesOmitted,
    files: input.changedFiles.map((f) => `${codeSpan(f.status)} ${codeSpan(f.path)}`),
    diffBlock: codeBlock(input.diff, "diff"),
    rollbackBlock: input.rollbackCommand === null ? "" : codeBlock(input.rollbackCommand, "sh")
  }).replace(/\n{3,}/g, "\n\n");
}
function renderPullRequestBody(input, budget = bodyBudget) {
  const fits = (text) => budget.measure(text) <= budget.max;
  const full = renderBody(input);
  if (fits(full)) return full;
  const files = input.changedFiles;
  const withFiles = (kept, diff2) => renderBody(
    { ...input, changedFiles: files.slice(0, kept), diff: diff2, diffTruncated: true },
    files.length - kept
  );
  const bare = withFiles(0, "");
  if (!fits(bare)) return truncateText(bare, budget, "\n\n_(cut to fit GitHub's size limit)_\n");
  const room = budget.max - budget.measure(bare);
  const filesRoom = Math.max(Math.floor(room / 2), room - budget.measure(input.diff));
  const keptFiles = largest(
    files.length,
    (n) => budget.measure(withFiles(n, "")) - budget.measure(bare) <= filesRoom
  );
  const lines = input.diff.split("\n");
  const keptLines = largest(lines.length, (n) => fits(withFiles(keptFiles, lines.slice(0, n).join("\n"))));
  let diff = lines.slice(0, keptLines).join("\n");
  const next = lines[keptLines];
  if (next !== void 0) {
    const join = (part) => diff ? `${diff}
${part}\u2026` : `${part}\u2026`;
    const chars = largest(next.length, (n) => fits(withFiles(keptFiles, join(next.slice(0, n)))));
    const end = /[\uD800-\uDBFF]/.test(next.charAt(chars - 1)) ? chars - 1 : chars;
    if (end > 0) diff = join(next.slice(0, end));
  }
  return withFiles(keptFiles, diff);
}
function summarizeDiff(diff, maxLines = 80) {
  const kept = [];
  let skipping = false;
  for (const line of diff.split("\n")) {
    if (line.startsWith("diff --git ")) {
      skipping = /(\.age|\/secret\.sops\.yaml|\/sealedsecret\.yaml)$/.test(line);
      if (skipping) kept.push(`${line}
(encrypted; contents not shown)`);
    }
    if (!skipping) kept.push(line);
  }
  const lines = kept.join("\n").trimEnd().split("\n");
  return { diff: lines.slice(0, maxLines).join("\n"), truncated: lines.length > maxLines };
}

// action/gitops/publish.ts
var RACE_WINDOW_SECONDS = 15 * 60;
function isNewerRun(tip, time) {
  return tip.ours && tip.time > time && tip.time - time <= RACE_WINDOW_SECONDS;
}
var sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function describeTip(repo, commit, req) {
  const [time = "0", message = ""] = (await repo.git.text(["show", "-s", "--format=%ct%x00%B", commit])).split("\0");
  const trailers = parseTrailers(message);
  return {
    commit,
    time: Number(time),
    ours: trailer(trailers, TRAILER.agent) === req.agent && trailer(trailers, TRAILER.environment) === req.environment
  };
}
var DEFAULT_RETRY_BUDGET_MS = 5 * 60 * 1e3;
function backoffMs(attempt, random = Math.random) {
  const step = Math.min(3e3, 100 * 2 ** Math.min(attempt - 1, 10));
  return Math.floor(random() * step);
}
async function publish(repo, req, logger) {
  const dir = agentDir(req.environment, req.agent);
  const branch = req.direct ? repo.source.base : deployBranch(req.environment, req.agent);
  const budgetMs = req.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
  const started = Date.now();
  const recordRef = pushedRecordRef(req.environment, req.agent);
  let prepared = null;
  let sameFolderRaces = 0;
  for (let attempt = 1; ; attempt++) {
    if (prepared && req.direct) {
      const tip = await repo.fetchBase();
      if (tip && await repo.subtree(tip, dir) === prepared.folderBefore) {
        const content2 = prepared.folderAfter ? { tree: prepared.folderAfter } : { remove: true };
        const tree2 = await repo.buildTree(tip, dir, content2);
        const result2 = resultOf(tip, branch, attempt);
        if (tree2 === await repo.treeOf(tip)) return result2("unchanged", tip);
        const commit = await repo.commit({
          tree: tree2,
          parent: tip,
          message: prepared.message,
          identity: req.identity,
          time: req.time
        });
        const pushed = await repo.push(commit, branch, tip, false);
        if (pushed.ok) return result2("direct", commit);
        await retryPause(
          { attempt, started, budgetMs, branch, detail: pushed.detail },
          logger,
          branchKeptMoving(branch, attempt, dir, sameFolderRaces)
        );
        continue;
      }
      sameFolderRaces++;
      logger.info(`${dir} changed on ${branch} meanwhile; preparing this deploy again on the new state`);
      prepared = null;
    }
    const baseTip = await repo.fetch();
    if (!baseTip && !req.direct) {
      throw new GitOpsError(
        `the environments repo has no branch '${repo.source.base}' to open a PR against`,
        "create it with an initial commit, or pass the right base branch (environments-base)"
      );
    }
    let branchTip = null;
    let pending = [];
    let pushedTip = null;
    if (!req.direct) {
      branchTip = await repo.branchTip(branch);
      pushedTip = await repo.recorded(recordRef);
      pending = branchTip ? await repo.commitsBetween(baseTip, branchTip) : [];
      if (branchTip && pending.length > 0 && branchTip !== pushedTip) {
        throw await foreignBranchError(repo, branch, branchTip, pushedTip, req);
      }
    }
    const pendingTip = pending.length ? branchTip : null;
    if (repo.partial) await repo.prefetchBlobs(await repo.folderBlobs([baseTip, pendingTip], dir));
    const { content, message } = await req.prepare({ baseTip, pendingTip });
    const tree = await repo.buildTree(baseTip, dir, content);
    const baseTree = baseTip ? await repo.treeOf(baseTip) : null;
    const result = resultOf(baseTip, branch, attempt);
    const commitAndPush = async (expectedTip, force) => {
      const commit = await repo.commit({
        tree,
        parent: baseTip,
        message,
        identity: req.identity,
        time: req.time
      });
      const record = req.direct ? void 0 : { ref: recordRef, expected: pushedTip };
      const pushed = await repo.push(commit, branch, expectedTip, force, record);
      return pushed.ok ? { commit } : { detail: pushed.detail };
    };
    let rejection;
    if (req.direct) {
      if (tree === baseTree) return result("unchanged", baseTip);
      const last = baseTip ? await lastFolderChange(repo, baseTip, dir) : null;
      if (last) {
        const tip = await describeTip(repo, last, req);
        if (isNewerRun(tip, req.time)) {
          logger.warn(
            `${dir} was deployed by a newer run (${last.slice(0, 12)}) meanwhile; not overwriting it`
          );
          return result("superseded", last);
        }
      }
      const pushed = await commitAndPush(baseTip, false);
      if ("commit" in pushed) return result("direct", pushed.commit);
      rejection = pushed.detail;
      prepared = {
        folderBefore: await repo.subtree(baseTip, dir),
        folderAfter: await repo.subtree(tree, dir),
        message
      };
    } else {
      if (pendingTip) {
        const newest = await describeTip(repo, pendingTip, req);
        if (isNewerRun(newest, req.time)) {
          logger.warn(`${branch} holds a newer deploy (${pendingTip.slice(0, 12)}); not overwriting it`);
          return result("superseded", pendingTip);
        }
        if (await repo.subtree(pendingTip, dir) === await repo.subtree(tree, dir)) {
          return result("unchanged", pendingTip);
        }
      }
      if (tree === baseTree) {
        if (!pendingTip) return result("unchanged", baseTip);
        const removed = await repo.deleteBranch(branch, pendingTip);
        if (removed.ok) {
          logger.warn(
            `${dir} on ${repo.source.base} already matches this deploy; deleted the stale deployment branch ${branch}`
          );
          return { ...result("unchanged", baseTip), removedPending: pendingTip };
        }
        rejection = removed.detail;
      } else {
        const pushed = await commitAndPush(branchTip, true);
        if ("commit" in pushed) return result("pushed", pushed.commit);
        rejection = pushed.detail;
      }
      sameFolderRaces++;
    }
    await retryPause(
      { attempt, started, budgetMs, branch, detail: rejection },
      logger,
      branchKeptMoving(branch, attempt, dir, sameFolderRaces)
    );
  }
}
function resultOf(baseTip, branch, attempts) {
  return (operation, commit) => ({
    operation,
    commit,
    baseCommit: baseTip,
    branch,
    attempts
  });
}
async function retryPause({ attempt, started, budgetMs, branch, detail }, logger, giveUp) {
  const wait = backoffMs(attempt);
  const elapsed = Date.now() - started;
  if (elapsed + wait >= budgetMs) throw giveUp(elapsed);
  logger.info(`push to ${branch} was rejected (${detail}); retrying in ${wait} ms (attempt ${attempt})`);
  await sleep(wait);
}
function branchKeptMoving(branch, attempt, dir, sameFolderRaces) {
  return (elapsedMs) => new GitOpsError(
    `could not push to ${branch} after ${attempt} attempts in ${Math.round(elapsedMs / 1e3)} s: the branch kept moving` + (sameFolderRaces > 0 ? ` (${dir} itself changed ${sameFolderRaces} time(s) meanwhile)` : ""),
    sameFolderRaces > 0 ? `another deploy is writing to ${dir} at the same time; let it finish, then run again` : "another deploy is writing to the same branch; run again"
  );
}
async function foreignBranchError(repo, branch, tip, pushed, req) {
  const looksOurs = (await describeTip(repo, tip, req)).ours;
  const why = !looksOurs ? "" : pushed ? ` (it carries dockrion's trailers, but dockrion last pushed ${pushed.slice(0, 12)} there: an amended or rebased deploy commit is a human edit)` : ` (it carries dockrion's trailers, but there is no record that dockrion pushed it: ${pushedRecordRef(req.environment, req.agent)} is missing)`;
  return new GitOpsError(
    `branch ${branch} has commit ${tip.slice(0, 12)} that dockrion did not make${why}; refusing to overwrite it`,
    `merge or close the deployment PR, or delete the branch ${branch}, then deploy again`
  );
}

// action/gitops/rollback.ts
async function planRollback(repo, baseTip, environment, agent, to) {
  const dir = agentDir(environment, agent);
  const history = await listDeployments(repo, baseTip, environment, agent);
  const target = findTarget(history, to);
  const tree = await repo.subtree(target.commit, dir);
  if (repo.partial) await repo.prefetchBlobs(await repo.folderBlobs([target.commit], dir));
  const recordText = tree ? await repo.readFile(target.commit, `${dir}/${RECORD_FILE}`) : null;
  if (!tree || recordText === null) {
    throw new GitOpsError(`${dir}/ is empty at ${target.commit.slice(0, 12)}; there is nothing to restore`);
  }
  const record = parseRecord(recordText, `${dir}/${RECORD_FILE} at ${target.commit.slice(0, 12)}`);
  const current = history[0] ?? null;
  const message = rollbackMessage({
    target: record,
    targetCommit: target.commit,
    fromVersion: current?.version ?? null,
    fromCommit: current?.commit ?? null
  });
  return { target, record, tree, current, message };
}

// action/gitops/operations.ts
async function withRepo(target, ctx, fn) {
  const repo = await EnvironmentsRepo.open({
    url: target.url,
    token: target.token ?? null,
    base: target.base ?? "main",
    exec: ctx.exec,
    baseEnv: ctx.baseEnv,
    cacheDir: ctx.cacheDir === void 0 ? defaultCacheDir(ctx.baseEnv ?? process.env) : ctx.cacheDir
  });
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}
async function checkEnvironmentsRepo(target, ctx) {
  await withRepo(target, ctx, (repo) => repo.probe());
}
async function changedFiles(repo, from, to, dir) {
  if (to === from) return [];
  const out = await repo.diff(from, to, dir, true);
  return out.split("\n").filter(Boolean).map((line) => {
    const [status = "", path = ""] = line.split("	");
    return { status, path };
  });
}
function sourceUrl(target, repository) {
  if (!repository) return null;
  if (/^https?:\/\//.test(repository)) return redactUrl(repository).replace(/\.git$/, "");
  if (/^[\w.-]+\/[\w.-]+$/.test(repository))
    return `${target.serverUrl ?? "https://github.com"}/${repository}`;
  return null;
}
function shellWord(value) {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
function rollbackCommand(target, environment, agent, previous, direct) {
  if (!previous?.version) return null;
  return [
    "dockrion rollback",
    `--environments-repo ${shellWord(redactUrl(target.url))}`,
    `--env ${shellWord(environment)}`,
    `--agent ${shellWord(agent)}`,
    `--to ${shellWord(previous.version)}`,
    ...direct ? ["--direct"] : []
  ].join(" ");
}
async function describeCommit(repo, target, commit, parent, dir) {
  const text = await repo.readFile(commit, `${dir}/${RECORD_FILE}`);
  if (text === null) throw new GitOpsError(`${dir}/${RECORD_FILE} is missing at ${commit.slice(0, 12)}`);
  const record = parseRecord(text, `${dir}/${RECORD_FILE}`);
  const message = await repo.message(commit);
  const restored = trailer(parseTrailers(message), TRAILER.restores);
  const previous = (await listDeployments(repo, parent, record.environment, record.agent))[0] ?? null;
  const files = await changedFiles(repo, parent, commit, dir);
  const diff = summarizeDiff(await repo.diff(parent, commit, dir, false));
  const contractChanges = await deployedContractReview(repo, {
    commit,
    parent,
    dir,
    budget: contractSectionBudget
  });
  const body = renderPullRequestBody({
    kind: restored ? "rollback" : "deploy",
    agent: record.agent,
    environment: record.environment,
    version: record.version,
    image: record.image,
    digest: record.digest,
    sourceUrl: sourceUrl(target, record.source.repository),
    sourceRepository: record.source.repository,
    sourceCommit: record.source.commit,
    changedFiles: files,
    diff: diff.diff,
    diffTruncated: diff.truncated,
    rollbackCommand: rollbackCommand(target, record.environment, record.agent, previous, false),
    previousVersion: previous?.version ?? null,
    restoredCommit: restored,
    contractSection: contractChanges.markdown
  });
  return {
    title: message.split("\n")[0] ?? "",
    body,
    files,
    environment: record.environment,
    contractChanges
  };
}
async function finish(repo, target, options, result, dir, ctx) {
  const changed = result.commit ? await changedFiles(repo, result.baseCommit, result.commit, dir) : [];
  const outcome = {
    ...result,
    pullRequest: null,
    changedFiles: changed,
    contractChanges: null
  };
  if (result.removedPending && target.github) {
    const closed = await closePullRequest(target.github, result.branch, repo.source.base, ctx.logger);
    if (closed) ctx.logger.warn(`closed the stale deployment PR #${closed.number} (${closed.url})`);
  }
  const needsPr = !options.direct && result.commit !== null && result.commit !== result.baseCommit && result.operation !== "superseded";
  const committed = result.commit !== null && result.commit !== result.baseCommit;
  if (committed && result.commit && (options.direct || !target.github)) {
    outcome.contractChanges = await deployedContractReview(repo, {
      commit: result.commit,
      parent: result.baseCommit,
      dir,
      budget: contractSectionBudget
    });
  }
  if (!needsPr || !result.commit) return outcome;
  if (!target.github) {
    if (result.operation === "pushed") {
      ctx.logger.warn(`pushed ${result.branch}; no GitHub repository configured, so no PR was opened`);
    }
    return outcome;
  }
  const text = await describeCommit(repo, target, result.commit, result.baseCommit, dir);
  const pullRequest = (described) => ensurePullRequest(
    target.github,
    {
      ...options.pullRequest,
      head: result.branch,
      base: repo.source.base,
      title: described.title,
      body: described.body,
      labels: ["dockrion", `env:${described.environment}`, ...described.contractChanges.labels.add],
      removeLabels: described.contractChanges.labels.remove
    },
    ctx.logger
  );
  const ref = await pullRequest(text);
  let contractChanges = text.contractChanges;
  let operation = result.operation;
  if (ref.created) operation = "created";
  else if (operation === "pushed") operation = "updated";
  await repo.fetch();
  const latest = await repo.branchTip(result.branch);
  if (latest && latest !== result.commit) {
    const parent = await repo.git.resolve(`${latest}^`);
    const newer = await describeCommit(repo, target, latest, parent, dir);
    await pullRequest(newer);
    contractChanges = newer.contractChanges;
    ctx.logger.info(
      `${result.branch} moved on to ${latest.slice(0, 12)} meanwhile; the PR describes that commit`
    );
    operation = "superseded";
  }
  return {
    ...outcome,
    operation,
    pullRequest: { number: ref.number, url: ref.url, autoMerge: ref.autoMerge },
    contractChanges
  };
}
async function keepVolatile(repo, reference, dir, files, volatile) {
  const kept = [];
  for (const file of files) {
    const blob = volatile.includes(file.path) ? await repo.subtree(reference, `${dir}/${file.path}`) : null;
    kept.push(blob ? { path: file.path, blob } : file);
  }
  const tree = await repo.buildTree(null, dir, { files: kept });
  return await repo.subtree(tree, dir) === await repo.subtree(reference, dir) ? kept : null;
}
function checkNotReserved(files) {
  for (const reserved of [RECORD_FILE, CONTRACT_FILE]) {
    if (files.some((f) => f.path === reserved)) {
      throw new GitOpsError(
        `the rendered manifests may not contain ${reserved}; the deploy writes it there itself`
      );
    }
  }
}
async function deployToEnvironments(req, ctx) {
  const { record } = req;
  checkSegment("environment", record.environment);
  checkSegment("agent", record.agent);
  checkNotReserved(req.files);
  const recordFiles = [
    { path: RECORD_FILE, content: serializeRecord(record) },
    ...req.contract ? [{ path: CONTRACT_FILE, content: req.contract }] : []
  ];
  const time = Math.floor(ctx.now() / 1e3);
  return withRepo(req.target, ctx, async (repo) => {
    let previous = null;
    const result = await publish(
      repo,
      {
        environment: record.environment,
        agent: record.agent,
        direct: req.direct ?? false,
        retryBudgetMs: req.retryBudgetMs,
        time,
        identity: ctx.identity,
        prepare: async ({ baseTip, pendingTip }) => {
          const history = await listDeployments(repo, baseTip, record.environment, record.agent);
          previous = history[0] ?? null;
          const blocker = rolledBackFrom(history, record.digest);
          if (blocker && !req.force) {
            throw new GitOpsError(
              `${record.digest} was rolled back in ${record.environment} by ${blocker.commit.slice(0, 12)} (${blocker.subject}); refusing to deploy it again`,
              "pass --force (Action input `force: true`) if this build really should go back out"
            );
          }
          const message = deployMessage(record);
          const volatile = req.volatileFiles ?? [];
          const reference = pendingTip ?? baseTip;
          const dir2 = agentDir(record.environment, record.agent);
          const rendered = req.renderFiles ? await req.renderFiles(
            (path) => reference ? repo.readFile(reference, `${dir2}/${path}`) : Promise.resolve(null)
          ) : req.files;
          checkNotReserved(rendered);
          const files = [...rendered, ...recordFiles];
          if (reference && volatile.length > 0 && !req.force) {
            const kept = await keepVolatile(
              repo,
              reference,
              agentDir(record.environment, record.agent),
              files,
              volatile
            );
            if (kept) return { content: { files: kept }, message };
          }
          return { content: { files }, message };
        }
      },
      ctx.logger
    );
    const dir = agentDir(record.environment, record.agent);
    const outcome = await finish(repo, req.target, req, result, dir, ctx);
    return { ...outcome, record, previous };
  });
}
async function rollbackEnvironment(req, ctx) {
  const time = Math.floor(ctx.now() / 1e3);
  return withRepo(req.target, ctx, async (repo) => {
    let plan = null;
    const result = await publish(
      repo,
      {
        environment: req.environment,
        agent: req.agent,
        direct: req.direct ?? false,
        retryBudgetMs: req.retryBudgetMs,
        time,
        identity: ctx.identity,
        prepare: async ({ baseTip }) => {
          plan = await planRollback(repo, baseTip, req.environment, req.agent, req.to);
          return { content: { tree: plan.tree }, message: plan.message };
        }
      },
      ctx.logger
    );
    const done = plan;
    if (!done) throw new GitOpsError("rollback was not planned");
    const outcome = await finish(repo, req.target, req, result, agentDir(req.environment, req.agent), ctx);
    return { ...outcome, from: done.current, to: done.target };
  });
}
function rollbackReport(out) {
  return {
    operation: out.operation,
    commit: out.commit,
    branch: out.branch,
    from: out.from ? { commit: out.from.commit, version: out.from.version, digest: out.from.digest } : null,
    to: { commit: out.to.commit, version: out.to.version, digest: out.to.digest },
    pr_url: out.pullRequest?.url ?? null,
    pr_number: out.pullRequest?.number ?? null
  };
}
async function readEnvironmentHistory(req, ctx) {
  checkSegment("environment", req.environment);
  return withRepo(req.target, ctx, async (repo) => {
    const tip = await repo.fetch();
    return {
      environment: req.environment,
      scope: req.all ? "all" : "latest",
      deployments: await listEnvironmentDeployments(repo, tip, req.environment, req.all)
    };
  });
}
async function readHistory(req, ctx) {
  checkSegment("environment", req.environment);
  checkSegment("agent", req.agent);
  return withRepo(req.target, ctx, async (repo) => {
    const tip = await repo.fetch();
    return listDeployments(repo, tip, req.environment, req.agent);
  });
}

// action/gitops/group-pr-body.ts
var CONTRACT_HEADING_LEVEL = 4;
function renderGroupPullRequestBody(environment, sections, budget = bodyBudget) {
  const head = tableOf(environment, sections);
  const tail = "\n<sub>Opened by dockrion. Secrets are committed only encrypted.</sub>\n";
  const room = budget.max - budget.measure(head) - budget.measure(tail) - sections.length;
  const full = sections.map((s) => fullSection(environment, s, budget));
  const shares = fairShares(
    full.map((text) => budget.measure(text)),
    Math.max(0, room)
  );
  const details = sections.map((s, i) => {
    const text = full[i];
    const share = shares[i];
    return budget.measure(text) <= share ? text : fittedSection(environment, s, share, budget);
  }).map((text) => `
${text}`).join("");
  return truncateText(
    `${head}${details}${tail}`.replace(/\n{3,}/g, "\n\n"),
    budget,
    "\n\n_(cut to fit GitHub's size limit; the table above lists every agent)_\n"
  );
}
function tableOf(environment, sections) {
  const cell = (text) => text === null ? "\u2013" : codeSpan(text, { table: true });
  const rows = sections.map((s) => {
    const version = `${cell(s.version)}${s.previousVersion ? ` (was ${cell(s.previousVersion)})` : " (new)"}`;
    const isCommit = /^[0-9a-f]{7,64}$/.test(s.sourceCommit ?? "");
    const commit = s.sourceCommit ? codeSpan(s.sourceCommit.slice(0, 12), { table: true }) : "\u2013";
    const source = s.sourceUrl && isCommit ? `[${commit}](${linkDestination(`${s.sourceUrl}/commit/${s.sourceCommit}`)})` : commit;
    const digest = s.digest ? cell(`${s.digest.slice(0, 19)}\u2026`) : "\u2013";
    const contract = s.contract.diff ? contractDiffSummary(s.contract.diff) : "\u2013";
    return `| ${cell(s.agent)}${s.carried ? " \xB9" : ""} | ${version} | ${digest} | ${source} | ${contract} | ${s.changedFiles.length} |`;
  });
  return [
    `## Deploy ${sections.length} agent(s) to ${codeSpan(environment)}`,
    "",
    "| Agent | Version | Digest | Source | Contract changes | Files |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
    sections.some((s) => s.carried) ? "\xB9 pending from an earlier run, kept in this PR.\n" : "",
    `Each agent is one commit on this branch that changes only ${codeSpan(`${environment}/<agent>/`)}. Merge with a merge commit or a rebase so every agent keeps its own deploy commit in the history.`,
    ""
  ].join("\n");
}
function sectionOf(environment, s, contract, keptFiles) {
  const omitted = s.changedFiles.length - keptFiles;
  const files = [
    ...s.changedFiles.slice(0, keptFiles).map((f) => `- ${codeSpan(f.status)} ${codeSpan(f.path)}`),
    ...omitted > 0 ? [`- \u2026 and ${omitted} more (left out to stay within GitHub's size limit; see *Files changed*)`] : []
  ].join("\n");
  const image = s.image ? `Image: ${codeSpan(s.image)}

` : "";
  const rollback = s.rollbackCommand ? `After merging, undo this agent with:

${codeBlock(s.rollbackCommand, "sh")}
` : `First deploy of ${codeSpan(s.agent)} to ${codeSpan(environment)}: revert its commit to undo it.
`;
  return `### ${codeSpan(s.agent)}

${image}${contract}
Changed files:

${files}

${rollback}`;
}
function fullSection(environment, s, budget) {
  const contract = s.contract.renderWithin(
    { max: contractSectionBudget.max, measure: budget.measure },
    CONTRACT_HEADING_LEVEL
  );
  return sectionOf(environment, s, contract, s.changedFiles.length);
}
function fittedSection(environment, s, share, budget) {
  const bare = budget.measure(sectionOf(environment, s, "", 0));
  const available = Math.max(0, share - bare);
  const filesSize = budget.measure(sectionOf(environment, s, "", s.changedFiles.length)) - bare;
  const contractRoom = Math.min(
    contractSectionBudget.max,
    Math.max(Math.floor(available / 2), available - filesSize)
  );
  const contract = s.contract.renderWithin(
    { max: contractRoom, measure: budget.measure },
    CONTRACT_HEADING_LEVEL
  );
  const kept = largest(
    s.changedFiles.length,
    (n) => budget.measure(sectionOf(environment, s, contract, n)) <= share
  );
  return sectionOf(environment, s, contract, kept);
}
function fairShares(sizes, room) {
  const shares = sizes.map(() => 0);
  const order = sizes.map((size, index) => ({ size, index })).sort((a, b) => a.size - b.size);
  let left = room;
  order.forEach(({ size, index }, position) => {
    const share = Math.min(size, Math.floor(left / (order.length - position)));
    shares[index] = share;
    left -= share;
  });
  return shares;
}

// action/gitops/group.ts
async function readPending(repo, environment, branch, baseTip, branchTip, pushedTip) {
  const pending = { folders: /* @__PURE__ */ new Map() };
  if (!branchTip) return { tip: null, pending };
  const commits = await repo.commitsBetween(baseTip, branchTip);
  if (commits.length === 0) return { tip: null, pending };
  if (branchTip !== pushedTip) {
    throw new GitOpsError(
      `branch ${branch} has commit ${branchTip.slice(0, 12)} that dockrion did not push; refusing to overwrite it`,
      `merge or close the deployment PR, or delete the branch ${branch}, then deploy again`
    );
  }
  for (const commit of commits) {
    const message = await repo.message(commit);
    const trailers = parseTrailers(message);
    const agent = trailer(trailers, TRAILER.agent);
    const touched = (await repo.git.text(["diff-tree", "--no-commit-id", "--name-only", "-r", `${commit}^`, commit])).split("\n").filter(Boolean);
    const dir = agent ? agentDir(environment, agent) : null;
    if (!dir || trailer(trailers, TRAILER.environment) !== environment || touched.some((p) => !p.startsWith(`${dir}/`))) {
      throw new GitOpsError(
        `branch ${branch} has commit ${commit.slice(0, 12)} that is not one agent's deploy to ${environment}; refusing to overwrite it`,
        `merge or close the deployment PR, or delete the branch ${branch}, then deploy again`
      );
    }
    pending.folders.set(agent, { tree: await repo.subtree(branchTip, dir), message });
  }
  return { tip: branchTip, pending };
}
async function deployEnvironmentGroup(req, ctx) {
  const environment = checkSegment("environment", req.environment);
  const agents = req.members.map((m) => checkSegment("agent", m.record.agent));
  if (new Set(agents).size !== agents.length) {
    throw new GitOpsError(`a grouped deploy names an agent twice: ${agents.join(", ")}`);
  }
  if (req.members.some((m) => m.record.environment !== environment)) {
    throw new GitOpsError(`every agent of a grouped deploy must target ${environment}`);
  }
  const branch = groupBranch(environment);
  const recordRef = groupPushedRecordRef(environment);
  const time = Math.floor(ctx.now() / 1e3);
  const budgetMs = req.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
  const started = Date.now();
  return withRepo(req.target, ctx, async (repo) => {
    for (let attempt = 1; ; attempt++) {
      const baseTip = await repo.fetch();
      if (!baseTip) {
        throw new GitOpsError(
          `the environments repo has no branch '${repo.source.base}' to open a PR against`,
          "create it with an initial commit, or pass the right base branch (environments-base)"
        );
      }
      const branchTip = await repo.branchTip(branch);
      const pushedTip = await repo.recorded(recordRef);
      const { tip: pendingTip, pending } = await readPending(
        repo,
        environment,
        branch,
        baseTip,
        branchTip,
        pushedTip
      );
      const reference = pendingTip ?? baseTip;
      const mine = new Map(req.members.map((m) => [m.record.agent, m]));
      const carried = [...pending.folders.keys()].filter((a) => !mine.has(a));
      const order = [.../* @__PURE__ */ new Set([...mine.keys(), ...carried])].sort();
      let parent = baseTip;
      const outcomes = /* @__PURE__ */ new Map();
      for (const agent of order) {
        const dir = agentDir(environment, agent);
        const member = mine.get(agent);
        let content;
        let message;
        let previous = null;
        if (member) {
          const history = await listDeployments(repo, baseTip, environment, agent);
          previous = history[0] ?? null;
          const blocker = rolledBackFrom(history, member.record.digest);
          if (blocker && !req.force) {
            throw new GitOpsError(
              `${member.record.digest} was rolled back in ${environment} by ${blocker.commit.slice(0, 12)} (${blocker.subject}); refusing to deploy ${agent} again`,
              "pass --force (Action input `force: true`) if this build really should go back out"
            );
          }
          const rendered = member.renderFiles ? await member.renderFiles((path) => repo.readFile(reference, `${dir}/${path}`)) : member.files;
          checkNotReserved(rendered);
          const files = [
            ...rendered,
            { path: RECORD_FILE, content: serializeRecord(member.record) },
            ...member.contract ? [{ path: CONTRACT_FILE, content: member.contract }] : []
          ];
          const volatile = member.volatileFiles ?? [];
          const kept = volatile.length > 0 && !req.force ? await keepVolatile(repo, reference, dir, files, volatile) : null;
          content = { files: kept ?? files };
          message = deployMessage(member.record);
        } else {
          const folder = pending.folders.get(agent);
          content = folder?.tree ? { tree: folder.tree } : { remove: true };
          message = folder?.message ?? "";
        }
        const tree = await repo.buildTree(parent, dir, content);
        if (tree === await repo.treeOf(parent)) {
          if (member) {
            outcomes.set(agent, {
              agent,
              state: "unchanged",
              commit: null,
              changedFiles: [],
              previous,
              contractChanges: null
            });
          }
          continue;
        }
        parent = await repo.commit({ tree, parent, message, identity: ctx.identity, time });
        if (member) {
          outcomes.set(agent, {
            agent,
            state: "changed",
            commit: parent,
            changedFiles: await changedFiles(repo, baseTip, parent, dir),
            previous,
            contractChanges: await reviewAgainstBase(repo, parent, baseTip, dir)
          });
        }
      }
      const finalTip = parent;
      const agentOutcomes = agents.map((a) => outcomes.get(a));
      const result = (operation, commit) => ({
        operation,
        branch,
        commit,
        baseCommit: baseTip,
        pullRequest: null,
        agents: agentOutcomes,
        carried: carried.filter((a) => pending.folders.has(a))
      });
      if (finalTip === baseTip) {
        if (!pendingTip) return result("unchanged", null);
        const removed = await repo.deleteBranch(branch, pendingTip);
        if (removed.ok) {
          ctx.logger.warn(
            `${environment} on ${repo.source.base} already matches; deleted the stale ${branch}`
          );
          if (req.target.github)
            await closePullRequest(req.target.github, branch, repo.source.base, ctx.logger);
          return result("unchanged", null);
        }
        await retryPause(
          { attempt, started, budgetMs, branch, detail: removed.detail },
          ctx.logger,
          groupBranchKeptMoving(branch, attempt, removed.detail)
        );
      } else if (pendingTip && await repo.treeOf(finalTip) === await repo.treeOf(pendingTip)) {
        return result("unchanged", pendingTip);
      } else {
        const pushed = await repo.push(finalTip, branch, branchTip, true, {
          ref: recordRef,
          expected: pushedTip
        });
        if (pushed.ok) return finishGroup(repo, req, result("pushed", finalTip), ctx);
        await retryPause(
          { attempt, started, budgetMs, branch, detail: pushed.detail },
          ctx.logger,
          groupBranchKeptMoving(branch, attempt, pushed.detail)
        );
      }
    }
  });
}
function reviewAgainstBase(repo, commit, base, dir) {
  return deployedContractReview(repo, { commit, parent: base, dir, budget: contractSectionBudget });
}
function groupBranchKeptMoving(branch, attempt, detail) {
  return () => new GitOpsError(
    `could not push to ${branch} after ${attempt} attempts: the branch kept moving (${detail})`,
    "another deploy to the same environment is writing that branch; serialize them with a workflow `concurrency:` group"
  );
}
async function finishGroup(repo, req, outcome, ctx) {
  const github = req.target.github;
  if (!github || !outcome.commit) {
    ctx.logger.warn(`pushed ${outcome.branch}; no GitHub repository configured, so no PR was opened`);
    return outcome;
  }
  const base = outcome.baseCommit;
  const commits = await repo.commitsBetween(base, outcome.commit);
  const sections = [];
  for (const commit of commits) {
    const message = await repo.message(commit);
    const agent = trailer(parseTrailers(message), TRAILER.agent) ?? "";
    const dir = agentDir(req.environment, agent);
    const text = await repo.readFile(commit, `${dir}/${RECORD_FILE}`);
    const record = text ? parseRecord(text, `${dir}/${RECORD_FILE}`) : null;
    const previous = (await listDeployments(repo, base, req.environment, agent))[0] ?? null;
    const reviewed = outcome.agents.find((a) => a.commit === commit)?.contractChanges;
    sections.push({
      agent,
      version: record?.version ?? null,
      previousVersion: previous?.version ?? null,
      image: record?.image ?? null,
      digest: record?.digest ?? null,
      sourceRepository: record?.source.repository ?? null,
      sourceUrl: sourceUrl(req.target, record?.source.repository ?? null),
      sourceCommit: record?.source.commit ?? null,
      changedFiles: await changedFiles(repo, base, outcome.commit, dir),
      rollbackCommand: rollbackCommand(req.target, req.environment, agent, previous, false),
      carried: outcome.carried.includes(agent),
      contract: reviewed ?? await reviewAgainstBase(repo, commit, base, dir)
    });
  }
  const labels = unionOfLabelChanges(sections.map((s) => s.contract.labels));
  const title = `deploy: ${req.environment} (${sections.map((s) => `${s.agent} ${s.version ?? "?"}`).join(", ")})`;
  const ref = await ensurePullRequest(
    github,
    {
      ...req.pullRequest,
      head: outcome.branch,
      base: repo.source.base,
      title: title.length > 250 ? `deploy: ${req.environment} (${sections.length} agents)` : title,
      body: renderGroupPullRequestBody(req.environment, sections),
      labels: ["dockrion", `env:${req.environment}`, ...labels.add],
      removeLabels: labels.remove
    },
    ctx.logger
  );
  return {
    ...outcome,
    operation: ref.created ? "created" : "updated",
    pullRequest: { number: ref.number, url: ref.url, autoMerge: ref.autoMerge }
  };
}

export {
  checkEnvironmentsRepo,
  deployToEnvironments,
  rollbackEnvironment,
  rollbackReport,
  readEnvironmentHistory,
  readHistory,
  deployEnvironmentGroup
};
