/**
 * A set of 52-bit hashes (merge.ts: the keys already compared, one per person of a national file) in a typed
 * array with open addressing. A Set<number> of millions of values above 2^31 holds each as a heap number: the
 * garbage collector then walks millions of objects on every full collection (bench: diff).
 */
export class KeySet {
  /** The hashes plus one (0 marks a free slot), linear probing; at most half full. */
  #slots = new Float64Array(1 << 16);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  has(hash: number): boolean {
    const slots = this.#slots;
    const mask = slots.length - 1;
    const stored = hash + 1;
    for (let i = (hash >>> 0) & mask; ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === stored) {
        return true;
      }
      if (s === 0) {
        return false;
      }
    }
  }

  add(hash: number): void {
    if ((this.#size + 1) * 2 > this.#slots.length) {
      this.#grow();
    }
    if (this.#insert(this.#slots, hash + 1)) {
      this.#size++;
    }
  }

  #insert(slots: Float64Array, stored: number): boolean {
    const mask = slots.length - 1;
    // `stored - 1` is the hash: its low 32 bits pick the first slot.
    for (let i = ((stored - 1) >>> 0) & mask; ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === stored) {
        return false;
      }
      if (s === 0) {
        slots[i] = stored;
        return true;
      }
    }
  }

  #grow(): void {
    const old = this.#slots;
    const slots = new Float64Array(old.length * 2);
    for (const s of old) {
      if (s !== 0) {
        this.#insert(slots, s);
      }
    }
    this.#slots = slots;
  }
}
