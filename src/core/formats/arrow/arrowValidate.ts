// Checks a decoded record batch's offsets and child lengths before any value is read (apache-arrow trusts them).
import { type Data, type RecordBatch, Type } from 'apache-arrow';

/** The first inconsistency found, or undefined when the batch is sound. */
export function batchProblem(batch: RecordBatch): string | undefined {
  const fields = batch.schema.fields;
  for (let f = 0; f < fields.length; f++) {
    const child = batch.data.children[f];
    if (!child) { return `column '${fields[f].name}' is missing`; }
    if (child.length < batch.numRows) { return `column '${fields[f].name}' has ${child.length} of ${batch.numRows} rows`; }
    const problem = dataProblem(child);
    if (problem) { return `column '${fields[f].name}': ${problem}`; }
  }
  return undefined;
}

function dataProblem(data: Data): string | undefined {
  // apache-arrow slices offsets and children along with the data, so indexes here start at 0
  const { type } = data;
  const end = data.length;
  switch (type.typeId) {
    case Type.Utf8: case Type.Binary: case Type.LargeUtf8: case Type.LargeBinary:
      return offsetsProblem(data, (data.values as Uint8Array | undefined)?.length ?? 0);
    case Type.List: case Type.LargeList: case Type.Map: {
      const child = data.children[0];
      if (!child) { return 'a list has no values'; }
      return offsetsProblem(data, child.length) ?? dataProblem(child);
    }
    case Type.FixedSizeList: {
      const child = data.children[0];
      const size = (type as unknown as { listSize: number }).listSize;
      if (!child || child.length < end * size) { return 'a fixed-size list has too few values'; }
      return dataProblem(child);
    }
    case Type.Struct: case Type.Union:
      for (const child of data.children) {
        if (type.typeId === Type.Struct && child.length < end) { return 'a struct field has too few values'; }
        const problem = dataProblem(child);
        if (problem) { return problem; }
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Offsets must start at or above 0, never decrease, and stay within the values they index. */
function offsetsProblem(data: Data, valuesLength: number): string | undefined {
  const offsets = data.valueOffsets as ArrayLike<number | bigint> | undefined;
  if (!offsets || offsets.length < data.length + 1) { return data.length ? 'offsets are missing' : undefined; }
  let previous = Number(offsets[0]);
  if (previous < 0) { return 'an offset is negative'; }
  for (let i = 1; i <= data.length; i++) {
    const next = Number(offsets[i]);
    if (next < previous) { return 'offsets go backwards'; }
    previous = next;
  }
  return previous > valuesLength ? `offsets reach ${previous}, past the ${valuesLength} values` : undefined;
}
