import { z } from 'zod';
import type { S3Port } from '../aws/ports';
import { readJson, writeJson } from '../aws/s3-json';
import { listObjects } from '../aws/s3-list';
import type { MetricHistory, MetricSnapshot } from '../dqdl/history';

const snapshotSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  metrics: z.record(z.string(), z.number()),
});

/**
 * Metric history per table in the artifacts bucket (`history/<dataset>/<time>.json`), for dynamic
 * rules (`avg(last(10))`) and DetectAnomalies. Keys sort by time, so newest-first is a reverse.
 */
export class S3MetricHistory implements MetricHistory {
  private readonly cache = new Map<string, MetricSnapshot[]>();

  constructor(
    private readonly s3: S3Port,
    private readonly bucket: string,
  ) {}

  async values(dataset: string, metric: string, limit: number): Promise<number[]> {
    const out: number[] = [];
    for (const snap of await this.snapshots(dataset)) {
      if (out.length >= limit) break;
      const v = snap.metrics[metric];
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  async record(dataset: string, snapshot: MetricSnapshot): Promise<void> {
    const at = snapshot.at.toISOString();
    await writeJson(
      this.s3,
      { bucket: this.bucket, key: `${this.prefix(dataset)}${at.replace(/[-:.]/g, '')}.json` },
      { at, metrics: snapshot.metrics },
    );
    this.cache.delete(dataset);
  }

  private prefix(dataset: string): string {
    return `history/${dataset}/`;
  }

  /** Newest first. */
  private async snapshots(dataset: string): Promise<MetricSnapshot[]> {
    const cached = this.cache.get(dataset);
    if (cached) return cached;
    const keys: string[] = [];
    for await (const o of listObjects(this.s3, this.bucket, this.prefix(dataset)))
      if (o.Key) keys.push(o.Key);
    const snaps: MetricSnapshot[] = [];
    for (const key of keys.sort().reverse()) {
      const s = await readJson(this.s3, { bucket: this.bucket, key }, snapshotSchema);
      if (s) snaps.push({ at: new Date(s.at), metrics: s.metrics });
    }
    this.cache.set(dataset, snaps);
    return snaps;
  }
}
