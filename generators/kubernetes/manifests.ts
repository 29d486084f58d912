import { secretSources } from '../external-secrets/external-secret.ts';
import type { GeneratedDocument, RenderContext } from '../render-context.ts';
import { horizontalPodAutoscaler, needsDisruptionBudget, podDisruptionBudget } from './availability.ts';
import { configMap } from './config-map.ts';
import { deployment } from './deployment.ts';
import { ingress } from './ingress.ts';
import { KUSTOMIZATION_FILE, kustomization } from './kustomization.ts';
import { networkPolicy } from './network-policy.ts';
import { service, serviceAccount } from './service.ts';

/** A kustomize directory: one file per object, named for its kind, plus kustomization.yaml. */
export function kubernetesDocuments(ctx: RenderContext): GeneratedDocument[] {
  const secrets = secretSources(ctx);
  const objects: GeneratedDocument[] = [
    { path: 'serviceaccount.yaml', document: { ...serviceAccount(ctx) } },
    { path: 'configmap.yaml', document: { ...configMap(ctx) } },
    { path: 'deployment.yaml', document: { ...deployment(ctx, secrets) } },
    { path: 'service.yaml', document: { ...service(ctx) } },
  ];
  for (const source of secrets) {
    if (source.externalSecret === null || source.file === null) continue;
    objects.push({ path: source.file, document: { ...source.externalSecret } });
  }
  if (ctx.env.ingress !== null)
    objects.push({ path: 'ingress.yaml', document: { ...ingress(ctx, ctx.env.ingress) } });
  if (ctx.env.autoscaling !== null) {
    objects.push({ path: 'hpa.yaml', document: { ...horizontalPodAutoscaler(ctx, ctx.env.autoscaling) } });
  }
  if (needsDisruptionBudget(ctx))
    objects.push({ path: 'pdb.yaml', document: { ...podDisruptionBudget(ctx) } });
  if (ctx.env.networkPolicy.enabled) {
    objects.push({ path: 'networkpolicy.yaml', document: { ...networkPolicy(ctx) } });
  }
  const files = objects.map((o) => o.path);
  // Written by the secrets stage (it holds the values and the randomness); listed here so the
  // cluster's kustomize build picks it up.
  if (ctx.encryptedSecret !== null) files.push(ctx.encryptedSecret.path);
  return [...objects, { path: KUSTOMIZATION_FILE, document: kustomization(ctx, files) }];
}
