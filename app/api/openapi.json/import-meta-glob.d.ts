// `import.meta.glob` (Turbopack and Vite/Vitest): file path → lazy module thunk.
interface ImportMeta {
  glob<T = unknown>(patterns: string | string[]): Record<string, () => Promise<T>>;
}
