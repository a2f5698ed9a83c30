/**
 * compose.yaml: a service that runs on the GPU must reserve it the way Docker Compose does
 * (deploy.resources.reservations.devices with capabilities [gpu], driver nvidia, count or
 * device_ids), or the container starts without a GPU and the application silently runs on the CPU.
 * Facts from the Compose specification (deploy.md, "devices"): `capabilities` is required; `count`
 * (an integer or "all") and `device_ids` (a list of strings) exclude each other.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { finding, type Finding } from '../shared/findings.js';

type Node = { range?: [number, number, number] | null } | null | undefined;

const RESERVE =
  'deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: nvidia\n              count: all\n              capabilities: [gpu]';

export function composeRules(path: string, text: string): Finding[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const pos = lines.linePos(Math.min(error.pos[0], Math.max(0, text.length - 1)));
    return [
      finding(
        'compose-syntax',
        path,
        { line: pos.line, column: pos.col },
        `Not valid YAML: ${error.message.split('\n')[0]}`,
        'Fix the syntax at this line and column; nothing else was checked.',
      ),
    ];
  }
  const at = (node: unknown): { line: number; column: number } => {
    const offset = (node as Node)?.range?.[0] ?? 0;
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const services = doc.get('services', true);
  if (!isMap(services)) {
    return [
      finding(
        'compose-syntax',
        path,
        at(doc.contents),
        'No services: this is not a Compose file docker compose can run.',
        'Declare the application under services:.',
      ),
    ];
  }
  const findings: Finding[] = [];
  let reserving = 0;
  for (const pair of services.items) {
    const name = String((pair.key as { value?: unknown })?.value ?? pair.key);
    const { found, reserves } = serviceFindings(doc, path, name, at);
    findings.push(...found);
    if (reserves) reserving += 1;
    if (!reserves && !found.length && wantsGpu(doc, name)) {
      findings.push(
        finding(
          'compose-gpu-reservation-missing',
          path,
          at(pair.key),
          `Service ${name} runs on the GPU (GPUCTL_DEVICE=cuda) but reserves none: the container starts without a GPU.`,
          `Add to the service:\n    ${RESERVE}`,
        ),
      );
    }
  }
  if (reserving === 0 && !findings.length) {
    findings.push(
      finding(
        'compose-gpu-reservation-missing',
        path,
        at(services),
        'No service reserves a GPU: docker compose starts every container without one.',
        `Add to the GPU service:\n    ${RESERVE}`,
        'warning',
      ),
    );
  }
  return findings;
}

/** GPUCTL_DEVICE=cuda in the service's environment (a map, or a list of KEY=value). */
function wantsGpu(doc: Document, service: string): boolean {
  const env: unknown = (doc.toJS() as { services?: Record<string, { environment?: unknown }> }).services?.[service]?.environment;
  if (Array.isArray(env)) return env.some((e) => typeof e === 'string' && e.trim() === 'GPUCTL_DEVICE=cuda');
  return typeof env === 'object' && env !== null && (env as Record<string, unknown>).GPUCTL_DEVICE === 'cuda';
}

function serviceFindings(
  doc: Document,
  path: string,
  service: string,
  at: (node: unknown) => { line: number; column: number },
): { found: Finding[]; reserves: boolean } {
  const devices = doc.getIn(['services', service, 'deploy', 'resources', 'reservations', 'devices'], true);
  if (devices === undefined) return { found: [], reserves: false };
  const bad = (node: unknown, message: string, fix: string) =>
    finding('compose-gpu-reservation-invalid', path, at(node), `Service ${service}: ${message}`, fix);
  if (!isSeq(devices))
    return {
      found: [bad(devices, 'devices must be a list of device requests.', 'Write each request as a list item: - driver: nvidia …')],
      reserves: false,
    };
  const found: Finding[] = [];
  let reserves = false;
  for (const item of devices.items) {
    if (!isMap(item)) {
      found.push(bad(item, 'a device request must be a mapping.', 'Use driver, count or device_ids, and capabilities keys.'));
      continue;
    }
    const caps = item.get('capabilities', true);
    const capList = isSeq(caps) ? caps.items.map((c) => String((c as { value?: unknown }).value)) : null;
    if (!capList) found.push(bad(caps ?? item, 'capabilities is missing or not a list; Docker requires it.', 'Set capabilities: [gpu].'));
    else if (!capList.includes('gpu'))
      found.push(bad(caps, `capabilities [${capList.join(', ')}] do not include gpu.`, 'Set capabilities: [gpu].'));
    const driver = item.get('driver');
    if (driver !== undefined && driver !== 'nvidia')
      found.push(
        bad(
          item.get('driver', true),
          `driver ${JSON.stringify(driver)} is not nvidia.`,
          'Set driver: nvidia (the NVIDIA Container Toolkit).',
        ),
      );
    const count = item.get('count');
    const ids = item.get('device_ids', true);
    if (count !== undefined && ids !== undefined)
      found.push(bad(ids, 'count and device_ids exclude each other.', "Keep one: count: all (or a number), or device_ids: ['0']."));
    if (count !== undefined && count !== 'all' && !(typeof count === 'number' && Number.isInteger(count) && count > 0)) {
      found.push(
        bad(
          item.get('count', true),
          `count ${JSON.stringify(count)} is neither a positive whole number nor "all".`,
          'Set count: all, or the number of GPUs.',
        ),
      );
    }
    if (ids !== undefined && (!isSeq(ids) || ids.items.length === 0))
      found.push(
        bad(
          ids,
          'device_ids must be a non-empty list.',
          "List the GPUs as nvidia-smi numbers them (or their UUIDs), e.g. device_ids: ['0'].",
        ),
      );
    if (capList?.includes('gpu')) reserves = true;
  }
  return { found, reserves: reserves && found.length === 0 };
}
