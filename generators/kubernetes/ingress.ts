import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { Ingress } from '../../schemas/dock-spec.ts';
import { objectNames } from '../names.ts';
import type { RenderContext } from '../render-context.ts';
import { CONTAINER_PORT_NAME } from './deployment.ts';
import { objectMeta } from './metadata.ts';

/** `ingress.tls: true` uses the Secret `<agent>-tls` (e.g. filled by cert-manager). */
export function ingress(ctx: RenderContext, config: Ingress): IIngress {
  const names = objectNames(ctx.env.agent);
  const meta = objectMeta(ctx, names.workload);
  if (config.annotations && Object.keys(config.annotations).length > 0) {
    meta.annotations = { ...meta.annotations, ...config.annotations };
  }
  const tlsSecret =
    config.tls === true
      ? names.tlsSecret
      : typeof config.tls === 'object'
        ? (config.tls.secret_name ?? names.tlsSecret)
        : null;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta,
    spec: {
      ...(config.class_name ? { ingressClassName: config.class_name } : {}),
      ...(tlsSecret ? { tls: [{ hosts: [config.host], secretName: tlsSecret }] } : {}),
      rules: [
        {
          host: config.host,
          http: {
            paths: [
              {
                path: config.path ?? '/',
                pathType: 'Prefix',
                backend: { service: { name: names.workload, port: { name: CONTAINER_PORT_NAME } } },
              },
            ],
          },
        },
      ],
    },
  };
}
