// Parses `nvidia-smi -q` text into a tree by indentation ("Key : value" leaves, "Section" nodes).
const KV = /^(\s*)(.+?)\s*:\s(.*)$/;

export function parseQText(text) {
  const globals = {};
  const gpus = [];
  let stack = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim() || raw.startsWith('=')) continue;
    const indent = raw.length - raw.trimStart().length;
    const gpuHeader = /^GPU ([0-9A-Fa-f:.]+)\s*$/.exec(raw);
    if (gpuHeader) {
      const gpu = { __id: gpuHeader[1] };
      gpus.push(gpu);
      stack = [{ indent: 0, node: gpu }];
      continue;
    }
    while (stack.length > 1 && stack.at(-1).indent >= indent) stack.pop();
    const kv = KV.exec(raw);
    if (!stack.length) {
      if (kv) globals[kv[2].trim()] = kv[3].trim();
      continue;
    }
    const parent = stack.at(-1).node;
    if (kv) parent[kv[2].trim()] = kv[3].trim();
    else {
      const node = {};
      parent[raw.trim()] = node;
      stack.push({ indent, node });
    }
  }
  return { globals, gpus };
}

/** pick(gpu, 'FB Memory Usage/Total') → '23028' (unit stripped); undefined when absent or "N/A". */
export function pick(gpu, path) {
  let node = gpu;
  for (const key of path.split('/')) node = node?.[key];
  if (typeof node !== 'string' || node === 'N/A') return node === 'N/A' ? '[N/A]' : undefined;
  return node.replace(/\s+(MiB|W|MHz|%|C)$/, '').trim();
}
