/**
 * The JSON `gpuctl detect --json` prints (DetectResult, schemaVersion 1), as a schema: what a reader
 * of that output (deploy's --verify-gpu, which runs detect inside a machine, maybe of another gpuctl
 * version) parses it with, instead of picking fields by hand. Loose: fields a newer detect adds pass
 * through; the ones a reader relies on are typed. A test holds it to detect's own output.
 */
import { z } from 'zod';
import { DETECT_SCHEMA_VERSION } from './detect.js';

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

export const DetectedGpuJson = z.looseObject({
  index: z.number().int().optional(),
  /** nvidia-smi's name; a detect that printed none reads as "unknown GPU". */
  name: z.string().catch('unknown GPU'),
  uuid: nullable(z.string()),
  memoryMiB: nullable(z.number()),
  driverVersion: nullable(z.string()),
});

export const DetectJson = z.looseObject({
  schemaVersion: z.literal(DETECT_SCHEMA_VERSION),
  source: z.enum(['nvidia-smi', 'systeminformation']).optional(),
  driverVersion: nullable(z.string()),
  cudaVersion: nullable(z.string()),
  gpus: z.array(DetectedGpuJson),
});

export type DetectJsonResult = z.infer<typeof DetectJson>;

/** detect's JSON from its text; undefined when the text is not that JSON (another tool's output, an error page). */
export function parseDetectJson(text: string): DetectJsonResult | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = DetectJson.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}
