/**
 * A text file written line by line through a buffer, with backpressure: the caller awaits each write, so a slow
 * disk slows the reader of the store rather than filling memory.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Characters buffered before they are handed to the stream. */
const BUFFER_CHARS = 256 * 1024;

export class LineFile {
  readonly #stream: WriteStream;
  readonly #encode: (text: string) => Buffer;
  #buffer = '';
  lines = 0;

  constructor(
    readonly path: string,
    encode: (text: string) => Buffer = (t) => Buffer.from(t, 'utf8'),
  ) {
    this.#stream = createWriteStream(path);
    this.#encode = encode;
  }

  /** Adds one line (terminated by the caller). */
  async write(line: string): Promise<void> {
    this.#buffer += line;
    this.lines++;
    if (this.#buffer.length >= BUFFER_CHARS) {
      await this.#flush();
    }
  }

  async #flush(): Promise<void> {
    if (this.#buffer === '') {
      return;
    }
    const chunk = this.#encode(this.#buffer);
    this.#buffer = '';
    if (!this.#stream.write(chunk)) {
      await once(this.#stream, 'drain');
    }
  }

  async close(): Promise<void> {
    await this.#flush();
    this.#stream.end();
    await once(this.#stream, 'finish');
  }

  /** Closes without caring for the content (after a failure). */
  destroy(): void {
    this.#stream.destroy();
  }
}
