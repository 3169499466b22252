/**
 * Lets the app's own short write transactions and one long background job
 * (bulk changes, sample data) take turns on the database without either side
 * blocking the main thread in SQLite's busy wait: a job waits until the
 * transactions in flight have finished, and transactions that start while a
 * job holds the gate wait (asynchronously) until it ends. Reads never wait.
 */
export class WriteGate {
  private transactions = 0
  private jobHeld = false
  private jobQueued = 0
  private waiters: Array<() => void> = []
  private refusal: Error | null = null
  private waitingTransactions = 0

  /** True while a job holds the gate or waits for it. */
  get busy(): boolean {
    return this.jobHeld || this.jobQueued > 0
  }

  /** From now on every write is refused with this error (a file found damaged is never written to). */
  refuse(error: Error): void {
    this.refusal = error
    this.wake()
  }

  /** The desk's transactions (saves) waiting for a job to let go of the gate. */
  get transactionsWaiting(): number {
    return this.waitingTransactions
  }

  /** Waits until no job holds or wants the gate; returns the release to call when the transaction ends. */
  async enterTransaction(): Promise<() => void> {
    if (this.busy && !this.refusal) {
      this.waitingTransactions++
      try {
        while (this.busy && !this.refusal) await this.wait()
      } finally {
        this.waitingTransactions--
      }
    }
    if (this.refusal) throw this.refusal
    this.transactions++
    return once(() => {
      this.transactions--
      this.wake()
    })
  }

  /** Waits until no transaction is in flight and no other job holds the gate; returns the release. */
  async enterJob(): Promise<() => void> {
    this.jobQueued++
    try {
      while (this.jobHeld || this.transactions > 0) await this.wait()
    } finally {
      this.jobQueued--
    }
    this.jobHeld = true
    return once(() => {
      this.jobHeld = false
      this.wake()
    })
  }

  /**
   * For the job holding the gate, between two of its commits: the desk's
   * transactions waiting for it go first, then the gate is the job's again.
   * At once when nobody waits.
   */
  async passTurn(): Promise<void> {
    if (!this.jobHeld || this.waitingTransactions === 0 || this.refusal) return
    this.jobHeld = false
    this.wake()
    while (this.waitingTransactions > 0 || this.transactions > 0) await this.wait()
    this.jobHeld = true
  }

  private wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  private wake(): void {
    const waiting = this.waiters.splice(0)
    for (const resolve of waiting) resolve()
  }
}

function once(fn: () => void): () => void {
  let done = false
  return () => {
    if (done) return
    done = true
    fn()
  }
}
