/** Defensive readers: semantic checks run even when the schema failed, on any shape of input. */
export type Doc = Record<string, unknown>;

export function asRecord(value: unknown): Doc | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Doc) : undefined;
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Names under secrets.required / secrets.optional, with the path each was declared at. */
export function declaredSecrets(doc: Doc): { name: string; path: (string | number)[] }[] {
  const secrets = asRecord(doc.secrets);
  const out: { name: string; path: (string | number)[] }[] = [];
  for (const group of ['required', 'optional'] as const) {
    asList(secrets?.[group]).forEach((entry, index) => {
      const name = asString(asRecord(entry)?.name);
      if (name) out.push({ name, path: ['secrets', group, index, 'name'] });
    });
  }
  return out;
}

/** `${NAME}` exactly: a deferred secret reference, resolved by the runtime. */
export function secretReference(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}$/.exec(value)?.[1];
}
