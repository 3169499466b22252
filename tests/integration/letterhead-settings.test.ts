import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { loadBusinessDetails } from '../../main/pdf/business'

let app: TestCore
beforeEach(async () => {
  app = await openTestCore()
})
afterEach(async () => {
  await app.cleanup()
})

async function picture(width: number, height: number, format: 'png' | 'jpeg' | 'webp', alpha = false): Promise<Uint8Array<ArrayBuffer>> {
  const canvas = sharp({ create: { width, height, channels: alpha ? 4 : 3, background: alpha ? { r: 30, g: 110, b: 140, alpha: 0.5 } : '#1f6f8b' } })
  return Uint8Array.from(await canvas.toFormat(format).toBuffer())
}

const settingsLog = () => app.db('change_log').where({ entity_type: 'settings' }).orderBy('id').select('summary', 'changes')

describe('the letterhead settings', () => {
  it('keep the address (lines as typed), phone and email, checked like a customer’s, and log each change', async () => {
    const saved = await app.invoke('settings:update', {
      businessAddress: '  12 Quay Street\r\nBristol\r\nBS1 4DJ  ',
      businessPhone: '0117 496 0000',
      businessEmail: 'hello@harbour.example',
    })
    expect(saved).toMatchObject({ businessAddress: '12 Quay Street\nBristol\nBS1 4DJ', businessPhone: '0117 496 0000', businessEmail: 'hello@harbour.example' })
    expect(await app.invoke('settings:get', undefined)).toMatchObject(saved)
    const [entry] = await settingsLog()
    expect(JSON.parse(entry.changes)).toEqual(
      expect.arrayContaining([
        { field: 'Business address', before: null, after: '12 Quay Street\nBristol\nBS1 4DJ' },
        { field: 'Business email', before: null, after: 'hello@harbour.example' },
      ]),
    )
    for (const [patch, field] of [
      [{ businessEmail: 'hello@@harbour' }, 'businessEmail'],
      [{ businessEmail: 'a b@example.com' }, 'businessEmail'],
      [{ businessPhone: 'call us' }, 'businessPhone'],
      [{ businessPhone: '0117\u202e496' }, 'businessPhone'],
      [{ businessAddress: Array.from({ length: 9 }, (_, i) => `Line ${i}`).join('\n') }, 'businessAddress'],
    ] as const) {
      const result = await app.call('settings:update', patch)
      expect(result, JSON.stringify(patch)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field } })
    }
    expect(await settingsLog()).toHaveLength(1)
    expect(await loadBusinessDetails(app.db)).toEqual({
      name: 'My Business',
      addressLines: ['12 Quay Street', 'Bristol', 'BS1 4DJ'],
      phone: '0117 496 0000',
      email: 'hello@harbour.example',
      logo: null,
    })
  })

  it('take a logo: at most 600 px, PNG kept PNG (transparency), a photo as JPEG, WebP made PNG or JPEG; the printout gets a JPEG', async () => {
    const big = await app.invoke('settings:setLogo', { image: await picture(2400, 800, 'png', true) })
    expect(big).toMatchObject({ mime: 'image/png', width: 600, height: 200 })
    expect((await sharp(big.bytes).metadata()).hasAlpha).toBe(true)
    const printed = (await loadBusinessDetails(app.db)).logo!
    expect(printed).toMatchObject({ mime: 'image/jpeg', width: 600, height: 200 })
    expect((await sharp(printed.bytes).metadata()).format).toBe('jpeg')

    expect(await app.invoke('settings:setLogo', { image: await picture(300, 1200, 'jpeg') })).toMatchObject({ mime: 'image/jpeg', width: 150, height: 600 })
    expect(await app.invoke('settings:setLogo', { image: await picture(200, 100, 'webp') })).toMatchObject({ mime: 'image/jpeg', width: 200, height: 100 })
    expect(await app.invoke('settings:setLogo', { image: await picture(200, 100, 'webp', true) })).toMatchObject({ mime: 'image/png', width: 200, height: 100 })
    expect(await app.invoke('settings:logo', undefined)).toMatchObject({ mime: 'image/png', width: 200, height: 100 })

    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).gif().toBuffer()
    for (const image of [Uint8Array.from(gif), Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), Uint8Array.from(new TextEncoder().encode('not a picture'))]) {
      expect(await app.call('settings:setLogo', { image })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'image' } })
    }
    expect(await app.invoke('settings:logo', undefined)).toMatchObject({ width: 200 })

    expect(await app.invoke('settings:removeLogo', {})).toBeNull()
    expect(await app.invoke('settings:logo', undefined)).toBeNull()
    expect((await settingsLog()).map((e) => e.summary)).toEqual([
      'Letterhead logo added',
      'Letterhead logo replaced',
      'Letterhead logo replaced',
      'Letterhead logo replaced',
      'Letterhead logo removed',
    ])
    // Removing nothing changes nothing.
    await app.invoke('settings:removeLogo', {})
    expect(await settingsLog()).toHaveLength(5)
  })

  it('read the other settings without the logo, and one unreadable stored value falls back alone', async () => {
    await app.invoke('settings:setLogo', { image: await picture(100, 50, 'png') })
    await app.db('settings').insert({ key: 'businessEmail', value: JSON.stringify('not an email') }).onConflict('key').merge()
    await app.db('settings').insert({ key: 'businessName', value: JSON.stringify('Harbour Yoga') }).onConflict('key').merge()
    expect(await app.invoke('settings:get', undefined)).toMatchObject({
      businessName: 'Harbour Yoga',
      defaultCountry: 'GB',
      recycleBinDays: 30,
      currency: 'GBP',
      businessAddress: '',
      businessPhone: '',
      businessEmail: '',
    })
  })
})
