import { describe, expect, it } from 'vitest'
import { shellViewer } from '../../main/fileDialogs'
import { DomainError } from '../../main/services/errors'

describe('the system viewer', () => {
  it('opens the file through the shell', async () => {
    const opened: string[] = []
    await shellViewer({ openPath: async (path) => (opened.push(path), '') }).openFile('/tmp/printouts/a.pdf')
    expect(opened).toEqual(['/tmp/printouts/a.pdf'])
  })

  it('turns the shell’s error text into a message the desk can act on', async () => {
    const failing = shellViewer({ openPath: async () => 'No application is registered as handling this file' })
    const error = await failing.openFile('/tmp/printouts/a.pdf').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DomainError)
    expect(error).toMatchObject({
      code: 'STORAGE',
      message: 'The PDF could not be opened (No application is registered as handling this file). Save it instead and open it from its folder.',
    })
  })
})
