/**
 * Text decoding of the national files: UTF-8 (the published encoding, with or without a BOM), falling back to
 * Windows-1252 for the whole file when it is not valid UTF-8 (older extracts and the CPS file are Latin-1;
 * Windows-1252 is its superset as browsers and WHATWG define it). The fallback restarts from the first byte, so
 * no line is decoded twice with two encodings.
 * https://encoding.spec.whatwg.org/#windows-1252
 */
export type TextEncoding = 'utf-8' | 'windows-1252';

/** Raised inside a decode pass when the bytes are not UTF-8; the caller restarts with Windows-1252. */
export class NotUtf8 extends Error {
  constructor() {
    super('not UTF-8');
  }
}

/** A streaming decoder for one pass over a file. */
export function decoder(encoding: TextEncoding): (chunk: Uint8Array | undefined) => string {
  // fatal: an invalid sequence throws instead of becoming U+FFFD, so a Latin-1 file is detected, not garbled.
  const d = new TextDecoder(encoding, { fatal: encoding === 'utf-8', ignoreBOM: false });
  return (chunk) => {
    try {
      return chunk === undefined ? d.decode() : d.decode(chunk, { stream: true });
    } catch {
      throw new NotUtf8();
    }
  };
}
