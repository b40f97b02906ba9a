import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * The words of the templates' forms, for the service team that fills them
 * in: every field says what the choice means, in the team's words rather
 * than the platform's configuration keys.
 */

const TEMPLATES = path.resolve(__dirname, '../../../templates');

type Field = {
  title?: string;
  description?: string;
  type?: string;
  enum?: unknown[];
  enumNames?: string[];
  properties?: Record<string, Field>;
  items?: Field;
  'ui:field'?: string;
  'ui:help'?: string;
};

/** Every field of a template's form, by its path, nested ones included. */
function fieldsOf(file: string): Array<[string, Field]> {
  const template = parse(fs.readFileSync(file, 'utf8'));
  const fields: Array<[string, Field]> = [];
  const walk = (prefix: string, properties: Record<string, Field>) => {
    for (const [name, field] of Object.entries(properties)) {
      fields.push([`${prefix}${name}`, field]);
      if (field.properties) walk(`${prefix}${name}.`, field.properties);
      if (field.items?.properties) {
        walk(`${prefix}${name}[].`, field.items.properties);
      }
    }
  };
  for (const step of template.spec.parameters) {
    walk('', step.properties ?? {});
  }
  return fields;
}

const files = fs
  .readdirSync(TEMPLATES)
  .map(name => path.join(TEMPLATES, name, 'template.yaml'))
  .filter(file => fs.existsSync(file));

const fields = files.flatMap(file =>
  fieldsOf(file).map(
    ([name, field]) =>
      [`${path.basename(path.dirname(file))}: ${name}`, field] as const,
  ),
);

/** The words a field shows: its title, description, help and choices. */
function wordsOf(field: Field): string {
  return [
    field.title,
    field.description,
    field['ui:help'],
    ...(field.enumNames ?? []),
  ]
    .filter(Boolean)
    .join(' ');
}

describe("the templates' forms", () => {
  it('finds the four templates and their fields', () => {
    expect(files.map(f => path.basename(path.dirname(f))).sort()).toEqual([
      'coordinated-release',
      'new-service-canary',
      'release-checklist',
      'release-game-day',
    ]);
    expect(fields.length).toBeGreaterThan(20);
  });

  // A picker without a description shows the scaffolder's own, which reads
  // "The owner of the component" for a drill's facilitator.
  it.each(fields.filter(([, f]) => f['ui:field']?.endsWith('Picker')))(
    '%s says what to pick',
    (_, field) => {
      expect(field.description ?? '').toMatch(/\w{3,}.*\w{3,}/);
    },
  );

  it.each(fields)('%s names no configuration key or annotation', (_, field) => {
    const words = wordsOf(field);
    expect(words).not.toMatch(/\bglidepath\.[a-z]/i);
    expect(words).not.toMatch(/\bbackstage\.io\//);
    expect(words).not.toMatch(/The owner of the component/);
  });

  it.each(fields.filter(([, f]) => f.enum))(
    '%s names each choice',
    (_, field) => {
      expect(field.enumNames).toHaveLength(field.enum!.length);
    },
  );

  it('explains the rollback policy and the cluster in the words of a service team', () => {
    const field = (name: string) =>
      fields.find(([n]) => n === `new-service-canary: ${name}`)![1];
    expect(field('policy').description).toMatch(
      /^How strict the checks on the canary are before Glidepath rolls it back by itself\. Your platform team defines the policies/,
    );
    expect(field('cluster').description).toMatch(
      /^The Kubernetes cluster the service runs in/,
    );
  });
});
