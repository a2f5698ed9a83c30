/**
 * Fly's fixed catalogues as flyctl v0.4.87 sees them.
 * - VM presets: fly-go `MachinePresets` (shared-cpu-Nx 256 MB/CPU, performance-Nx 2048 MB/CPU) plus the
 *   GPU presets fly-go still resolves locally (a10, l40s, a100-40gb, a100-80gb: performance, 8 CPUs,
 *   32768 MB, 1 GPU) that the Machines API rejects since 2026-08-01 (flyio-facts.md §0, §1.3).
 * - Regions: the 18 of superfly/docs reference/regions.html.markerb. Coordinates are the cities';
 *   capacity and mpg_available are plausible made-up values (the API's are live numbers).
 */
import { compareGo } from './gojson.mjs';
import { FlyError } from './errors.mjs';

export const VM_PRESETS = {};
for (const n of [1, 2, 4, 6, 8]) VM_PRESETS[`shared-cpu-${n}x`] = { cpu_kind: 'shared', cpus: n, memory_mb: n * 256 };
for (const n of [1, 2, 4, 6, 8, 10, 12, 14, 16])
  VM_PRESETS[`performance-${n}x`] = { cpu_kind: 'performance', cpus: n, memory_mb: n * 2048 };

export const GPU_PRESETS = {
  a10: 'a10',
  l40s: 'l40s',
  'a100-40gb': 'a100-pcie-40gb',
  'a100-80gb': 'a100-sxm4-80gb',
};

export const DEFAULT_VM_SIZE = 'shared-cpu-1x';
export const DEFAULT_GPU_VM_SIZE = 'performance-8x';

/** fly-go MachineGuest.SetSize: a guest for a preset name, or fly-go's error. */
export function guestForSize(size) {
  if (VM_PRESETS[size]) return { ...VM_PRESETS[size] };
  if (GPU_PRESETS[size]) return { cpu_kind: 'performance', cpus: 8, memory_mb: 32768, gpus: 1, gpu_kind: GPU_PRESETS[size] };
  const kind = size.startsWith('shared') ? 'shared' : size.startsWith('performance') ? 'performance' : '';
  if (!kind) throw new FlyError(`invalid machine preset requested, '${size}', expected to start with 'shared' or 'performance'`);
  const valid = Object.keys(VM_PRESETS)
    .filter((name) => name.startsWith(kind))
    .sort(compareGo);
  throw new FlyError(`'${size}' is an invalid machine size, choose one of: [${valid.join(' ')}]`);
}

/** fly-go MachineGuest.ToSize. */
export function sizeOfGuest(guest) {
  if (!guest) return '';
  const gpu = Object.entries(GPU_PRESETS).find(([, kind]) => kind === guest.gpu_kind);
  if (gpu) return gpu[0];
  if (guest.cpu_kind === 'shared') return `shared-cpu-${guest.cpus}x`;
  if (guest.cpu_kind === 'performance') return `performance-${guest.cpus}x`;
  return 'unknown';
}

export const isGpuGuest = (guest) => Boolean(guest && (guest.gpu_kind || guest.gpus));

// code, name, latitude, longitude, gateway, geo_region, capacity, mpg
const REGION_ROWS = [
  ['ams', 'Amsterdam, Netherlands', 52.3743, 4.89544, true, 'europe', 412, true],
  ['arn', 'Stockholm, Sweden', 59.6512, 17.9178, true, 'europe', 187, false],
  ['bom', 'Mumbai, India', 19.0974, 72.8742, true, 'asia_pacific', 143, false],
  ['cdg', 'Paris, France', 48.8609, 2.35348, true, 'europe', 268, false],
  ['dfw', 'Dallas, Texas (US)', 32.7783, -96.7984, true, 'north_america', 331, false],
  ['ewr', 'Secaucus, NJ (US)', 40.7895, -74.0564, true, 'north_america', 356, false],
  ['fra', 'Frankfurt, Germany', 50.1167, 8.6833, true, 'europe', 389, true],
  ['gru', 'Sao Paulo, Brazil', -23.5497, -46.6544, false, 'south_america', 121, false],
  ['iad', 'Ashburn, Virginia (US)', 39.0221, -77.4626, true, 'north_america', 517, true],
  ['jnb', 'Johannesburg, South Africa', -26.1363, 28.203, false, 'africa', 64, false],
  ['lax', 'Los Angeles, California (US)', 33.9416, -118.408, true, 'north_america', 298, true],
  ['lhr', 'London, United Kingdom', 51.5164, -0.125656, true, 'europe', 421, true],
  ['nrt', 'Tokyo, Japan', 35.6211, 139.741, true, 'asia_pacific', 244, true],
  ['ord', 'Chicago, Illinois (US)', 41.8915, -87.6304, true, 'north_america', 463, true],
  ['sin', 'Singapore, Singapore', 1.3, 103.8, true, 'asia_pacific', 276, true],
  ['sjc', 'San Jose, California (US)', 37.3516, -121.897, true, 'north_america', 392, true],
  ['syd', 'Sydney, Australia', -33.866, 151.217, true, 'asia_pacific', 205, true],
  ['yyz', 'Toronto, Canada', 43.6443, -79.3822, true, 'north_america', 233, false],
];

/** fly-go `Region` objects, sorted by display name like `fly platform regions`. */
export const REGIONS = REGION_ROWS.map(([code, name, latitude, longitude, gateway, geo, capacity, mpg]) => ({
  code,
  name,
  latitude,
  longitude,
  gateway_available: gateway,
  requires_paid_plan: false,
  deprecated: false,
  capacity,
  geo_region: geo,
  mpg_available: mpg,
})).sort((a, b) => compareGo(a.name, b.name));

export const REGION_CODES = new Set(REGIONS.map((r) => r.code));
