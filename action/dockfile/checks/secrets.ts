import { DEFAULTS } from '../../../generators/environment.ts';
import { closest } from '../../../shared/suggest.ts';
import { ErrorCode } from '../codes.ts';
import { deliveryIssue } from '../delivery.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import { asList, asRecord, asString, type Doc, declaredSecrets } from './values.ts';

/** The provider blocks a secret profile has: what a profile of that provider needs, and the hint. */
const providerBlocks = {
  vault: { needs: 'a vault block', hint: 'add vault: { address, path } (and auth)' },
  aws: { needs: 'an aws block', hint: 'add aws: { region, secret_id }' },
} as const;

/** Secret names are unique; each environment's secret profile is complete and consistent. */
export function checkSecretDeclarations(doc: Doc, sink: DiagnosticSink): void {
  const declared = declaredSecrets(doc);
  const seen = new Map<string, string>();
  for (const { name, path } of declared) {
    const first = seen.get(name);
    if (first !== undefined) {
      sink.report(ErrorCode.SecretsConfig, path, `secret ${name} is declared twice (first at ${first})`, {
        hint: 'declare each secret once, under required or optional',
      });
    } else {
      seen.set(
        name,
        path
          .slice(0, 3)
          .join('.')
          .replace(/\.(\d+)$/, '[$1]'),
      );
    }
  }
  const names = [...seen.keys()];
  const deploy = asRecord(doc.deploy);
  const defaultTarget = asString(deploy?.target) ?? DEFAULTS.target;
  for (const [env, raw] of Object.entries(asRecord(deploy?.environments) ?? {})) {
    const environment = asRecord(raw);
    const profile = asRecord(environment?.secrets);
    const target = asString(environment?.target) ?? defaultTarget;
    if (!profile) {
      // No profile means provider github: on Kubernetes that still needs a cluster-side delivery.
      const issue = deliveryIssue(env, {
        provider: 'github',
        target,
        delivery: undefined,
        recipients: 0,
        declaredSecrets: declared.length,
      });
      if (issue) {
        sink.report(ErrorCode.SecretsConfig, ['deploy', 'environments', env], issue.message, {
          hint: `add secrets: { provider: github, delivery: … } — ${issue.hint}`,
          at: 'key',
        });
      }
      continue;
    }
    const base = ['deploy', 'environments', env, 'secrets'];
    const provider = asString(profile.provider);
    for (const [block, { needs, hint }] of Object.entries(providerBlocks)) {
      if (provider === block && profile[block] === undefined) {
        sink.report(
          ErrorCode.SecretsConfig,
          [...base, block],
          `environment ${env}: provider ${block} needs ${needs}`,
          {
            hint,
          },
        );
      }
    }
    for (const block of Object.keys(providerBlocks)) {
      if (provider !== block && profile[block] !== undefined) {
        sink.report(
          ErrorCode.SecretsConfig,
          [...base, block],
          `environment ${env}: ${block} is set but provider is ${provider}`,
          {
            at: 'key',
          },
        );
      }
    }
    for (const key of Object.keys(asRecord(profile.map) ?? {})) {
      if (!seen.has(key)) {
        const suggestion = closest(key, names);
        sink.report(
          ErrorCode.SecretsConfig,
          [...base, 'map', key],
          `environment ${env}: map names ${key}, which is not a declared secret`,
          {
            hint: suggestion
              ? `did you mean '${suggestion}'?`
              : 'declare it under secrets.required or secrets.optional',
            at: 'key',
          },
        );
      }
    }
    const issue = deliveryIssue(env, {
      provider: provider ?? 'github',
      target,
      delivery: asString(profile.delivery),
      recipients: asList(profile.age_recipients).length,
      declaredSecrets: declared.length,
    });
    if (issue) {
      sink.report(ErrorCode.SecretsConfig, [...base, issue.field], issue.message, { hint: issue.hint });
    }
  }
}
