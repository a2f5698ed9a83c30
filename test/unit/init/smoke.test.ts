import { test } from 'vitest';
import { resolveInputs } from '../../../src/init/inputs.js';
import { renderData, renderFiles } from '../../../src/init/render.js';
import { loadTemplates } from '../../../src/init/templates.js';
import { mergeFlyToml } from '../../../src/init/toml-merge.js';
import { createTwoFilesPatch } from 'diff';
test('smoke', () => {
  const t = loadTemplates();
  const inputs = resolveInputs([{ target: { kind: 'cpu', vmSize: 'performance-8x' }, workload: 'inference', app: 'ollama-demo' }], 'x');
  const rendered = renderFiles(t, renderData(inputs, 'x'))[0]!.content;
  const user = `# fly.toml app configuration file generated for ollama-demo on 2024-05-01T10:00:00Z
#
# See https://fly.io/docs/reference/configuration/ for information about how to use this file.
#

app = "ollama-demo"
primary_region = "ord"

[build]
  image = "ollama/ollama"

[env]
  OLLAMA_HOST = "0.0.0.0"   # listen everywhere
  GPUCTL_GPU_MEMORY_FRACTION = "0.9"

[[mounts]]
  source = "models"
  destination = "/root/.ollama"
  initial_size = "100gb"

[http_service]
  internal_port = 11434
  force_https = false
  auto_stop_machines = "suspend"
  auto_start_machines = true
  min_machines_running = 0
  processes = ["app"]

[[vm]]
  size = "a100-40gb"`;
  const r = mergeFlyToml(user, rendered);
  if (!r.ok) { console.log(r.reason, (r as any).text); return; }
  console.log(createTwoFilesPatch('fly.toml', 'fly.toml', user, r.text));
  const r2 = mergeFlyToml(r.text, rendered);
  console.log('idempotent', r2.ok && r2.text === r.text);
  const r3 = mergeFlyToml(rendered, rendered);
  console.log('self', r3.ok && r3.text === rendered);
});
