/**
 * The files the Dockerfile needs from the build context: every local COPY/ADD source (docker build
 * fails without it), and the module a `python3 -m <module>` CMD runs when it is the application's own (the machine
 * fails at start without it). `gpuctl init`'s Dockerfile needs requirements.txt and a module `app`.
 */
import { finding, type Finding } from '../shared/findings.js';
import { INIT_CONTEXT_FILES } from '../shared/init-files.js';
import { copySources, type Stage, type Step } from '../shared/dockerfile.js';

/** Whether a path relative to the build context exists; runValidate gives one for fly.toml's directory. */
export type ContextHas = (path: string) => boolean;

function moduleOf(step: Step): string | undefined {
  let argv: string[];
  try {
    argv = step.text.trim().startsWith('[') ? (JSON.parse(step.text) as string[]) : step.text.trim().split(/\s+/);
  } catch {
    return undefined;
  }
  const m = argv.indexOf('-m');
  return m > 0 && /^python[\d.]*$/.test(argv[0]?.split('/').at(-1) ?? '') ? argv[m + 1] : undefined;
}

export function appFilesRule(stages: readonly Stage[], file: string, has: ContextHas): Finding[] {
  const out: Finding[] = [];
  for (const step of stages.flatMap((s) => s.steps)) {
    if (step.keyword !== 'COPY' && step.keyword !== 'ADD') continue;
    for (const source of copySources(step).filter((s) => !has(s))) {
      out.push(
        finding(
          'dockerfile-missing-file',
          file,
          { line: step.line },
          `${step.keyword} ${source}: ${source} is not in the build context, so docker build fails.`,
          source === 'requirements.txt'
            ? 'Add requirements.txt next to fly.toml: the Python packages the application needs, one per line (an empty file when it needs none).'
            : INIT_CONTEXT_FILES.includes(source)
              ? `\`gpuctl init\` writes ${source}: run it again in this directory (it reproduces its files from .gpuctl.json), and keep ${source} with the layout (commit it, or run gpuctl init before the build).`
              : `Add ${source} next to fly.toml, or remove it from the ${step.keyword}.`,
        ),
      );
    }
  }
  const cmd = stages
    .at(-1)
    ?.steps.filter((s) => s.keyword === 'CMD')
    .at(-1);
  const module = cmd ? moduleOf(cmd) : undefined;
  if (cmd && module && /^[\w.]+$/.test(module)) {
    const path = module.replace(/\./g, '/');
    // A module from the standard library or an installed package (http.server, uvicorn, vllm.entrypoints...) is not in
    // the context and needs not be: only the application's own is looked for, that is `app` (gpuctl init's CMD) or a
    // module whose top-level package or file the context has.
    const top = path.split('/')[0] ?? path;
    const own = top === 'app' || has(top) || has(`${top}.py`);
    if (own && !has(`${path}.py`) && !has(`${path}/__main__.py`)) {
      out.push(
        finding(
          'dockerfile-missing-file',
          file,
          { line: cmd.line },
          `CMD runs the module ${module}, but neither ${path}.py nor ${path}/__main__.py is in the build context: the machine fails at start.`,
          `Write the application as ${path}.py (or the package ${path}/ with a __main__.py), or set the command with \`gpuctl init --cmd\`.`,
          'warning',
        ),
      );
    }
  }
  return out;
}
