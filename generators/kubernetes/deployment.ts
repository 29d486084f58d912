import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IEnvFromSource } from 'kubernetes-models/v1/EnvFromSource';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { SecretSource } from '../external-secrets/external-secret.ts';
import { ANNOTATION_PREFIX, objectNames, RUNTIME_UID, selectorLabels } from '../names.ts';
import { plainConfig } from '../plain-config.ts';
import { gracePeriodSeconds, type RenderContext, STARTUP_BUDGET_SECONDS } from '../render-context.ts';
import { configChecksum } from './config-map.ts';
import { objectMeta } from './metadata.ts';
import { ENCRYPTED_SECRET_ANNOTATION } from './secret.ts';

export const CONTAINER_PORT_NAME = 'http';
const STARTUP_PERIOD_SECONDS = 5;

export function deployment(ctx: RenderContext, secrets: readonly SecretSource[]): IDeployment {
  const { env } = ctx;
  const names = objectNames(env.agent);
  const selector = selectorLabels(env.agent, env.name);
  const podAnnotations: Record<string, string> = { 'checksum/config': configChecksum(plainConfig(ctx)) };
  if (ctx.secretVersions !== null)
    podAnnotations[`${ANNOTATION_PREFIX}/secret-versions`] = ctx.secretVersions;
  // GitHub values have no remote versions: the committed ciphertext's hash rolls the pods instead.
  if (ctx.encryptedSecret !== null)
    podAnnotations[ENCRYPTED_SECRET_ANNOTATION] = ctx.encryptedSecret.revision;

  const envFrom: IEnvFromSource[] = [{ configMapRef: { name: names.configMap, optional: false } }];
  for (const source of secrets)
    envFrom.push({ secretRef: { name: source.secretName, optional: source.optional } });

  const podMeta = objectMeta(ctx, names.workload, podAnnotations);
  delete podMeta.name;

  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(ctx, names.workload),
    spec: {
      // With an HPA the replica count belongs to it; writing one here would fight it on every sync.
      ...(env.autoscaling === null ? { replicas: env.replicas } : {}),
      revisionHistoryLimit: 10,
      selector: { matchLabels: selector },
      // Surge first: a slow-starting agent keeps serving on the old pod until the new one is ready.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: podMeta,
        spec: {
          serviceAccountName: names.workload,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: gracePeriodSeconds(env),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUNTIME_UID,
            runAsGroup: RUNTIME_UID,
            fsGroup: RUNTIME_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map(
            (topologyKey) => ({
              topologyKey,
              maxSkew: 1,
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selector },
            }),
          ),
          containers: [
            {
              name: names.workload,
              image: ctx.image.reference,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: CONTAINER_PORT_NAME, containerPort: env.port, protocol: 'TCP' }],
              envFrom,
              resources: {
                requests: { ...env.resources.requests },
                limits: { ...env.resources.limits },
              },
              startupProbe: httpProbe('/health', {
                periodSeconds: STARTUP_PERIOD_SECONDS,
                failureThreshold: STARTUP_BUDGET_SECONDS / STARTUP_PERIOD_SECONDS,
              }),
              livenessProbe: httpProbe('/health', { periodSeconds: 10, failureThreshold: 3 }),
              readinessProbe: httpProbe('/ready', { periodSeconds: 5, failureThreshold: 3 }),
              securityContext: {
                runAsNonRoot: true,
                runAsUser: RUNTIME_UID,
                runAsGroup: RUNTIME_UID,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                privileged: false,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
        },
      },
    },
  };
}

function httpProbe(path: string, timing: { periodSeconds: number; failureThreshold: number }): IProbe {
  return {
    httpGet: { path, port: CONTAINER_PORT_NAME, scheme: 'HTTP' },
    periodSeconds: timing.periodSeconds,
    failureThreshold: timing.failureThreshold,
    timeoutSeconds: 3,
    successThreshold: 1,
  };
}
