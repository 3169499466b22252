import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/** Every .ts file under `dir`, as absolute paths. */
export function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return typeScriptFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g

/** The files a module imports or re-exports by relative path (type-only imports included), resolved to absolute paths. */
export function relativeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8')
  const found: string[] = []
  for (const match of source.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2]
    if (!specifier?.startsWith('.')) continue
    const base = resolve(dirname(file), specifier)
    const target = [`${base}.ts`, join(base, 'index.ts'), base].find((path) => existsSync(path) && statSync(path).isFile())
    if (target) found.push(target)
  }
  return found
}

/** Import cycles among `files` (each as a list of paths relative to `root`, first file repeated at the end); empty when there are none. */
export function importCycles(files: string[], root: string): string[][] {
  const inside = new Set(files)
  const edges = new Map(files.map((file) => [file, relativeImports(file).filter((target) => inside.has(target))]))
  const cycles: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (file: string): void => {
    state.set(file, 'open')
    path.push(file)
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].map((p) => relative(root, p)))
      else if (!state.has(next)) visit(next)
    }
    path.pop()
    state.set(file, 'done')
  }
  for (const file of files) if (!state.has(file)) visit(file)
  return cycles
}
