// Decompresses only the first bytes of a Snappy block: the head of a Parquet page without inflating all of it.
//
// Snappy writes its output strictly in order (literals, then copies from already written output), so any
// prefix of the output depends only on the elements before it: decoding can stop once enough is written.
// Neither hysnappy nor hyparquet's decoder can stop early; this follows the format description
// (github.com/google/snappy/blob/main/format_description.txt) and checks every bound.

/**
 * At least the first `want` bytes (fewer only when the block is shorter) of a block that inflates to
 * `fullLength` bytes, as a buffer that ends where the decoded bytes end. With `cut`, `input` is only the block's
 * first bytes: what they hold is decoded, fewer than `want` bytes when they end first.
 */
export function snappyPrefix(input: Uint8Array, want: number, fullLength: number, cut = false): Uint8Array {
  let pos = 0;
  let declared = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) { throw new Error('snappy: bad length header'); }
    const b = input[pos++];
    declared += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) { break; }
  }
  if (declared !== fullLength) { throw new Error(`snappy: block inflates to ${declared} bytes, the page says ${fullLength}`); }
  // sized for the prefix and grown on demand: a full-size buffer per page would cost more than the decoding
  let output = new Uint8Array(Math.min(fullLength, want + 1024));
  let out = 0;
  const room = (extra: number) => {
    if (out + extra <= output.length) { return; }
    const grown = new Uint8Array(Math.min(fullLength, Math.max(out + extra, output.length * 2)));
    grown.set(output.subarray(0, out));
    output = grown;
  };
  while (out < want && pos < input.length) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let length = tag >>> 2;
      if (length >= 60) {
        const extra = length - 59;
        if (pos + extra > input.length) { if (cut) { break; } throw new Error('snappy: literal length cut off'); }
        length = 0;
        for (let k = 0; k < extra; k++) { length += input[pos + k] * 2 ** (8 * k); }
        pos += extra;
      }
      length += 1;
      if (out + length > fullLength) { throw new Error('snappy: literal runs past its block'); }
      if (pos + length > input.length) {
        if (!cut) { throw new Error('snappy: literal runs past its block'); }
        length = input.length - pos; // the rest of the literal is beyond the bytes read
      }
      room(length);
      output.set(input.subarray(pos, pos + length), out);
      pos += length;
      out += length;
      continue;
    }
    let length: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= input.length) { if (cut) { break; } throw new Error('snappy: copy cut off'); }
      length = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos++];
    } else if (kind === 2) {
      if (pos + 2 > input.length) { if (cut) { break; } throw new Error('snappy: copy cut off'); }
      length = (tag >>> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > input.length) { if (cut) { break; } throw new Error('snappy: copy cut off'); }
      length = (tag >>> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16)) + input[pos + 3] * 2 ** 24;
      pos += 4;
    }
    if (offset === 0 || offset > out || out + length > fullLength) { throw new Error('snappy: copy outside the output'); }
    room(length);
    if (offset >= length) {
      output.copyWithin(out, out - offset, out - offset + length);
    } else {
      for (let k = 0; k < length; k++) { output[out + k] = output[out - offset + k]; } // overlapping: repeats a pattern
    }
    out += length;
  }
  return output.slice(0, out);
}
