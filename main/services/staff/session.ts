import type { StaffMember } from '../context'

interface SignedIn {
  staff: StaffMember
  locked: boolean
  /** When the desk was last used (ms, wall clock): the inactivity lock counts from here. */
  lastCallAt: number
}

/**
 * Who is at the desk, held by the main process only (the renderer is told,
 * never trusted): signed out, signed in, or signed in with the desk locked.
 */
export class DeskSession {
  private current: SignedIn | null

  constructor(
    staff: StaffMember | null,
    /** Wall-clock time for the inactivity lock (the data's clock may be fixed in tests). */
    private readonly now: () => number = Date.now,
  ) {
    this.current = staff ? { staff, locked: false, lastCallAt: now() } : null
  }

  /** The signed-in person, also while the desk is locked. */
  get person(): StaffMember | null {
    return this.current?.staff ?? null
  }

  get locked(): boolean {
    return this.current?.locked ?? false
  }

  signIn(staff: StaffMember): void {
    this.current = { staff, locked: false, lastCallAt: this.now() }
  }

  signOut(): void {
    this.current = null
  }

  lock(): void {
    if (this.current) this.current.locked = true
  }

  unlock(): void {
    if (this.current) this.current = { ...this.current, locked: false, lastCallAt: this.now() }
  }

  /** Their name or role changed while signed in: later calls act as the new one. */
  refresh(staff: StaffMember): void {
    if (this.current?.staff.id === staff.id) this.current = { ...this.current, staff }
  }

  /**
   * Notes a call: when the desk has gone unused longer than `lockAfterMinutes`
   * (0 = never) it locks first, so the call is refused as locked. Calls that
   * do not count as use (the sign-in screen asking who is there) only check.
   */
  noteCall(lockAfterMinutes: number, counts = true): void {
    const current = this.current
    if (!current || current.locked) return
    const now = this.now()
    if (lockAfterMinutes > 0 && now - current.lastCallAt > lockAfterMinutes * 60_000) current.locked = true
    else if (counts) current.lastCallAt = now
  }

  /** Moves the last use back (tests of the inactivity lock). */
  idleFor(ms: number): void {
    if (this.current) this.current.lastCallAt = this.now() - ms
  }

  /** When the desk was last used (ms), or null when no one is signed in. */
  get lastCallAt(): number | null {
    return this.current?.lastCallAt ?? null
  }
}
