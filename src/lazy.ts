/**
 * A module loaded on first use. The NLP, OCR and document libraries take about a second to load
 * between them; commands that never call them (tags, access, dq lint, …) should not pay for it.
 */
export function lazy<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined;
  return () => {
    loaded ??= { value: load() };
    return loaded.value;
  };
}
