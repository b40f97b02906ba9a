// Checks the tarballs `yarn workspaces foreach --no-private pack` made from
// plugins/*: each manifest is what npm would publish (no workspace: ranges,
// main/types/exports into dist and present, the config schema and the
// migrations shipped, the backstage plugin metadata set), and every
// @glidepath dependency has a tarball beside it.
//
// Usage: node scripts/adopter-check/check-packs.mjs <packs dir>
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const packsDir = process.argv[2];
if (!packsDir) {
  console.error(
    'usage: node scripts/adopter-check/check-packs.mjs <packs dir>',
  );
  process.exit(2);
}

const sources = new Map(
  readdirSync(join(repoRoot, 'plugins')).map(dir => {
    const pkg = JSON.parse(
      readFileSync(join(repoRoot, 'plugins', dir, 'package.json'), 'utf8'),
    );
    return [pkg.name, { dir: join(repoRoot, 'plugins', dir), pkg }];
  }),
);
const tarballs = readdirSync(packsDir).filter(f => f.endsWith('.tgz'));
const problems = [];
const packed = new Map();

for (const file of tarballs) {
  const path = join(packsDir, file);
  const list = execFileSync('tar', ['-tzf', path], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map(p => p.replace(/^package\//, ''));
  const manifest = JSON.parse(
    execFileSync('tar', ['-xzOf', path, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  packed.set(manifest.name, { file, manifest });
  const say = msg => problems.push(`${manifest.name} (${file}): ${msg}`);
  const has = p => list.includes(p.replace(/^\.\//, ''));

  if (JSON.stringify(manifest).includes('workspace:')) {
    say('has workspace: ranges');
  }
  const targets = [manifest.main, manifest.types, manifest.module];
  const collect = value => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') {
      Object.values(value).forEach(collect);
    }
  };
  collect(manifest.exports);
  for (const target of targets.filter(Boolean)) {
    if (target.endsWith('package.json') || target.startsWith('@backstage/')) {
      continue; // exports' "./package.json" and "backstage" feature tags
    }
    if (!/^(\.\/)?dist\//.test(target)) say(`points outside dist: ${target}`);
    else if (!has(target)) say(`points at a file it does not ship: ${target}`);
  }
  if (manifest.configSchema && !has(manifest.configSchema)) {
    say(`configSchema ${manifest.configSchema} is not in the tarball`);
  }
  const source = sources.get(manifest.name);
  if (!source) say('is not a package under plugins/');
  else if (existsSync(join(source.dir, 'migrations'))) {
    const shipped = list.filter(p => p.startsWith('migrations/'));
    const own = readdirSync(join(source.dir, 'migrations'));
    if (shipped.length !== own.length) {
      say(`ships ${shipped.length} of its ${own.length} migrations`);
    }
  }
  if (source && source.pkg.configSchema && !manifest.configSchema) {
    say('lost its configSchema');
  }
  const bs = manifest.backstage ?? {};
  if (!bs.role || !bs.pluginId) say('has no backstage.role and pluginId');
  if (bs.role?.endsWith('-module') && !bs.pluginPackage) {
    say('is a module without backstage.pluginPackage');
  }
  if (!bs.role?.endsWith('-module') && !bs.pluginPackages?.length) {
    say('has no backstage.pluginPackages');
  }
}

for (const [name] of sources) {
  if (!sources.get(name).pkg.private && !packed.has(name)) {
    problems.push(`${name}: no tarball`);
  }
}
for (const { file, manifest } of packed.values()) {
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    if (dep.startsWith('@glidepath/') && !packed.has(dep)) {
      problems.push(`${file}: depends on ${dep}, which has no tarball`);
    }
  }
}

if (problems.length) {
  console.error(`[adopter-check] the packed packages are not publishable:`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(
  `[adopter-check] ${packed.size} packages packed and publishable: ${[
    ...packed.keys(),
  ].join(', ')}`,
);
