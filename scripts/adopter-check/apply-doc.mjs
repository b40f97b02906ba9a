// Applies one of docs/install.md's marked code blocks to an app, so that
// scripts/adopter-check.sh installs Glidepath with the very code the reader
// is given. A block is marked by the line `<!-- adopter-check: <name> -->`
// before its fence.
//
// Usage: node scripts/adopter-check/apply-doc.mjs <app dir> <block name>
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, parseAllDocuments, parseDocument } from 'yaml';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const docPath = join(repoRoot, 'docs/install.md');

/** The text of the fenced block marked `<!-- adopter-check: name -->`. */
export function docBlock(markdown, name) {
  const marker = `<!-- adopter-check: ${name} -->`;
  const at = markdown.indexOf(marker);
  if (at < 0) throw new Error(`docs/install.md has no block "${name}"`);
  const fence = markdown
    .slice(at + marker.length)
    .match(/```\w*\n([\s\S]*?)```/);
  if (!fence) throw new Error(`no code block after ${marker}`);
  return fence[1];
}

// Keep the app's own YAML as it was written, as far as the library can.
const yamlOptions = { flowCollectionPadding: false, lineWidth: 0 };

/** Deep-merges a YAML fragment into a YAML document, keeping comments. */
function mergeYaml(doc, fragment) {
  const visit = (path, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) visit([...path, k], v);
      // `guest: {}` becomes a block mapping once it has keys.
      const node = path.length ? doc.getIn(path, true) : undefined;
      if (isMap(node)) node.flow = false;
    } else {
      doc.setIn(path, value);
    }
  };
  visit([], fragment);
}

const edits = {
  // Root package.json: resolutions of every @glidepath package.
  resolutions(app, block) {
    const file = join(app, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    const { resolutions } = JSON.parse(block);
    pkg.resolutions = { ...pkg.resolutions, ...resolutions };
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  },
  // packages/backend/src/index.ts: the lines before backend.start().
  'backend-index'(app, block) {
    const file = join(app, 'packages/backend/src/index.ts');
    const src = readFileSync(file, 'utf8');
    assert.ok(src.includes('backend.start();'), `${file}: no backend.start()`);
    writeFileSync(
      file,
      src.replace('backend.start();', `${block}\nbackend.start();`),
    );
  },
  // The policy module, at the path its first line names.
  'permission-policy'(app, block) {
    const path = block
      .split('\n')[0]
      .replace(/^\/\/\s*/, '')
      .trim();
    assert.match(path, /^packages\/backend\/src\/.+\.ts$/);
    writeFileSync(join(app, path), block);
  },
  // The policy module in the allow-all policy's place.
  'permission-policy-index'(app, block) {
    const file = join(app, 'packages/backend/src/index.ts');
    const src = readFileSync(file, 'utf8');
    const allowAll =
      /backend\.add\(\s*import\('@backstage\/plugin-permission-backend-module-allow-all-policy'\),?\s*\);/;
    assert.match(src, allowAll, `${file}: no allow-all policy to replace`);
    writeFileSync(file, src.replace(allowAll, block.trim()));
  },
  // app-config.yaml: the fragment merged in.
  'app-config'(app, block) {
    const file = join(app, 'app-config.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    mergeYaml(doc, parseDocument(block).toJS());
    writeFileSync(file, doc.toString(yamlOptions));
  },
  // examples/entities.yaml: the annotation on the entity it names.
  annotation(app, block) {
    const file = join(app, 'examples/entities.yaml');
    const fragment = parseDocument(block).toJS();
    const [ref] = Object.values(fragment.metadata.annotations);
    const name = ref.split(':').pop();
    const docs = parseAllDocuments(readFileSync(file, 'utf8'));
    const target = docs.find(
      d => isMap(d.contents) && d.getIn(['metadata', 'name']) === name,
    );
    assert.ok(target, `${file}: no entity named ${name}`);
    mergeYaml(target, fragment);
    writeFileSync(file, docs.map(d => d.toString(yamlOptions)).join(''));
  },
};

const [app, name] = process.argv.slice(2);
if (!app || !edits[name]) {
  console.error(
    `usage: node scripts/adopter-check/apply-doc.mjs <app dir> <${Object.keys(
      edits,
    ).join('|')}>`,
  );
  process.exit(2);
}
edits[name](app, docBlock(readFileSync(docPath, 'utf8'), name));
console.log(`[adopter-check] applied docs/install.md's "${name}" block`);
