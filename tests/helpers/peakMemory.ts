import { readFileSync } from 'node:fs'

/**
 * This process's peak resident memory in MB. On Linux from the kernel's
 * high-water mark of its own address space (VmHWM): the rusage figure keeps
 * the peak of the parent a child was forked from, so a child started by a
 * large process would report the parent's size, not its own.
 */
export function peakMemoryMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (match) return Number(match[1]) / 1024
  } catch {
    // Not Linux: the rusage figure is the best there is.
  }
  return process.resourceUsage().maxRSS / 1024
}
