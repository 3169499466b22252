import type { CustomerDetail, CustomerInput } from '../../preload/contract'

/** A record as loaded, as the edit form would send it back (phones and addresses kept by id), with some fields changed. */
export function customerInputOf(customer: CustomerDetail, changes: Partial<CustomerInput> = {}): CustomerInput {
  return {
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: customer.displayNameIsCustom ? customer.displayName : '',
    company: customer.company,
    email: customer.email,
    source: customer.source,
    phones: customer.phones.map(({ id, label, number, isPrimary }) => ({ id, label, number, isPrimary })),
    addresses: customer.addresses.map(({ id, label, line1, line2, city, region, postcode, country, isDefaultLetters, isDefaultService }) => ({
      id,
      label,
      line1,
      line2,
      city,
      region,
      postcode,
      country,
      isDefaultLetters,
      isDefaultService,
    })),
    ...changes,
  }
}
