#!/usr/bin/env node
// Generates the TypeScript that follows from Glidepath's OpenAPI spec
// (plugins/glidepath-backend/src/schema/openapi.yaml), so that the router and
// the client cannot drift apart:
//
//   plugins/glidepath-backend/src/schema/openapi.generated.ts
//     the spec as a const, for @backstage/backend-openapi-utils' validated router
//   plugins/glidepath-common/src/schema/openapi.generated.ts
//     the request and response types (openapi-typescript), for the client
//
// `--check` regenerates in memory and fails when a checked-in file is stale.
//
// Backstage's own `backstage-repo-tools package schema openapi generate` runs
// openapi-generator, a Java program downloaded from Maven Central on first use;
// Maven Central is not reachable from our machines, so this script does the
// same job with pure-JavaScript tools.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const specPath = path.join(
  root,
  'plugins/glidepath-backend/src/schema/openapi.yaml',
);
const header = `// ******************************************************************
// * THIS IS A GENERATED FILE. DO NOT EDIT IT.                       *
// * Edit plugins/glidepath-backend/src/schema/openapi.yaml and run  *
// * \`yarn generate:openapi\`.                                        *
// ******************************************************************
`;

async function format(file, text) {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

async function main() {
  const check = process.argv.includes('--check');
  const spec = yaml.load(fs.readFileSync(specPath, 'utf8'));

  const serverFile = path.join(
    root,
    'plugins/glidepath-backend/src/schema/openapi.generated.ts',
  );
  const server = `${header}
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`;

  const clientFile = path.join(
    root,
    'plugins/glidepath-common/src/schema/openapi.generated.ts',
  );
  const ast = await openapiTS(spec, { alphabetize: false });
  const client = `${header}
/* eslint-disable */
${astToString(ast)}`;

  let stale = 0;
  for (const [file, text] of [
    [serverFile, server],
    [clientFile, client],
  ]) {
    const formatted = await format(file, text);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current === formatted) continue;
    if (check) {
      stale += 1;
      console.error(
        `${path.relative(
          root,
          file,
        )} is out of date with openapi.yaml; run \`yarn generate:openapi\``,
      );
    } else {
      fs.writeFileSync(file, formatted);
      console.log(`wrote ${path.relative(root, file)}`);
    }
  }
  if (stale) process.exit(1);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
