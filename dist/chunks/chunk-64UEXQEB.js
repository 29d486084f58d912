import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  SECRET_MANIFEST_FILES,
  assertDeliverable,
  buildSecretManifest,
  resolveSecrets,
  secretsDelivery
} from "./chunk-ROGAJDNL.js";
import {
  SECRETS_ENV_AGE_FILE,
  encryptSecretsEnv,
  renderManifests
} from "./chunk-ZONKLWJV.js";
import {
  buildImage,
  dockfileSha256,
  gitSource,
  parseReference,
  resolveProvenance,
  resolveVersion,
  verifyDigest
} from "./chunk-P25WTLRW.js";
import {
  checkEnvironmentsRepo,
  deployToEnvironments
} from "./chunk-OXDUWI3C.js";
import {
  contractOf,
  serializeContract
} from "./chunk-S62WSDRY.js";
import {
  loadDockfile
} from "./chunk-CJK7HBET.js";
import {
  resolveEnvironment
} from "./chunk-Y7HVPOHU.js";
import {
  DockfileInvalidError,
  UsageError,
  describeError
} from "./chunk-NQESISYT.js";

// action/pipeline/deploy-pipeline.ts
import { dirname } from "node:path";
function contractChangesResult(review) {
  return review ? { summary: review.summary, changes: review.diff } : null;
}
async function stage(name, title, deps, timings, fn) {
  const started = deps.now();
  try {
    return await deps.logger.group(title, fn);
  } finally {
    timings[name] = deps.now() - started;
  }
}
async function validate(input, deps) {
  const result = await loadDockfile(input.dockfilePath, {
    processEnv: deps.env,
    root: input.root ?? dirname(input.dockfilePath),
    cwd: dirname(input.dockfilePath),
    exec: deps.exec
  });
  for (const w of result.warnings) deps.logger.warn(`${w.file}:${w.line}:${w.column} ${w.code} ${w.message}`);
  if (!result.valid || !result.spec) throw new DockfileInvalidError(input.dockfilePath, result.errors);
  const environment = resolveEnvironment(result.spec, input.environment);
  deps.logger.info(
    `${input.dockfilePath}: valid (agent ${result.spec.agent.name}, environment ${environment.name} \u2192 ${environment.target})`
  );
  return { spec: result.spec, environment };
}
async function fetchSecrets(spec, environment, input, deps) {
  assertDeliverable(environment);
  const set = await resolveSecrets({
    spec,
    environment,
    env: deps.env,
    githubSecrets: input.githubSecrets,
    githubSecretsJson: input.githubSecretsJson,
    githubSecretsJsonLabel: input.githubSecretsLabel,
    getIdToken: input.getIdToken,
    logger: deps.logger,
    baseDir: dirname(input.dockfilePath)
  });
  const summary = set.entries.map((e) => `${e.name}=${e.status}`).join(", ") || "none declared";
  deps.logger.info(`secrets from ${set.location}: ${summary}`);
  return set;
}
async function chooseImage(spec, input, deps, source) {
  const metadataVersion = spec.metadata?.version;
  if (input.image) {
    const parsed = parseReference(input.image);
    if (!parsed.digest) {
      throw new UsageError(
        `--image ${input.image} is not pinned by digest`,
        "promote the exact build: repo:tag@sha256:\u2026 (the deploy output of the earlier environment)"
      );
    }
    await verifyDigest(input.image, {
      fetch: deps.fetch,
      credentials: input.build.credentials,
      missingHint: "promotion deploys an image that already exists: copy the ref from the earlier deploy (its `image` output or dockrion.json) and check the registry credentials can read it"
    });
    deps.logger.info(`promoting ${input.image}: the registry has ${parsed.digest}`);
    return {
      ref: input.image,
      digest: parsed.digest,
      version: parsed.tag ?? resolveVersion(metadataVersion, source.commit),
      built: false
    };
  }
  if (!input.build.registry) {
    throw new UsageError("deploy needs --registry to build (or --image REF to promote an existing build)");
  }
  const { provenance, capabilities } = await resolveProvenance(
    input.build.provenance,
    deps.docker,
    deps.logger,
    input.build.builder
  );
  const version = resolveVersion(metadataVersion, source.commit);
  const built = await buildImage({
    spec,
    dockfilePath: input.dockfilePath,
    registry: input.build.registry,
    push: input.build.push,
    platforms: input.build.platforms,
    baseImage: input.build.baseImage ?? void 0,
    version,
    source,
    provenance,
    sbom: input.build.sbom ?? false,
    docker: deps.docker,
    logger: deps.logger,
    fetch: deps.fetch,
    credentials: input.build.credentials,
    builder: input.build.builder,
    cache: input.build.cache,
    capabilities,
    env: deps.env
  });
  return { ref: built.ref, digest: built.digest, version, built: true };
}
function renderer(spec, environment, input, image, secrets, source, deps) {
  const delivery = secretsDelivery(environment);
  return async (committed) => {
    const manifest = delivery.manifest !== null && secrets.entries.length > 0 ? await buildSecretManifest({
      spec,
      environment,
      delivery: delivery.manifest,
      values: secrets.values,
      recipients: delivery.recipients,
      sealingCertificate: input.sealingCertificate ?? null,
      baseDir: dirname(input.dockfilePath),
      now: new Date(deps.now()),
      committed: committed ? await committed(SECRET_MANIFEST_FILES[delivery.manifest]) : null,
      force: input.force
    }) : null;
    const rendered = renderManifests({
      spec,
      environment,
      image: image.ref,
      version: image.version,
      secretVersions: secrets.versionsHash,
      source,
      ...manifest ? { encryptedSecret: manifest.file } : {}
    });
    const files = rendered.files.map((f) => ({ path: f.path, content: f.content }));
    if (manifest) {
      files.push({ path: manifest.file.path, content: manifest.content });
      if (committed) {
        deps.logger.info(
          `secrets: ${manifest.file.delivery} \u2192 ${manifest.file.path} (${manifest.reused ? "unchanged names and keys: committed ciphertext kept; --force re-encrypts rotated values" : "encrypted"})`
        );
      }
    } else if (delivery.ageFile && secrets.entries.length > 0) {
      const ciphertext = await encryptSecretsEnv(secrets.values, delivery.recipients);
      files.push({ path: SECRETS_ENV_AGE_FILE, content: Buffer.from(ciphertext) });
    }
    return files.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  };
}
function deployedContract(spec, deps) {
  try {
    return serializeContract(contractOf(spec));
  } catch (e) {
    deps.logger.warn(`no contract.json for this deploy: ${describeError(e)}`);
    return null;
  }
}
async function prepareDeploy(input, deps) {
  const timings = {};
  const { spec, environment } = await stage(
    "validate",
    "Validate Dockfile",
    deps,
    timings,
    () => validate(input, deps)
  );
  const agent = spec.agent.name;
  const contract = deployedContract(spec, deps);
  const secrets = await stage(
    "secrets",
    `Check secrets (${input.environment})`,
    deps,
    timings,
    () => fetchSecrets(spec, environment, input, deps)
  );
  if (input.image || input.build.push) {
    await deps.logger.group(
      "Check environments repo",
      () => checkEnvironmentsRepo(input.target, gitOpsOf(deps))
    );
  }
  const source = await gitSource(dirname(input.dockfilePath), deps.exec, deps.env);
  if (source.dirty) deps.logger.warn("the agent directory has uncommitted changes; the deploy names HEAD");
  const image = await stage(
    "image",
    input.image ? "Check promoted image" : "Build and push image",
    deps,
    timings,
    () => chooseImage(spec, input, deps, source)
  );
  const deployed = {
    agent,
    environment: input.environment,
    version: image.version,
    image: image.ref,
    digest: image.digest
  };
  if (image.built && !input.build.push) {
    deps.logger.warn("push is off: the image was built but not pushed, so nothing was deployed");
    return {
      ...deployed,
      commit: null,
      branch: "",
      pr_url: null,
      pr_number: null,
      operation: "built",
      built: true,
      changed_files: [],
      contract_changes: null,
      timings
    };
  }
  const render = renderer(spec, environment, input, image, secrets, source, deps);
  const files = await stage("render", "Render manifests", deps, timings, () => render(null));
  const record = {
    ...deployed,
    source: { repository: source.repo === "unknown" ? null : source.repo, commit: source.commit },
    dockfile_sha256: dockfileSha256(input.dockfilePath)
  };
  return {
    deployed,
    built: image.built,
    record,
    contract,
    files,
    ...secretsDelivery(environment).manifest !== null ? { renderFiles: (committed) => render(committed) } : {},
    volatileFiles: [SECRETS_ENV_AGE_FILE],
    timings
  };
}
function gitOpsOf(deps) {
  return { exec: deps.exec, logger: deps.logger, now: deps.now, identity: deps.identity, baseEnv: deps.env };
}
async function runDeployPipeline(input, deps) {
  const prepared = await prepareDeploy(input, deps);
  if (!("record" in prepared)) return prepared;
  const { deployed, timings } = prepared;
  const outcome = await stage(
    "gitops",
    "Commit to the environments repo",
    deps,
    timings,
    () => deployToEnvironments(
      {
        target: input.target,
        record: prepared.record,
        contract: prepared.contract,
        files: prepared.files,
        direct: input.direct,
        force: input.force,
        pullRequest: input.pullRequest,
        volatileFiles: prepared.volatileFiles,
        ...prepared.renderFiles ? { renderFiles: prepared.renderFiles } : {}
      },
      gitOpsOf(deps)
    )
  );
  deps.logger.info(
    `${outcome.operation}: ${input.environment}/${deployed.agent} ${deployed.version}` + (outcome.pullRequest ? ` (${outcome.pullRequest.url})` : outcome.commit ? ` (${outcome.commit.slice(0, 12)})` : "")
  );
  return {
    ...deployed,
    commit: outcome.commit,
    branch: outcome.branch,
    pr_url: outcome.pullRequest?.url ?? null,
    pr_number: outcome.pullRequest?.number ?? null,
    operation: outcome.operation,
    built: prepared.built,
    changed_files: outcome.changedFiles.map((f) => f.path),
    contract_changes: contractChangesResult(outcome.contractChanges),
    timings
  };
}

export {
  contractChangesResult,
  prepareDeploy,
  runDeployPipeline
};
