import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Input, StaffRole, StaffSession } from '../../../preload/contract'
import { guardSession, invoke, sinceLastCall, type SessionLoss } from '../services/api'

/** Roles from least to most trusted: a screen open to one is open to those above it. */
const rank: Record<StaffRole, number> = { team: 0, staff: 1, admin: 2 }

export const roleLabels: Record<StaffRole, string> = { admin: 'Administrator', staff: 'Staff', team: 'Team member' }

/**
 * Who is at the desk. Main keeps the session (signed in, locked, signed
 * out, or first-run set-up); this store mirrors it for the screens, and is
 * where the api layer sends a call main refused for want of someone signed
 * in: the sign-in or lock screen shows, and the call goes through once the
 * same person is back. Someone else signing in starts the window afresh, so
 * nothing the last person had open stays in memory.
 */
export const useSessionStore = defineStore('session', () => {
  const session = ref<StaffSession | null>(null)
  /** Set when the desk could not even ask main who is signed in. */
  const loadProblem = ref('')
  /** The person whose work this window holds (pages opened, lists loaded); null until someone has signed in. */
  const owner = ref<number | null>(null)
  /** The sign-in list shown over the desk to hand it to someone else, while the current person stays signed in. */
  const switching = ref(false)
  /** Calls main refused, waiting for the person to be back. */
  let waiting: Array<() => void> = []
  /** The window is starting afresh for someone else: the desk stays covered until it has. */
  const restarting = ref(false)

  const state = computed(() => session.value?.state ?? null)
  const me = computed(() => session.value?.staff ?? null)
  const role = computed<StaffRole | null>(() => (state.value === 'signedIn' ? (me.value?.role ?? null) : null))
  const isAdmin = computed(() => role.value === 'admin')
  const isTeam = computed(() => role.value === 'team')
  const lockAfterMinutes = computed(() => session.value?.lockAfterMinutes ?? 0)
  const people = computed(() => session.value?.people ?? [])
  /** A sign-in, set-up or lock screen covers the desk. */
  const gated = computed(() => state.value !== 'signedIn' || switching.value || restarting.value)

  /** Whether the signed-in person's role reaches `needed` (main decides again on every call). */
  function allows(needed: StaffRole | undefined): boolean {
    if (!needed) return true
    return role.value !== null && rank[role.value] >= rank[needed]
  }

  /**
   * Drops everything the window holds and opens it again, on the same page,
   * for whoever is signed in now. Unsaved work of the last person is theirs,
   * not the next person's: nothing may hold the window back.
   */
  function restart(): void {
    restarting.value = true
    window.location.reload()
  }

  window.addEventListener(
    'beforeunload',
    (event) => {
      if (restarting.value) event.stopImmediatePropagation()
    },
    { capture: true },
  )

  /** Takes main's answer; `arrived`: someone has just signed in or unlocked (a hand-over in progress is over). */
  function adopt(next: StaffSession, arrived = false): StaffSession {
    session.value = next
    if (next.state !== 'signedIn' || !next.staff) return next
    if (owner.value !== null && owner.value !== next.staff.id) {
      restart()
      return next
    }
    owner.value = next.staff.id
    if (arrived) switching.value = false
    const resume = waiting
    waiting = []
    resume.forEach((go) => go())
    return next
  }

  async function load(): Promise<StaffSession> {
    try {
      const next = adopt(await invoke('staff:session', undefined))
      loadProblem.value = ''
      return next
    } catch (failure) {
      loadProblem.value = failure instanceof Error ? failure.message : 'Frontdesk could not open the desk.'
      throw failure
    }
  }

  /** Asks main again, e.g. for the people list; keeps the screen as it is when main cannot answer. */
  async function refresh(): Promise<void> {
    await load().catch(() => undefined)
  }

  async function setUp(input: Input<'staff:setUp'>): Promise<void> {
    adopt(await invoke('staff:setUp', input), true)
  }

  async function signIn(input: Input<'staff:signIn'>): Promise<void> {
    adopt(await invoke('staff:signIn', input), true)
  }

  async function unlock(input: Input<'staff:unlock'>): Promise<void> {
    adopt(await invoke('staff:unlock', input), true)
  }

  async function lock(): Promise<void> {
    if (state.value !== 'signedIn') return
    switching.value = false
    adopt(await invoke('staff:lock', {}))
  }

  async function signOut(): Promise<void> {
    await invoke('staff:signOut', {})
    restart()
  }

  /** Opens the sign-in list over the desk; the current person stays signed in until someone else signs in. */
  function startSwitch(): void {
    switching.value = true
    void refresh()
  }

  function cancelSwitch(): void {
    switching.value = false
  }

  async function changePassword(input: Input<'staff:changePassword'>): Promise<void> {
    await invoke('staff:changePassword', input)
  }

  async function setPin(input: Input<'staff:setPin'>): Promise<void> {
    adopt(await invoke('staff:setPin', input))
  }

  /**
   * Someone is using the desk without anything that reaches main (typing a
   * long note, reading a page): tell main now and then, so its own
   * inactivity lock does not fall on a person at work.
   */
  function stillHere(): void {
    const limit = lockAfterMinutes.value * 60_000
    if (state.value !== 'signedIn' || limit <= 0 || sinceLastCall() < limit / 2) return
    void invoke('settings:get', undefined).catch(() => undefined)
  }

  /** Main refused a call: show the screen that brings the person back, and wait for them. */
  function lost(loss: SessionLoss): Promise<void> {
    if (session.value) {
      session.value = { ...session.value, state: loss, staff: loss === 'locked' ? session.value.staff : null }
    }
    void refresh()
    return new Promise((resolve) => waiting.push(resolve))
  }

  guardSession(lost)

  return {
    session,
    restarting,
    loadProblem,
    owner,
    switching,
    state,
    me,
    role,
    isAdmin,
    isTeam,
    lockAfterMinutes,
    people,
    gated,
    allows,
    load,
    refresh,
    setUp,
    signIn,
    unlock,
    lock,
    signOut,
    startSwitch,
    cancelSwitch,
    changePassword,
    setPin,
    stillHere,
  }
})
