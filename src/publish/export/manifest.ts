/**
 * The completion manifest of an export and the progress of a running one.
 * https://hl7.org/fhir/uv/bulkdata/export.html#response---complete-status
 */
import type { ExportJob } from './job.js';

export interface Manifest {
  readonly transactionTime: string;
  readonly request: string;
  readonly requiresAccessToken: boolean;
  readonly output: readonly { readonly type: string; readonly url: string; readonly count: number }[];
  readonly error: readonly { readonly type: string; readonly url: string }[];
}

/** `fileUrl` gives the URL a client downloads a file of the job from. */
export function manifestOf(job: ExportJob, fileUrl: (file: string) => string): Manifest {
  return {
    transactionTime: job.transactionTime,
    request: job.request,
    // Files cut to a key's perimeter are fetched with that key.
    requiresAccessToken: job.keyId !== undefined,
    output: job.output.map((o) => ({ type: o.type, url: fileUrl(o.file), count: o.count })),
    error: [],
  };
}

/** The X-Progress header of a running job (free text in the spec). */
export function progressOf(job: ExportJob): string {
  const percent = job.total > 0 ? Math.floor((100 * job.done) / job.total) : 0;
  return `${percent}% (${job.done} of ${job.total} resources read)`;
}
