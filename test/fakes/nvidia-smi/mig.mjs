// `nvidia-smi mig -lgi` and `nvidia-smi -mig 0|1` for the fake. The GPU instances come from the
// capture itself: their ids from `-q` ("MIG Device" → "GPU Instance ID"), their profile names from
// `-L` ("MIG 3g.40gb Device 0", "MIG 1c.3g.71gb" for a compute instance of a 3g.71gb GI). The layout
// and the texts are the real tool's (a transcript of driver 535 on an A30: the boxed table, and
// "No GPU instances found: Not Found" when MIG is on without instances). Profile ids are NVIDIA's
// (MIG user guide, H100/H200 tables); the placement column is the fake's own sequential one.
import { parseQText } from './qtext.mjs';

const PROFILE_IDS = { '1g': 19, '1g+me': 20, '1g.2x': 15, '2g': 14, '3g': 9, '4g': 5, '7g': 0 };
const SLICES = { '1g': 1, '2g': 2, '3g': 4, '4g': 4, '7g': 8 };

function profileId(name) {
  const [slices, mem] = name.split('.');
  if (slices === '1g' && /^(20|35)gb/.test(mem ?? '')) return PROFILE_IDS['1g.2x'];
  return PROFILE_IDS[slices] ?? 0;
}

/** GPU instances of GPU `index` as [{ gi, name }], in the order the capture lists them, each GI once. */
export function gpuInstances(qText, listText, index) {
  const gpu = parseQText(qText ?? '').gpus[index];
  if (!gpu) return [];
  const names = [];
  let gpuNo = -1;
  for (const line of (listText ?? '').split('\n')) {
    if (/^GPU \d+:/.test(line)) gpuNo += 1;
    const m = /^\s+MIG\s+(\S+)\s+Device\s+(\d+):/.exec(line);
    if (m && gpuNo === index) names[Number(m[2])] = m[1].replace(/^\d+c\./, '');
  }
  // parseQText keeps one "MIG Device" node per name; read the ids off the raw text instead.
  const ids = [...(qText ?? '').matchAll(/GPU Instance ID\s*:\s*(\d+)/g)].map((m) => Number(m[1]));
  const seen = new Set();
  const out = [];
  ids.forEach((gi, device) => {
    if (seen.has(gi)) return;
    seen.add(gi);
    out.push({ gi, name: names[device] ?? 'unknown' });
  });
  return out;
}

export function renderLgi(instances, index) {
  if (instances.length === 0) return { text: 'No GPU instances found: Not Found\n', code: 6 };
  const rule = '+-------------------------------------------------------+';
  const lines = [
    rule,
    '| GPU instances:                                        |',
    '| GPU   Name             Profile  Instance   Placement  |',
    '|                          ID       ID       Start:Size |',
    '|=======================================================|',
  ];
  let start = 0;
  for (const { gi, name } of instances) {
    const size = SLICES[name.split('.')[0]] ?? 1;
    const row = `|   ${index}  ${`MIG ${name}`.padEnd(16)}${String(profileId(name)).padStart(4)}${String(gi).padStart(9)}${`${start}:${size}`.padStart(13)}     |`;
    lines.push(row, rule);
    start += size;
  }
  return { text: `${lines.join('\n')}\n`, code: 0 };
}
