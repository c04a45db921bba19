// DVC 2.x `md5-dos2unix` hashing: text files (judged on their first 512 bytes) are hashed with CRLF turned into LF.

const TEXT_CHARS = (() => {
  const t = new Uint8Array(256);
  for (let c = 32; c < 127; c++) { t[c] = 1; }
  for (const c of [10, 13, 9, 8]) { t[c] = 1; }
  return t;
})();

/** How many leading bytes decide whether a file is text (DVC reads 512). */
export const TEXT_SAMPLE_BYTES = 512;

/** DVC's `istextblock`: no NUL, and at most 30% bytes outside printable ASCII and \n \r \t \b. */
export function isTextBlock(block: Uint8Array): boolean {
  if (block.length === 0) { return true; }
  let nontext = 0;
  for (const b of block) {
    if (b === 0) { return false; }
    if (!TEXT_CHARS[b]) { nontext++; }
  }
  return nontext / block.length <= 0.3;
}

/**
 * A streaming CRLF → LF converter: feed chunks, get converted chunks; a CR at a chunk's end is
 * held until the next chunk shows whether an LF follows. Call `end()` for the held byte.
 */
export function createDos2Unix(): { push(chunk: Uint8Array): Uint8Array; end(): Uint8Array } {
  let heldCr = false;
  return {
    push(chunk: Uint8Array): Uint8Array {
      const out = new Uint8Array(chunk.length + 1);
      let n = 0;
      let i = 0;
      if (heldCr) {
        heldCr = false;
        if (chunk.length > 0 && chunk[0] === 10) { out[n++] = 10; i = 1; } else { out[n++] = 13; }
      }
      for (; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === 13) {
          if (i + 1 === chunk.length) { heldCr = true; break; }
          if (chunk[i + 1] === 10) { continue; }
        }
        out[n++] = b;
      }
      return out.subarray(0, n);
    },
    end(): Uint8Array {
      const rest = heldCr ? Uint8Array.of(13) : new Uint8Array(0);
      heldCr = false;
      return rest;
    },
  };
}
