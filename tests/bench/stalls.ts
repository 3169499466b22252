/**
 * How long the main thread stops answering, at a million customers, while
 * the desk does its heaviest things through the real router: opening the
 * file, sample data, bulk changes, the settings screens' lists, tag and list
 * deletions, and the idle upkeep. Target: under 100 ms for every one (the
 * window freezes for that long); long work runs in the job worker and only
 * its progress reaches the main thread.
 */
import type { Channel, Input, JobStatus, Output } from '../../preload/contract'
import { firstRow } from '../../db/queries/customerList'
import { longestStall } from '../helpers/stall'
import { freshCopy, openWorkCopy, removeDatabase } from './cache'
import { record } from './measure'

const TARGET_MS = 100

export async function benchStalls(options: { cacheFile: string; workFile: string }): Promise<void> {
  console.log('Main-thread stalls — 1,000,000 customers')
  freshCopy(options.cacheFile, options.workFile)
  const opened = await longestStall(() => openWorkCopy(options.workFile))
  const core = opened.result.core
  record('stall: opening the file and its quick check (in the worker)', opened.stallMs, `took ${opened.ms.toFixed(0)} ms`, TARGET_MS)
  try {
    const call = async <C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> => {
      const result = await core.dispatch(channel, input, { url: 'app://bench', isTopFrame: true })
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
      return result.data as Output<C>
    }
    const job = async (start: () => Promise<JobStatus>): Promise<JobStatus> => {
      let status = await start()
      while (status.state === 'queued' || status.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 100))
        status = await call('jobs:get', { id: status.id })
      }
      if (status.state !== 'done') throw new Error(`${status.label}: ${status.error?.message}`)
      return status
    }
    const stall = async (label: string, work: () => Promise<unknown>) => {
      const { stallMs, ms } = await longestStall(work)
      record(`stall: ${label}`, stallMs, `took ${(ms / 1000).toFixed(1)} s`, TARGET_MS)
    }

    const ids = (sql: string) => core.db.raw(sql).then((rows) => (rows as Array<{ id: number }>).map((r) => r.id))
    const archive = await ids(`SELECT id FROM customers WHERE status = 'active' ORDER BY id DESC LIMIT 46000`)
    await stall('bulk archive of 46,000 customers (job)', () => job(() => call('customers:bulk', { selection: { kind: 'ids', ids: archive }, action: { kind: 'archive' } })))
    const tagged = await ids(`SELECT id FROM customers WHERE status = 'active' ORDER BY id LIMIT 46000`)
    await stall('bulk tag of 46,000 customers (job)', () => job(() => call('customers:bulk', { selection: { kind: 'ids', ids: tagged }, action: { kind: 'tag', tagName: 'Bench bulk' } })))
    await stall('adding 10,000 sample customers (job)', () => job(() => call('demo:seed', { count: 10_000, seed: 99 })))

    await stall('settings: tags with their counts (tags:usage)', () => call('tags:usage', undefined))
    await stall('settings: lists with their counts (groups:usage)', () => call('groups:usage', undefined))
    await stall('settings: recycle bin (recycleBin:list)', () => call('recycleBin:list', undefined))
    await stall('reminders due (notes:reminders)', () => call('notes:reminders', { dueOn: '2030-01-01' }))
    const regular = firstRow<{ id: number }>(await core.db.raw(`SELECT id FROM tags WHERE name = 'Regular'`))!.id
    const lapsed = firstRow<{ id: number }>(await core.db.raw(`SELECT id FROM tags WHERE name = 'Lapsed'`))!.id
    await stall('merging the tag “Lapsed” (8%) into “Regular” (40%) (job)', () => job(() => call('tags:merge', { sourceId: lapsed, targetId: regular })))
    await stall('deleting the tag “Regular” (held by 40%) (job)', () => job(() => call('tags:delete', { id: regular })))
    const members = firstRow<{ id: number }>(await core.db.raw(`SELECT id FROM customer_groups WHERE name = 'Members'`))!.id
    await stall('deleting the list “Members” (15%) (job)', () => job(() => call('groups:delete', { id: members })))

    await stall('idle upkeep after all that (merge slices in the worker, then a checkpoint)', async () => {
      const times = await core.jobs.tidy()
      const slices = times.slice(0, -1).sort((a, b) => a - b)
      const p95 = slices[Math.min(slices.length - 1, Math.floor(slices.length * 0.95))] ?? 0
      record('idle upkeep: one merge slice in the worker (a save waits at most this)', p95, `${slices.length} slices, p95; checkpoint ${(times.at(-1) ?? 0).toFixed(0)} ms`, 50)
    })
  } finally {
    await core.close()
    removeDatabase(options.workFile)
  }
}
