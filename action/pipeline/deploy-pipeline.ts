import { dirname } from 'node:path';
import { type ResolvedEnvironment, renderManifests, resolveEnvironment } from '../../generators/index.ts';
import { DockfileInvalidError, describeError, UsageError } from '../../shared/errors.ts';
import type { Docker, ProvenanceMode } from '../adapters/docker.ts';
import type { Exec } from '../adapters/exec.ts';
import type { Logger } from '../adapters/logger.ts';
import { type ContractDiff, contractOf, serializeContract } from '../contract/index.ts';
import { dockfileSha256 } from '../dockfile/digest.ts';
import { loadDockfile } from '../dockfile/index.ts';
import type { DockSpec } from '../dockfile/types.ts';
import {
  type CommittedFile,
  checkEnvironmentsRepo,
  type DeployOutcome,
  type DeployRecord,
  deployToEnvironments,
  type EnvironmentsTarget,
  type GitIdentity,
  type PullRequestOptions,
} from '../gitops/index.ts';
import type { RenderedFile } from '../gitops/repo.ts';
import {
  buildImage,
  type CacheRequest,
  parseReference,
  type RegistryCredentials,
  resolveProvenance,
  resolveVersion,
  verifyDigest,
} from '../image/index.ts';
import { gitSource } from '../image/source.ts';
import {
  assertDeliverable,
  buildSecretManifest,
  encryptSecretsEnv,
  resolveSecrets,
  SECRET_MANIFEST_FILES,
  SECRETS_ENV_AGE_FILE,
  type SealingCertificateInput,
  type SecretSet,
  secretsDelivery,
} from '../secrets/index.ts';

export interface BuildSettings {
  /** `host[/namespace]`; the image is `<registry>/<agent.name>`. */
  registry: string | null;
  push: boolean;
  platforms?: readonly string[];
  baseImage?: string | null;
  provenance?: ProvenanceMode | 'auto';
  sbom?: boolean;
  builder?: string;
  /** `cache-from`/`cache-to`; absent parts get the default (registry or Actions cache). */
  cache?: CacheRequest;
  credentials?: RegistryCredentials;
}

export interface DeployPipelineInput {
  /** Absolute path of the Dockfile. */
  dockfilePath: string;
  /** Repository root includes may not leave (default: the Dockfile's directory). */
  root?: string;
  environment: string;
  target: EnvironmentsTarget;
  build: BuildSettings;
  /** Promote this already-built `repo:tag@sha256:…` instead of building. */
  image?: string | null;
  direct?: boolean;
  force?: boolean;
  pullRequest?: PullRequestOptions;
  /** GitHub-provider secret values (the Action's `secrets` input, or `--secrets-json`). */
  githubSecrets?: Readonly<Record<string, string>>;
  githubSecretsJson?: string;
  githubSecretsLabel?: string;
  getIdToken?: (audience: string | undefined) => Promise<string>;
  /** The Sealed Secrets controller's certificate (Action input / CLI flag); wins over the Dockfile's. */
  sealingCertificate?: SealingCertificateInput | null;
}

export interface PipelineDeps {
  exec: Exec;
  /** Every docker call of the image stage (buildx, login). */
  docker: Docker;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Epoch milliseconds. */
  now: () => number;
  fetch: typeof fetch;
  identity?: GitIdentity;
}

export type StageName = 'validate' | 'secrets' | 'image' | 'render' | 'gitops';

/** The one JSON document `dockrion deploy --format json` prints. */
export interface DeployResult {
  agent: string;
  environment: string;
  version: string;
  image: string;
  digest: string;
  commit: string | null;
  branch: string;
  pr_url: string | null;
  pr_number: number | null;
  /** `built`: push was off, so the image was only built and nothing was deployed. */
  operation: DeployOutcome['operation'] | 'built';
  built: boolean;
  changed_files: string[];
  /** The new contract.json against the deployed one; null when nothing was committed. */
  contract_changes: ContractChangesResult | null;
  /** Milliseconds per stage. */
  timings: Partial<Record<StageName, number>>;
}

export interface ContractChangesResult {
  /** One line: the counts and what they are against, or why nothing was compared. */
  summary: string;
  /** The classified changes, grouped as `dockrion diff --format json` groups them; null: not compared. */
  changes: ContractDiff | null;
}

async function stage<T>(
  name: StageName,
  title: string,
  deps: PipelineDeps,
  timings: DeployResult['timings'],
  fn: () => Promise<T>,
): Promise<T> {
  const started = deps.now();
  try {
    return await deps.logger.group(title, fn);
  } finally {
    timings[name] = deps.now() - started;
  }
}

interface Validated {
  spec: DockSpec;
  /** The environment as every later stage sees it (profile, target, namespace, secrets). */
  environment: ResolvedEnvironment;
}

async function validate(input: DeployPipelineInput, deps: PipelineDeps): Promise<Validated> {
  const result = await loadDockfile(input.dockfilePath, {
    processEnv: deps.env,
    root: input.root ?? dirname(input.dockfilePath),
    cwd: dirname(input.dockfilePath),
    exec: deps.exec,
  });
  for (const w of result.warnings) deps.logger.warn(`${w.file}:${w.line}:${w.column} ${w.code} ${w.message}`);
  if (!result.valid || !result.spec) throw new DockfileInvalidError(input.dockfilePath, result.errors);
  // Resolved once, here, before secrets are read or an image is built: `--env Staging`, an
  // unknown environment or a bad per-environment setting fails before anything is pushed.
  const environment = resolveEnvironment(result.spec, input.environment);
  deps.logger.info(
    `${input.dockfilePath}: valid (agent ${result.spec.agent.name}, environment ${environment.name} → ${environment.target})`,
  );
  return { spec: result.spec, environment };
}

async function fetchSecrets(
  spec: DockSpec,
  environment: ResolvedEnvironment,
  input: DeployPipelineInput,
  deps: PipelineDeps,
): Promise<SecretSet> {
  // Before any value is read or image built: secrets that could never reach the pod stop the deploy.
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
    baseDir: dirname(input.dockfilePath),
  });
  const summary = set.entries.map((e) => `${e.name}=${e.status}`).join(', ') || 'none declared';
  deps.logger.info(`secrets from ${set.location}: ${summary}`);
  return set;
}

interface ImageChoice {
  ref: string;
  digest: string;
  version: string;
  built: boolean;
}

async function chooseImage(
  spec: DockSpec,
  input: DeployPipelineInput,
  deps: PipelineDeps,
  source: { repo: string; commit: string; commitTime: number },
): Promise<ImageChoice> {
  const metadataVersion = spec.metadata?.version;
  if (input.image) {
    const parsed = parseReference(input.image);
    if (!parsed.digest) {
      throw new UsageError(
        `--image ${input.image} is not pinned by digest`,
        'promote the exact build: repo:tag@sha256:… (the deploy output of the earlier environment)',
      );
    }
    await verifyDigest(input.image, {
      fetch: deps.fetch,
      credentials: input.build.credentials,
      missingHint:
        'promotion deploys an image that already exists: copy the ref from the earlier deploy (its `image` output or dockrion.json) and check the registry credentials can read it',
    });
    deps.logger.info(`promoting ${input.image}: the registry has ${parsed.digest}`);
    return {
      ref: input.image,
      digest: parsed.digest,
      version: parsed.tag ?? resolveVersion(metadataVersion, source.commit),
      built: false,
    };
  }
  if (!input.build.registry) {
    throw new UsageError('deploy needs --registry to build (or --image REF to promote an existing build)');
  }
  const { provenance, capabilities } = await resolveProvenance(
    input.build.provenance,
    deps.docker,
    deps.logger,
    input.build.builder,
  );
  const version = resolveVersion(metadataVersion, source.commit);
  const built = await buildImage({
    spec,
    dockfilePath: input.dockfilePath,
    registry: input.build.registry,
    push: input.build.push,
    platforms: input.build.platforms,
    baseImage: input.build.baseImage ?? undefined,
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
    env: deps.env,
  });
  return { ref: built.ref, digest: built.digest, version, built: true };
}

type Renderer = (committed: CommittedFile | null) => Promise<RenderedFile[]>;

/**
 * The folder's files. For an encrypted Secret manifest (sops, sealed-secrets) the result depends
 * on what the environments repo already holds, so the gitops stage calls the renderer against
 * its reference commit; `committed` null renders without looking (used once up front to surface
 * render errors before the repo is touched).
 */
function renderer(
  spec: DockSpec,
  environment: ResolvedEnvironment,
  input: DeployPipelineInput,
  image: ImageChoice,
  secrets: SecretSet,
  source: { repo: string; commit: string },
  deps: PipelineDeps,
): Renderer {
  const delivery = secretsDelivery(environment);
  return async (committed) => {
    const manifest =
      delivery.manifest !== null && secrets.entries.length > 0
        ? await buildSecretManifest({
            spec,
            environment,
            delivery: delivery.manifest,
            values: secrets.values,
            recipients: delivery.recipients,
            sealingCertificate: input.sealingCertificate ?? null,
            baseDir: dirname(input.dockfilePath),
            now: new Date(deps.now()),
            committed: committed ? await committed(SECRET_MANIFEST_FILES[delivery.manifest]) : null,
            force: input.force,
          })
        : null;
    const rendered = renderManifests({
      spec,
      environment,
      image: image.ref,
      version: image.version,
      secretVersions: secrets.versionsHash,
      source,
      ...(manifest ? { encryptedSecret: manifest.file } : {}),
    });
    const files: RenderedFile[] = rendered.files.map((f) => ({ path: f.path, content: f.content }));
    if (manifest) {
      files.push({ path: manifest.file.path, content: manifest.content });
      if (committed) {
        deps.logger.info(
          `secrets: ${manifest.file.delivery} → ${manifest.file.path} (${manifest.reused ? 'unchanged names and keys: committed ciphertext kept; --force re-encrypts rotated values' : 'encrypted'})`,
        );
      }
    } else if (delivery.ageFile && secrets.entries.length > 0) {
      const ciphertext = await encryptSecretsEnv(secrets.values, delivery.recipients);
      files.push({ path: SECRETS_ENV_AGE_FILE, content: Buffer.from(ciphertext) });
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  };
}

/** A deploy up to the environments repo: validated, secrets checked, image built, folder rendered. */
export interface PreparedDeploy {
  deployed: Pick<DeployResult, 'agent' | 'environment' | 'version' | 'image' | 'digest'>;
  built: boolean;
  record: DeployRecord;
  /** The agent's contract.json (null when the contract could not be extracted). */
  contract: string | null;
  /** The folder rendered without looking at the environments repo. */
  files: RenderedFile[];
  /** Renders against what the environments repo holds (encrypted Secret manifests); else absent. */
  renderFiles?: (committed: CommittedFile) => Promise<RenderedFile[]>;
  volatileFiles: string[];
  timings: DeployResult['timings'];
}

/**
 * contract.json for the agent folder. It only serves the review of the next deploy, so a spec the
 * contract extractor cannot read is a warning (the folder then has no contract.json and the next
 * deployment PR says so), never a failed deploy.
 */
function deployedContract(spec: DockSpec, deps: PipelineDeps): string | null {
  try {
    return serializeContract(contractOf(spec));
  } catch (e: unknown) {
    deps.logger.warn(`no contract.json for this deploy: ${describeError(e)}`);
    return null;
  }
}

/**
 * validate → secrets → image (build and push, or check the promoted digest) → render: everything
 * before the environments repo is written. With push off the image is only built, and the result
 * is the finished `built` DeployResult.
 */
export async function prepareDeploy(
  input: DeployPipelineInput,
  deps: PipelineDeps,
): Promise<PreparedDeploy | DeployResult> {
  const timings: DeployResult['timings'] = {};
  const { spec, environment } = await stage('validate', 'Validate Dockfile', deps, timings, () =>
    validate(input, deps),
  );
  const agent = spec.agent.name;
  const contract = deployedContract(spec, deps);
  const secrets = await stage('secrets', `Check secrets (${input.environment})`, deps, timings, () =>
    fetchSecrets(spec, environment, input, deps),
  );
  if (input.image || input.build.push) {
    // Fail on a wrong URL or token now, not after minutes of building an image nothing will record.
    await deps.logger.group('Check environments repo', () =>
      checkEnvironmentsRepo(input.target, gitOpsOf(deps)),
    );
  }
  const source = await gitSource(dirname(input.dockfilePath), deps.exec, deps.env);
  if (source.dirty) deps.logger.warn('the agent directory has uncommitted changes; the deploy names HEAD');
  const image = await stage(
    'image',
    input.image ? 'Check promoted image' : 'Build and push image',
    deps,
    timings,
    () => chooseImage(spec, input, deps, source),
  );
  const deployed = {
    agent,
    environment: input.environment,
    version: image.version,
    image: image.ref,
    digest: image.digest,
  };
  if (image.built && !input.build.push) {
    deps.logger.warn('push is off: the image was built but not pushed, so nothing was deployed');
    return {
      ...deployed,
      commit: null,
      branch: '',
      pr_url: null,
      pr_number: null,
      operation: 'built',
      built: true,
      changed_files: [],
      contract_changes: null,
      timings,
    };
  }
  const render = renderer(spec, environment, input, image, secrets, source, deps);
  const files = await stage('render', 'Render manifests', deps, timings, () => render(null));
  const record: DeployRecord = {
    ...deployed,
    source: { repository: source.repo === 'unknown' ? null : source.repo, commit: source.commit },
    dockfile_sha256: dockfileSha256(input.dockfilePath),
  };
  return {
    deployed,
    built: image.built,
    record,
    contract,
    files,
    ...(secretsDelivery(environment).manifest !== null
      ? { renderFiles: (committed: CommittedFile) => render(committed) }
      : {}),
    volatileFiles: [SECRETS_ENV_AGE_FILE],
    timings,
  };
}

function gitOpsOf(deps: PipelineDeps) {
  return { exec: deps.exec, logger: deps.logger, now: deps.now, identity: deps.identity, baseEnv: deps.env };
}

/**
 * validate → secrets → image (build and push, or check the promoted digest) → render → commit/PR.
 * Each stage is a log group; the result is what `deploy` prints and the Action outputs.
 */
export async function runDeployPipeline(
  input: DeployPipelineInput,
  deps: PipelineDeps,
): Promise<DeployResult> {
  const prepared = await prepareDeploy(input, deps);
  if (!('record' in prepared)) return prepared;
  const { deployed, timings } = prepared;
  const outcome = await stage('gitops', 'Commit to the environments repo', deps, timings, () =>
    deployToEnvironments(
      {
        target: input.target,
        record: prepared.record,
        contract: prepared.contract,
        files: prepared.files,
        direct: input.direct,
        force: input.force,
        pullRequest: input.pullRequest,
        volatileFiles: prepared.volatileFiles,
        ...(prepared.renderFiles ? { renderFiles: prepared.renderFiles } : {}),
      },
      gitOpsOf(deps),
    ),
  );
  deps.logger.info(
    `${outcome.operation}: ${input.environment}/${deployed.agent} ${deployed.version}` +
      (outcome.pullRequest
        ? ` (${outcome.pullRequest.url})`
        : outcome.commit
          ? ` (${outcome.commit.slice(0, 12)})`
          : ''),
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
    contract_changes: outcome.contractChanges
      ? { summary: outcome.contractChanges.summary, changes: outcome.contractChanges.diff }
      : null,
    timings,
  };
}
