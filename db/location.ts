/**
 * Where the customer data lives: a SQLite file (a path) or a PostgreSQL
 * server (a postgres:// or postgresql:// URL) that several desks share.
 */
export function isServerDatabase(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location)
}

/** The location as it may be shown or logged: a server URL without its password. */
export function describeLocation(location: string): string {
  if (!isServerDatabase(location)) return location
  try {
    const url = new URL(location)
    url.password = ''
    return url.toString()
  } catch {
    return 'a PostgreSQL server'
  }
}
