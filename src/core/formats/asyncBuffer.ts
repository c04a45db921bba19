// The one input port every reader uses: a byte length and positional reads (same shape as hyparquet's).

export interface AsyncBuffer {
  readonly byteLength: number;
  /**
   * True when a read before the last one is slow (the bytes are decompressed from the start again): readers then
   * read in one pass where they can and do not split the data into parts read at once.
   */
  readonly sequential?: boolean;
  slice(start: number, end?: number): ArrayBuffer | Promise<ArrayBuffer>;
  /**
   * Optional: reads bytes from `position` into `target` (a buffer the caller reuses), resolving to the
   * count read (less only at the end of the data). Long scans use it to avoid a fresh buffer per chunk,
   * whose page faults and later unmapping cost about as much CPU as the copy itself.
   */
  readInto?(target: Uint8Array, position: number): Promise<number>;
  /**
   * Optional: `readInto` on the calling thread, returning the count at once. For scans that run in parallel on
   * every core (see ChunkOptions.inline), where a read handed to another thread finds no idle core to run on.
   */
  readIntoSync?(target: Uint8Array, position: number): number;
}

/** An AsyncBuffer over bytes already in memory (tests, small blobs, decompressed data). */
export function bufferFromBytes(bytes: Uint8Array): AsyncBuffer {
  return {
    byteLength: bytes.byteLength,
    slice(start: number, end = bytes.byteLength): ArrayBuffer {
      const view = bytes.subarray(start, end);
      return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
    },
  };
}
