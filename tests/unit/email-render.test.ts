import { describe, expect, it } from 'vitest'
import { renderTemplate, type MergeView } from '../../main/services/mail/render'
import { templateProblems, validateTemplate } from '../../main/services/mail/validate'

/** The pure half of composing: a template and plain values in, subject, text and HTML out. */

const frame = { businessName: 'Studio <One>', businessAddress: '1 High St', businessPhone: '01225 000000', businessEmail: 'hi@studio.example' }

function view(extra: MergeView = {}): MergeView {
  return { firstName: 'Ann', lastName: 'Lee', booking: null, business: { name: 'Studio <One>', phone: '' }, custom: {}, unsubscribeUrl: '', accountUrl: '', ...extra }
}

const render = (body: string, values: MergeView = view(), subject = 'S') => renderTemplate({ subject, body }, values, frame)

describe('rendering a template', () => {
  it('keeps a subject on one line, whatever a value holds', () => {
    expect(render('B', view({ firstName: 'Ann\r\nBcc: x@example.com' }), 'Hi {{firstName}}').subject).toBe('Hi Ann Bcc: x@example.com')
  })

  it('drops section lines without leaving empty paragraphs or stray line breaks', () => {
    const body = 'Hello\n\n{{#booking}}\nRef {{booking.reference}}\n{{/booking}}\n\n- one\n{{#firstName}}\n- two {{firstName}}\n{{/firstName}}\n- three'
    const without = render(body)
    expect(without.html).not.toMatch(/<p[^>]*>\s*<\/p>|Ref|<br>\n<\/li>/)
    expect(without.text).toMatch(/^Hello\n\n- one\n- two Ann\n- three\n/)
    const withBooking = render(body, view({ booking: { reference: 'B-000001' } }))
    expect(withBooking.html).toContain('Ref B-000001')
    expect(withBooking.text).toContain('Hello\n\nRef B-000001\n\n- one')
  })

  it('reads names inside a section relative to it, and leaves Markdown in a value alone', () => {
    const out = render('{{#booking}}Ref {{reference}}{{/booking}} by {{firstName}}', view({ booking: { reference: '**B-1**' }, firstName: '_Ann_' }))
    expect(out.html).toContain('Ref **B-1** by _Ann_')
    expect(out.text).toMatch(/^Ref \*\*B-1\*\* by _Ann_\n/)
  })

  it('never links to javascript:, from the template or from a value', () => {
    const out = render('[a](javascript:alert(1)) [b]({{firstName}}) [c](mailto:{{firstName}}@example.com)', view({ firstName: 'javascript:alert(2)' }))
    expect(out.html).not.toMatch(/href="javascript:/i)
    expect(out.html).toContain('href="mailto:javascript:alert(2)@example.com"')
  })

  it('escapes the business details in the layout', () => {
    const out = render('Hi')
    expect(out.html).toContain('Studio &lt;One&gt;')
    expect(out.html).not.toContain('Studio <One>')
    expect(out.text).toContain('\n-- \nStudio <One>\n1 High St\n01225 000000\n')
  })
})

describe('checking a template without a customer file', () => {
  it('accepts the standard fields, custom fields and comments, and names every problem once', () => {
    expect(() => validateTemplate({ subject: 'Hi {{firstName}}', body: '{{! note to self }}{{custom.shoe_size}} {{#booking}}{{time}}{{/booking}}' })).not.toThrow()
    expect(templateProblems({ subject: '{{x}} {{x}}', body: '{{{y}}} {{>z}}' }).map((p) => p.field)).toEqual(['subject', 'body', 'body'])
  })
})
