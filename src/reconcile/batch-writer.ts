/**
 * Feeds a release writer in batches, keeping two in flight (one prepared while the other is written: see
 * ReleaseWriter.put), and counts the resources given.
 */
import type { ReleaseWriter, Resource } from '../store/store.js';

export class BatchWriter {
  readonly #writer: ReleaseWriter;
  readonly #size: number;
  #batch: Resource[] = [];
  #inFlight: Promise<unknown> | undefined;
  written = 0;

  constructor(writer: ReleaseWriter, size = 1000) {
    this.#writer = writer;
    this.#size = size;
  }

  async add(resource: Resource): Promise<void> {
    this.#batch.push(resource);
    if (this.#batch.length >= this.#size) {
      await this.#send();
    }
  }

  async #send(): Promise<void> {
    const batch = this.#batch;
    this.#batch = [];
    this.written += batch.length;
    const put = this.#writer.put(batch);
    // Handled when awaited below or in flush(); an early failure must not go unhandled meanwhile.
    put.catch(() => undefined);
    const previous = this.#inFlight;
    this.#inFlight = put;
    await previous;
  }

  async flush(): Promise<void> {
    if (this.#batch.length > 0) {
      await this.#send();
    }
    const last = this.#inFlight;
    this.#inFlight = undefined;
    await last;
  }
}
