// A small least-recently-used map (Map keeps insertion order; a hit re-inserts).

export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) { this.map.delete(key); this.map.set(key, v); }
    return v;
  }

  peek(key: K): V | undefined { return this.map.get(key); }

  has(key: K): boolean { return this.map.has(key); }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as K;
      this.map.delete(oldest);
    }
  }

  clear(): void { this.map.clear(); }
  get size(): number { return this.map.size; }
}
