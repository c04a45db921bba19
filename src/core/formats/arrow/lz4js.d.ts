// Types for the parts of lz4js (which ships none) that Strata calls.
declare module 'lz4js' {
  /** Decompresses one LZ4 frame into `dst`; returns the number of bytes written. */
  export function decompressFrame(src: Uint8Array, dst: Uint8Array): number;
  /** Decompresses one LZ4 frame, sized from the frame itself. */
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
  /** Compresses `src` into one LZ4 frame. */
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
}
declare module 'lz4js/xxh32' {
  /** xxHash32 of `src[index, index + len)`, as an unsigned 32-bit number. */
  export function hash(seed: number, src: Uint8Array, index: number, len: number): number;
}
