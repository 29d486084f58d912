import { createHash } from 'node:crypto';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { objectNames } from '../names.ts';
import { plainConfig } from '../plain-config.ts';
import type { RenderContext } from '../render-context.ts';
import { objectMeta } from './metadata.ts';

export function configMap(ctx: RenderContext): IConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(ctx, objectNames(ctx.env.agent).configMap),
    data: plainConfig(ctx),
  };
}

/**
 * sha256 over the ConfigMap data, written as a pod-template annotation so a config change rolls
 * the pods (envFrom is read only at container start). Keys are sorted and each entry is
 * length-prefixed, so no two different maps hash alike.
 */
export function configChecksum(data: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(data).sort()) {
    const value = data[key] ?? '';
    hash.update(`${key.length}:${key}=${Buffer.byteLength(value)}:${value}\n`);
  }
  return hash.digest('hex');
}
