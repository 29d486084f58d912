import Handlebars from 'handlebars';
import { ImageError } from '../../shared/errors.ts';
import { RUNTIME_UID } from '../names.ts';
import {
  checkImageReference,
  checkPythonVersion,
  checkSystemPackage,
  quoteDockerfileValue,
} from './escape.ts';
import { DOCKERFILE_TEMPLATE } from './template.ts';

export type Framework = 'langgraph' | 'langchain' | 'custom';

/** Everything the Dockerfile depends on; the same input always renders the same bytes. */
export interface DockerfileInput {
  framework: Framework;
  /** `build.python`; only used for the default base image. */
  python?: string;
  /** `build.base_image`; wins over the python default. `--build-arg BASE_IMAGE` overrides both. */
  baseImage?: string;
  port: number;
  systemPackages?: readonly string[];
  hasRequirements: boolean;
  /** Label key → raw (unescaped) value. Rendered sorted by key. */
  labels: Readonly<Record<string, string>>;
}

export const DEFAULT_PYTHON = '3.12';

const RUNTIME_EXTRAS: Record<Framework, string> = {
  langgraph: '[langgraph]',
  langchain: '[langchain]',
  custom: '',
};

const LABEL_KEY = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

const template = Handlebars.compile(DOCKERFILE_TEMPLATE, { noEscape: true, strict: true });

export function defaultBaseImage(python: string | undefined): string {
  return `python:${checkPythonVersion(python ?? DEFAULT_PYTHON)}-slim`;
}

export function renderDockerfile(input: DockerfileInput): string {
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) {
    throw new ImageError(`expose.port: ${input.port} is not a TCP port`);
  }
  const baseImage =
    input.baseImage === undefined
      ? defaultBaseImage(input.python)
      : checkImageReference(input.baseImage, 'build.base_image');
  const labels = Object.keys(input.labels)
    .sort()
    .map((key) => {
      if (!LABEL_KEY.test(key)) throw new ImageError(`label key ${JSON.stringify(key)} is not allowed`);
      return { key, value: quoteDockerfileValue(input.labels[key] ?? '') };
    });
  const systemPackages = [...new Set((input.systemPackages ?? []).map(checkSystemPackage))].sort();
  return template({
    baseImage,
    runtimeExtras: RUNTIME_EXTRAS[input.framework],
    systemPackages: systemPackages.join(' '),
    hasRequirements: input.hasRequirements,
    uid: RUNTIME_UID,
    port: input.port,
    labels,
  });
}
