/**
 * The first line of a file (its header), to recognise its kind before reading it: UTF-8, or Windows-1252 when
 * the bytes are not UTF-8 (as the importer decodes, sources/input/decode.ts).
 */
import type { SourceFile } from '../../sources/input/source-file.js';

/** A header is far shorter; past this, the file has no line structure worth reading. */
const MAX_HEADER_BYTES = 64 * 1024;

export async function firstLine(file: SourceFile): Promise<string> {
  const stream = await file.open();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const eol = chunk.indexOf(0x0a);
      chunks.push(eol < 0 ? chunk : chunk.subarray(0, eol));
      size += chunk.length;
      if (eol >= 0 || size >= MAX_HEADER_BYTES) {
        break;
      }
    }
  } finally {
    stream.destroy();
  }
  const bytes = Buffer.concat(chunks).subarray(0, MAX_HEADER_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return text.replace(/\r$/, '');
}
