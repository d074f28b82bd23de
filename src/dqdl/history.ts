// Ports the evaluator reads from but does not own: past metric values (dynamic rules,
// DetectAnomalies) and the files behind a table (File* rules). Adapters live elsewhere.

/** One evaluation run's metrics for a dataset. */
export interface MetricSnapshot {
  at: Date;
  metrics: Record<string, number>;
}

export interface MetricHistory {
  /** Past values of `metric` for `dataset`, most recent first, at most `limit`. */
  values(dataset: string, metric: string, limit: number): Promise<number[]>;
  /** Records a run's metrics (called by the owner of the history after an evaluation). */
  record(dataset: string, snapshot: MetricSnapshot): Promise<void>;
}

/** History kept in memory, newest last internally; also the reference semantics for adapters. */
export class InMemoryMetricHistory implements MetricHistory {
  private readonly runs = new Map<string, MetricSnapshot[]>();

  constructor(initial?: Record<string, MetricSnapshot[]>) {
    for (const [dataset, snaps] of Object.entries(initial ?? {})) {
      this.runs.set(
        dataset,
        [...snaps].sort((a, b) => a.at.getTime() - b.at.getTime()),
      );
    }
  }

  async values(dataset: string, metric: string, limit: number): Promise<number[]> {
    const snaps = this.runs.get(dataset) ?? [];
    const out: number[] = [];
    for (let i = snaps.length - 1; i >= 0 && out.length < limit; i--) {
      const v = snaps[i]!.metrics[metric];
      // a NaN (metric of an empty dataset) would poison avg/min/max of dynamic rules
      if (v !== undefined && Number.isFinite(v)) out.push(v);
    }
    return out;
  }

  async record(dataset: string, snapshot: MetricSnapshot): Promise<void> {
    const list = this.runs.get(dataset) ?? [];
    list.push({ at: snapshot.at, metrics: { ...snapshot.metrics } });
    list.sort((a, b) => a.at.getTime() - b.at.getTime());
    this.runs.set(dataset, list);
  }
}

/** A file behind the evaluated table. */
export interface FileEntry {
  /** full path/URI, e.g. `s3://bucket/prefix/part-0.parquet` or a local path */
  path: string;
  size: number;
  modified: Date;
}

export interface FileSet {
  /** Files under `prefix` (all of the table's files when omitted). */
  list(prefix?: string): Promise<FileEntry[]>;
  /** The file's bytes (for FileMatch / FileUniqueness hashing). */
  read(path: string): Promise<Uint8Array>;
}

/** A FileSet over a fixed list, with contents supplied by a callback (tests, local directories). */
export class StaticFileSet implements FileSet {
  constructor(
    private readonly entries: FileEntry[],
    private readonly reader: (path: string) => Promise<Uint8Array>,
  ) {}

  async list(prefix?: string): Promise<FileEntry[]> {
    return this.entries.filter((f) => prefix === undefined || f.path.startsWith(prefix));
  }

  read(path: string): Promise<Uint8Array> {
    return this.reader(path);
  }
}
