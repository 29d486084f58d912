/**
 * Checks a GraphQL request against GitHub's published schema (`@octokit/graphql-schema`): the
 * document must parse and pass graphql-js `validate` (fields, arguments, input types), and the
 * variables must coerce to the types the operation declares.
 *
 * The schema is built from the package's introspection JSON (its SDL file defines some fields twice,
 * which `buildSchema` rejects), once per process on the first GraphQL request (~0.5 s); each
 * distinct document is validated once (~10 ms) and its verdict cached.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  buildClientSchema,
  type DocumentNode,
  type GraphQLSchema,
  getVariableValues,
  type IntrospectionQuery,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';

/** The package's `exports` map hides schema.json from `require.resolve`; look in node_modules. */
function schemaJsonPath(): string {
  const lookups = createRequire(import.meta.url).resolve.paths('@octokit/graphql-schema') ?? [];
  for (const dir of lookups) {
    const file = join(dir, '@octokit', 'graphql-schema', 'schema.json');
    if (existsSync(file)) return file;
  }
  throw new Error('@octokit/graphql-schema is not installed (npm ci installs it as a devDependency)');
}

let schema: GraphQLSchema | undefined;
function githubSchema(): GraphQLSchema {
  if (!schema) {
    const file = schemaJsonPath();
    schema = buildClientSchema(JSON.parse(readFileSync(file, 'utf8')) as IntrospectionQuery);
  }
  return schema;
}

type CheckedDocument = { document: DocumentNode } | { rules: string[] };
/** Validation depends on the document alone, and clients send the same few documents again and again. */
const documents = new Map<string, CheckedDocument>();
function checkDocument(query: string): CheckedDocument {
  let checked = documents.get(query);
  if (!checked) {
    try {
      const document = parse(query);
      const rules = validate(githubSchema(), document).map((e) => `graphql: ${e.message}`);
      checked = rules.length > 0 ? { rules } : { document };
    } catch (e: unknown) {
      checked = { rules: [`graphql: ${e instanceof Error ? e.message : String(e)}`] };
    }
    documents.set(query, checked);
  }
  return checked;
}

export interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** The broken rules (empty when the request is valid), each naming what GitHub's schema says. */
export function checkGraphqlRequest(body: unknown): string[] {
  const { query, variables = {}, operationName } = (body ?? {}) as GraphqlRequestBody;
  if (typeof query !== 'string') return ['graphql: the body has no "query" string'];
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables))
    return ['graphql: "variables" must be an object'];
  const checked = checkDocument(query);
  if (!('document' in checked)) return checked.rules;
  const { document } = checked;
  const rules: string[] = [];

  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
  );
  const operation =
    typeof operationName === 'string'
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
  if (!operation)
    return [`graphql: cannot tell which operation to run (operationName ${String(operationName)})`];
  const declared = new Set(operation.variableDefinitions?.map((v) => v.variable.name.value));
  for (const name of Object.keys(variables))
    if (!declared.has(name))
      rules.push(`graphql: variable $${name} is not declared by the operation (GitHub ignores it)`);
  const coerced = getVariableValues(
    githubSchema(),
    operation.variableDefinitions ?? [],
    variables as Record<string, unknown>,
  );
  for (const error of coerced.errors ?? []) rules.push(`graphql: ${error.message}`);
  return rules;
}
