// A configuration file's bytes as text, decoded the way the program that
// reads the file decodes it, or the reason it cannot be, so a file is never
// linted as something other than what the Agent or Terraform will see.
//
// The Agent parses datadog.yaml with go-yaml, whose reader (libyaml's) picks
// the encoding from a byte order mark: UTF-16 LE or BE with one, else UTF-8
// (a UTF-8 BOM skipped); it refuses an invalid UTF-8 sequence or an unpaired
// UTF-16 surrogate, and then the Agent does not start. Terraform reads UTF-8
// only ("Invalid character encoding: All input files must be UTF-8 encoded").
// Decoding with replacement characters instead would let such a file pass.
// Pure: bytes in, text or a reason out.

export type Decoded = { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' } | { ok: false; reason: string };

export interface DecodeOptions {
  /** Whether a UTF-16 file with a byte order mark is read (the Agent's YAML) or refused (Terraform). */
  utf16: boolean;
  /** Who refuses what this cannot decode, for the reason: "the Agent", "Terraform". */
  reader: string;
}

/** How many leading bytes are looked at to recognise UTF-16 without a byte order mark. */
const SNIFF_BYTES = 512;

export function decodeText(bytes: Uint8Array, options: DecodeOptions): Decoded {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  const be = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (le || be) {
    const encoding = le ? 'utf-16le' : 'utf-16be';
    if (!options.utf16) return { ok: false, reason: `${encoding.toUpperCase()} text (it starts with a byte order mark); ${options.reader} reads UTF-8 only: save it as UTF-8` };
    try {
      // The decoder drops the byte order mark; `fatal` refuses an odd length or an unpaired surrogate, as go-yaml does.
      return { ok: true, text: new TextDecoder(encoding, { fatal: true }).decode(bytes), encoding };
    } catch {
      return { ok: false, reason: `not valid ${encoding.toUpperCase()} (an unpaired surrogate or an odd number of bytes); ${options.reader} refuses it` };
    }
  }
  const unmarked = utf16WithoutMark(bytes);
  if (unmarked) return { ok: false, reason: `${unmarked.toUpperCase()} text without a byte order mark; ${options.reader} reads it as UTF-8 and refuses it: save it as UTF-8` };
  const bad = firstInvalidUtf8(bytes);
  if (bad !== -1) {
    const { line, column } = positionOf(bytes, bad);
    return {
      ok: false,
      reason: `not valid UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')} at line ${line}, column ${column}: another encoding, such as Latin-1?); ${options.reader} refuses it: save it as UTF-8`,
    };
  }
  const text = new TextDecoder('utf-8').decode(bytes); // valid: nothing is replaced; a UTF-8 byte order mark is dropped
  return { ok: true, text, encoding: 'utf-8' };
}

/**
 * UTF-16 without a byte order mark: among the leading pairs of bytes, most
 * hold one NUL, always on the same side (`a\0b\0…`), which is what ASCII text
 * looks like in UTF-16 and never what UTF-8 text looks like.
 */
function utf16WithoutMark(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  if (n < 2) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    const a = bytes[i] === 0;
    const b = bytes[i + 1] === 0;
    if (a && !b) even++;
    else if (b && !a) odd++;
  }
  // A few characters above U+00FF (no NUL) or of U+0100..U+FFFF with a NUL low byte do not change the picture.
  const pairs = n / 2;
  if (odd * 2 > pairs && even * 8 < odd) return 'utf-16le';
  if (even * 2 > pairs && odd * 8 < even) return 'utf-16be';
  return undefined;
}

/**
 * The offset of the first byte that is not part of a well-formed UTF-8
 * sequence (RFC 3629: no overlong form, no surrogate, nothing above
 * U+10FFFF), or -1. One pass.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let width: number;
    let min: number;
    let cp: number;
    if ((b & 0xe0) === 0xc0) [width, min, cp] = [2, 0x80, b & 0x1f];
    else if ((b & 0xf0) === 0xe0) [width, min, cp] = [3, 0x800, b & 0x0f];
    else if ((b & 0xf8) === 0xf0) [width, min, cp] = [4, 0x10000, b & 0x07];
    else return i;
    if (i + width > n) return i;
    for (let k = 1; k < width; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += width;
  }
  return -1;
}

/** 1-based line and column (in bytes) of `offset`. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
