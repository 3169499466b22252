import type { BulkConnection } from '../../db/bulk'

/**
 * Ids for sample rows written with their ids, taken from the table a block at a time
 * (BulkConnection.reserveIds): never one a removed row had (its history in the change log would
 * pass to the new row), nor one a desk is given meanwhile on a server. A block's unused ids stay unused.
 */
export class IdBlocks {
  private next = 0
  private end = 0

  constructor(
    private readonly conn: BulkConnection,
    private readonly table: string,
    private readonly block: number,
  ) {}

  async take(): Promise<number> {
    if (this.next >= this.end) {
      this.next = await this.conn.reserveIds(this.table, this.block)
      this.end = this.next + this.block
    }
    return this.next++
  }
}
