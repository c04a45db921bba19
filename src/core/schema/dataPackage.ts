// The parts of a Frictionless Data Package (datapackage.json) that validation needs: resources, their paths, schemas and dialects.
import { ignoredConstraints } from './fieldConstraints';
import { SchemaError, type SchemaWarning } from './schemaError';
import { parseJsonText, parseTableDialect, parseTableSchema, type TableDialect, type TableSchema } from './tableSchema';

export interface PackageResource {
  /** `name`, or `resource<N>` when the package gives none. */
  name: string;
  index: number;
  /** Local paths as written (POSIX, relative to the package folder); URLs are left out. */
  paths: string[];
  /** The schema inline, or the path of a schema file (relative to the package folder) still to read. */
  schema: TableSchema | { path: string } | null;
  dialect: TableDialect | { path: string } | null;
  /** Set when the resource is data inline (`data`) rather than a file. */
  inline: boolean;
  format?: string;
}

export interface DataPackage {
  name?: string;
  resources: PackageResource[];
}

type Obj = { [key: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses datapackage.json text; `source` names the file in errors. */
export function parseDataPackageText(text: string, source: string): DataPackage {
  const d = parseJsonText(text, source);
  if (!isObj(d)) { throw new SchemaError('invalid-schema', source, 'a data package must be a JSON object'); }
  if (!Array.isArray(d.resources)) { throw new SchemaError('invalid-schema', source, 'a data package needs a "resources" array', '/resources'); }
  const resources = d.resources.map((r, index): PackageResource => {
    const p = `/resources/${index}`;
    if (!isObj(r)) { throw new SchemaError('invalid-schema', source, 'a resource must be an object', p); }
    const rawPaths = typeof r.path === 'string' ? [r.path] : Array.isArray(r.path) ? r.path : [];
    if (!rawPaths.every(x => typeof x === 'string')) { throw new SchemaError('invalid-schema', source, '"path" must be a string or an array of strings', `${p}/path`); }
    const paths = (rawPaths as string[]).filter(x => !/^[a-z][a-z0-9+.-]*:\/\//i.test(x));
    for (const x of paths) {
      if (x.startsWith('/') || x.split('/').includes('..')) {
        throw new SchemaError('invalid-schema', source, `resource path "${x}" must stay inside the package folder`, `${p}/path`);
      }
    }
    let schema: PackageResource['schema'] = null;
    if (typeof r.schema === 'string') { schema = { path: r.schema }; } else if (r.schema !== undefined) {
      try {
        schema = parseTableSchema(r.schema, source);
      } catch (e) {
        if (e instanceof SchemaError) { throw new SchemaError(e.code, source, e.problem, `${p}/schema${e.pointer}`); }
        throw e;
      }
    }
    let dialect: PackageResource['dialect'] = null;
    if (typeof r.dialect === 'string') { dialect = { path: r.dialect }; } else if (r.dialect !== undefined) {
      try {
        dialect = parseTableDialect(r.dialect, source);
      } catch (e) {
        if (e instanceof SchemaError) { throw new SchemaError(e.code, source, e.problem, `${p}${e.pointer}`); }
        throw e;
      }
    }
    return {
      name: typeof r.name === 'string' ? r.name : `resource${index + 1}`,
      index,
      paths,
      schema,
      dialect,
      inline: r.data !== undefined,
      ...(typeof r.format === 'string' ? { format: r.format } : {}),
    };
  });
  return { ...(typeof d.name === 'string' ? { name: d.name } : {}), resources };
}

/**
 * What is wrong in a data package that still lets it be used: foreign keys naming a resource it does not have,
 * constraints of inline schemas that their fields' types ignore. Pointers are into the package document.
 */
export function dataPackageWarnings(pkg: DataPackage): SchemaWarning[] {
  const names = new Set(pkg.resources.map(r => r.name));
  const out: SchemaWarning[] = [];
  for (const resource of pkg.resources) {
    const schema = resource.schema;
    if (!schema || 'path' in schema) { continue; }
    const at = `/resources/${resource.index}/schema`;
    schema.foreignKeys.forEach((fk, i) => {
      const target = fk.reference.resource;
      if (target !== null && !names.has(target)) {
        out.push({
          code: 'invalid-schema', pointer: `${at}/foreignKeys/${i}/reference/resource`,
          message: `foreign key (${fk.fields.join(', ')}) refers to the resource "${target}", which this data package does not have`,
        });
      }
    });
    out.push(...ignoredConstraints(schema).map(w => ({ ...w, pointer: `${at}${w.pointer}` })));
  }
  return out;
}

/** The resource whose path is `relPath` (POSIX, relative to the package folder), if any. */
export function resourceForPath(pkg: DataPackage, relPath: string): PackageResource | undefined {
  const want = normalizeRel(relPath);
  return pkg.resources.find(r => r.paths.some(p => normalizeRel(p) === want));
}

function normalizeRel(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/\.\//g, '/');
}
