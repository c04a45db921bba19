// Which Table Schema applies to a dataset on disk: a --schema given, a strata.schemas mapping, a sidecar file, or a data package.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { parseDataPackageText, resourceForPath, type DataPackage, type PackageResource } from '../../core/schema/dataPackage';
import { SchemaError } from '../../core/schema/schemaError';
import { parseJsonText, parseTableDialect, parseTableSchemaText, type TableDialect, type TableSchema } from '../../core/schema/tableSchema';
import { DATASET_EXTENSIONS } from '../../core/formats/datasetFiles';

export type SchemaOrigin =
  /** Named by the caller (`strata validate --schema`). */
  | { kind: 'explicit'; schemaPath: string }
  /** A `strata.schemas` mapping whose glob matched the dataset. */
  | { kind: 'setting'; schemaPath: string; pattern: string }
  /** `<name>.schema.json` beside the dataset. */
  | { kind: 'sidecar'; schemaPath: string }
  /** The resource of a datapackage.json whose path is the dataset. */
  | { kind: 'datapackage'; packagePath: string; resource: string; schemaPath?: string };

export interface DatasetSchema {
  schema: TableSchema;
  origin: SchemaOrigin;
  /** Table Dialect of the data package resource, when it has one. */
  dialect?: TableDialect;
  /** The package the schema came from (its other resources are the targets of foreign keys). */
  dataPackage?: LoadedDataPackage;
}

export interface FindSchemaOptions {
  /** The workspace folder: data packages are looked for up to here, and mapping globs are relative to it. */
  workspaceRoot?: string;
  /** glob → schema path (the `strata.schemas` setting); relative schema paths are taken from the workspace root. */
  mappings?: Readonly<Record<string, string>>;
  /** A schema file that applies whatever else exists. */
  schemaPath?: string;
}

export interface LoadedDataPackage {
  path: string;
  dir: string;
  pkg: DataPackage;
}

/**
 * The schema of a dataset, in this order: the explicit one, a matching mapping, a sidecar file
 * (`people.schema.json` or `people.csv.schema.json`), then the nearest data package listing the file.
 * Null when none applies. A schema that exists but is broken throws a SchemaError naming its file.
 */
export async function findSchemaFor(datasetPath: string, options: FindSchemaOptions = {}): Promise<DatasetSchema | null> {
  const dataset = resolve(datasetPath);
  if (options.schemaPath) {
    const schemaPath = resolve(options.schemaPath);
    return { schema: await loadSchemaFile(schemaPath), origin: { kind: 'explicit', schemaPath } };
  }
  const root = options.workspaceRoot ? resolve(options.workspaceRoot) : undefined;
  if (options.mappings && root && isInside(dataset, root)) {
    const rel = toPosix(relative(root, dataset));
    for (const [pattern, target] of Object.entries(options.mappings)) {
      if (picomatch(pattern, { dot: true })(rel)) {
        const schemaPath = isAbsolute(target) ? target : join(root, target);
        return { schema: await loadSchemaFile(schemaPath), origin: { kind: 'setting', schemaPath, pattern } };
      }
    }
  }
  for (const schemaPath of sidecarPaths(dataset)) {
    if (await isFile(schemaPath)) {
      return { schema: await loadSchemaFile(schemaPath), origin: { kind: 'sidecar', schemaPath } };
    }
  }
  for await (const { packagePath, loaded, resource } of packagesListing(dataset, root)) {
    const found = await resourceSchema(loaded, resource);
    if (found.schema) {
      return {
        schema: found.schema,
        origin: { kind: 'datapackage', packagePath, resource: resource.name, ...(found.schemaPath ? { schemaPath: found.schemaPath } : {}) },
        ...(found.dialect ? { dialect: found.dialect } : {}),
        dataPackage: loaded,
      };
    }
  }
  return null;
}

/**
 * The `datapackage.json` files in the folders from the dataset's up to `root` (else the file system's root), nearest
 * first, that list the dataset as a resource; a package that cannot be read throws.
 */
async function* packagesListing(dataset: string, root: string | undefined): AsyncGenerator<{ packagePath: string; loaded: LoadedDataPackage; resource: PackageResource }> {
  const stopAt = root && isInside(dataset, root) ? root : parse(dataset).root;
  for (let dir = dirname(dataset); ; dir = dirname(dir)) {
    const packagePath = join(dir, 'datapackage.json');
    if (await isFile(packagePath)) {
      const loaded = await loadDataPackage(packagePath);
      const resource = resourceForPath(loaded.pkg, toPosix(relative(dir, dataset)));
      if (resource) { yield { packagePath, loaded, resource }; }
    }
    if (dir === stopAt || dirname(dir) === dir) { return; }
  }
}

/** Where a schema came from, in words (tooltips, the preview, CLI notes). */
export function describeSchemaOrigin(origin: SchemaOrigin, from?: string): string {
  const show = (p: string): string => (from ? toPosix(relative(from, p)) || basename(p) : p);
  switch (origin.kind) {
    case 'explicit': return `schema ${show(origin.schemaPath)} (given)`;
    case 'setting': return `schema ${show(origin.schemaPath)} (strata.schemas: ${origin.pattern})`;
    case 'sidecar': return `schema ${show(origin.schemaPath)} (beside the file)`;
    case 'datapackage': return `resource "${origin.resource}" of ${show(origin.packagePath)}`;
  }
}

/** The sidecar names a dataset's schema may have: `people.schema.json`, then `people.csv.schema.json`. */
export function sidecarPaths(datasetPath: string): string[] {
  const dir = dirname(datasetPath);
  const name = basename(datasetPath);
  const lower = name.toLowerCase();
  const ext = DATASET_EXTENSIONS.find(e => lower.endsWith(e.ext))?.ext ?? parse(name).ext;
  const stem = ext ? name.slice(0, name.length - ext.length) : name;
  const out = [join(dir, `${stem}.schema.json`)];
  if (stem !== name) { out.push(join(dir, `${name}.schema.json`)); }
  return out;
}

export async function loadSchemaFile(path: string): Promise<TableSchema> {
  return parseTableSchemaText(await readText(path, 'schema'), path);
}

export async function loadDataPackage(path: string): Promise<LoadedDataPackage> {
  return { path, dir: dirname(path), pkg: parseDataPackageText(await readText(path, 'data package'), path) };
}

/** A resource's schema and dialect, reading them from their own files when the package points at files. */
export async function resourceSchema(loaded: LoadedDataPackage, resource: PackageResource):
  Promise<{ schema: TableSchema | null; dialect: TableDialect | null; schemaPath?: string }> {
  let schema: TableSchema | null = null;
  let schemaPath: string | undefined;
  if (resource.schema && 'path' in resource.schema) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(resource.schema.path)) {
      throw new SchemaError('unsupported', loaded.path, `resource "${resource.name}": a schema at a URL (${resource.schema.path}) is not fetched; save it beside the package`);
    }
    schemaPath = join(loaded.dir, resource.schema.path);
    schema = await loadSchemaFile(schemaPath);
  } else if (resource.schema) {
    schema = resource.schema as TableSchema;
  }
  return { schema, dialect: await resourceDialect(loaded, resource), ...(schemaPath ? { schemaPath } : {}) };
}

/** A resource's Table Dialect, read from its own file when the package points at one. */
async function resourceDialect(loaded: LoadedDataPackage, resource: PackageResource): Promise<TableDialect | null> {
  if (resource.dialect && 'path' in resource.dialect) {
    const dialectPath = join(loaded.dir, resource.dialect.path);
    return parseTableDialect(parseJsonText(await readText(dialectPath, 'dialect'), dialectPath), dialectPath);
  }
  return resource.dialect ? resource.dialect as TableDialect : null;
}

/**
 * How a data package says a file is written: the Table Dialect of its resource in the nearest `datapackage.json`
 * listing it (looked for up to `workspaceRoot`, else up to the file system's root), with the resource's schema.
 * Null when no package lists the file with a dialect, or when the package, its schema or its dialect cannot be
 * read: validation reports those problems, and a reader then sniffs the file as it would without one.
 */
export async function findResourceDialect(datasetPath: string, options: { workspaceRoot?: string } = {}): Promise<{ dialect: TableDialect; schema: TableSchema | null } | null> {
  const root = options.workspaceRoot ? resolve(options.workspaceRoot) : undefined;
  try {
    for await (const { loaded, resource } of packagesListing(resolve(datasetPath), root)) {
      // a resource without a dialect leaves the file to sniffing: its schema is not read
      if (!resource.dialect) { return null; }
      const { dialect, schema } = await resourceSchema(loaded, resource);
      return dialect ? { dialect, schema } : null;
    }
  } catch {
    // an unreadable package, schema or dialect file
  }
  return null;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SchemaError('not-found', path, code === 'ENOENT' ? `${what} file not found` : `cannot read the ${what} file (${code ?? (e as Error).message})`);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}
