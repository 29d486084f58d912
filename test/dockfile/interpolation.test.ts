import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDockfile } from '../../action/dockfile/index.ts';
import { parseEnvFile } from '../../generators/env-file.ts';
import { brief, type TempRepo, tempRepo } from './helpers.ts';

const dockfile = (description: string) =>
  `version: "1.0"\nagent:\n  name: env-agent\n  description: "${description}"\n  handler: app:run\nauth:\n  mode: api_key\nsecrets:\n  required:\n    - name: OPENAI_API_KEY\n`;

describe('${VAR} interpolation', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo();
  });
  afterEach(() => repo.cleanup());

  async function description(
    text: string,
    options: { env?: Record<string, string>; processEnv?: Record<string, string> } = {},
  ) {
    repo.write('Dockfile.yaml', dockfile(text));
    const result = await loadDockfile('Dockfile.yaml', {
      cwd: repo.root,
      processEnv: {},
      python: null,
      ...options,
    });
    return { result, value: result.spec?.agent.description };
  }

  it('resolves --env first, then the process environment, then .env', async () => {
    repo.write('.env', '# comment\nexport A=from-dotenv\nB="from dotenv"\nC=from-dotenv # trailing\n');
    const { value } = await description('${A}/${B}/${C}', {
      env: { A: 'from-cli' },
      processEnv: { B: 'from-process' },
    });
    expect(value).toBe('from-cli/from-process/from-dotenv');
  });

  it('uses :-default when unset or empty, and $${ for a literal', async () => {
    const { value } = await description('${MISSING:-fallback} ${EMPTY:-dflt} $${LITERAL}', {
      processEnv: { EMPTY: '' },
    });
    expect(value).toBe('fallback dflt ${LITERAL}');
  });

  it('keeps declared secrets as references, never resolving them', async () => {
    const { value } = await description('key=${OPENAI_API_KEY}', {
      processEnv: { OPENAI_API_KEY: 'sk-real-value' },
    });
    expect(value).toBe('key=${OPENAI_API_KEY}');
  });

  it('reports unresolved and malformed references (4001) at the value', async () => {
    const { result } = await description('${NOPE} ${1BAD} ${open');
    expect(brief(result.errors)).toEqual([
      '4001 agent.description @Dockfile.yaml:4:16',
      '4001 agent.description @Dockfile.yaml:4:16',
      '4001 agent.description @Dockfile.yaml:4:16',
    ]);
    expect(result.errors.map((e) => e.message)).toEqual([
      '${NOPE} is not set',
      'invalid variable reference ${1BAD}',
      'unterminated ${ in value',
    ]);
    expect(result.errors[0]?.hint).toContain('--env NOPE=');
  });

  it('parses .env files like docker compose does for the common cases', () => {
    const { values, problems } = parseEnvFile(
      'A=1\nexport B=\'two words\'\nC="line\\nbreak"\nD = spaced \nE=x # note\n#F=no\nbad line\n',
    );
    expect(problems).toEqual([{ line: 7, message: 'expected KEY=VALUE' }]);
    expect(Object.fromEntries(values)).toEqual({
      A: '1',
      B: 'two words',
      C: 'line\nbreak',
      D: 'spaced',
      E: 'x',
    });
  });

  it('never prints a value that came from the environment', async () => {
    repo.write(
      'Dockfile.yaml',
      'version: "1.0"\nagent:\n  name: ${AGENT_NAME}\n  handler: app:run\nauth:\n  mode: ${MODE}\nexpose:\n  port: ${PORT}\n',
    );
    const secret = 'Sup3r_S3cret_Value';
    const result = await loadDockfile('Dockfile.yaml', {
      cwd: repo.root,
      processEnv: { AGENT_NAME: secret, MODE: secret, PORT: secret },
      python: null,
    });
    expect(result.errors.map((e) => e.path)).toEqual(['agent.name', 'auth.mode', 'expose.port']);
    const printed = JSON.stringify(result);
    expect(printed).not.toContain(secret);
    expect(printed.toLowerCase()).not.toContain(secret.toLowerCase().replace(/_/g, '-'));
    expect(result.errors[0]?.message).toContain(
      'found "${AGENT_NAME}" (its value from the environment is not shown)',
    );
  });
});
