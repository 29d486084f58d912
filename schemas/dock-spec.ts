import type { DockrionDockfileV1 } from './dockfile.v1.ts';

export type {
  Agent,
  Auth,
  Build,
  Deploy,
  Environment,
  Expose,
  Ingress,
  IoSchema,
  Policies,
  Resources,
  SecretDecl,
  SecretProfile,
  Secrets,
} from './dockfile.v1.ts';

/** The document as written (after includes and interpolation), shaped by the JSON Schema. */
export type Dockfile = DockrionDockfileV1;

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A Dockfile that passed validation; frozen so no stage can change what another one sees. */
export type DockSpec = DeepReadonly<Dockfile>;
