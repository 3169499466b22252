import { copyFile, rename, rm } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import { NotFound } from '../errors'

/** Files the desk chose in this session, by the id the window knows them by: the window never names a path. */
export class ChosenFiles {
  private readonly files = new Map<string, string>()

  add(file: string): string {
    const id = randomBytes(16).toString('hex')
    this.files.set(id, file)
    return id
  }

  get(id: string): string {
    const file = this.files.get(id)
    if (!file) throw new NotFound('Choose the file again: Frontdesk was restarted since it was chosen.')
    return file
  }
}

/** Where each check or import job keeps its rejected rows until the desk saves them. */
export class RejectFiles {
  private readonly files = new Map<number, string>()

  set(jobId: number, file: string): void {
    this.files.set(jobId, file)
  }

  get(jobId: number): string {
    const file = this.files.get(jobId)
    if (!file) throw new NotFound('These rejected rows are no longer kept; check the file again.')
    return file
  }
}

/** Copies a file whole under the chosen name: a temporary name in the same folder first, renamed when complete. */
export async function copyWhole(source: string, target: string): Promise<void> {
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await copyFile(source, temporary)
    await rename(temporary, target)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}
