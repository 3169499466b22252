import type { CatalogueItem, CatalogueSession, listSessionsInput, saveCatalogueItemInput, saveSessionInput } from '../../../preload/contract'
import type { z } from 'zod'
import type { ServiceContext } from '../context'

const notBuilt = (): never => {
  throw new Error('Not built yet')
}

export async function listCatalogue(_ctx: ServiceContext): Promise<CatalogueItem[]> {
  return notBuilt()
}
export async function saveCatalogueItem(_ctx: ServiceContext, _input: z.output<typeof saveCatalogueItemInput>): Promise<CatalogueItem> {
  return notBuilt()
}
export async function deleteCatalogueItem(_ctx: ServiceContext, _id: number): Promise<CatalogueItem[]> {
  return notBuilt()
}
export async function listSessions(_ctx: ServiceContext, _input: z.output<typeof listSessionsInput>): Promise<CatalogueSession[]> {
  return notBuilt()
}
export async function saveSession(_ctx: ServiceContext, _input: z.output<typeof saveSessionInput>): Promise<CatalogueSession> {
  return notBuilt()
}
export async function deleteSession(_ctx: ServiceContext, _id: number): Promise<{ deleted: number }> {
  return notBuilt()
}
