/** At most `limit` pieces of work at once; the rest wait their turn in arrival order. */
export class Gate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // A waiter takes over this place, so `active` stays as it is.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
