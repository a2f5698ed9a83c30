/**
 * A Dockerfile as stages, read with dockerfile-ast (continuations, heredocs, the escape directive
 * and ARG expansion are its business). Lines here are 1-based.
 */
import { DockerfileParser, type Dockerfile, type Instruction } from 'dockerfile-ast';

export interface Word {
  value: string;
  line: number;
  column: number;
}

export interface Step {
  keyword: string;
  line: number;
  words: Word[];
  /** The instruction's arguments as written (continuations joined). */
  text: string;
}

export interface Stage {
  /** The base as written after expansion: an image reference, or an earlier stage's name. */
  base: string;
  baseLine: number;
  name: string | null;
  steps: Step[];
  /** The earlier stage this one builds on (`FROM build`), if any. */
  parent: Stage | null;
}

function step(instruction: Instruction): Step {
  const start = instruction.getRange().start;
  return {
    keyword: instruction.getKeyword().toUpperCase(),
    line: start.line + 1,
    words: instruction.getExpandedArguments().map((arg) => {
      const at = arg.getRange().start;
      return { value: arg.getValue(), line: at.line + 1, column: at.character + 1 };
    }),
    text: instruction.getArgumentsContent() ?? '',
  };
}

/** One parse per Dockerfile: the stages and the syntax rule read the same tree (a cold parse is most of validate's own time). */
export function parseDockerfile(text: string): Dockerfile {
  return DockerfileParser.parse(text);
}

/** The stages in order; empty when there is no FROM at all. */
export function dockerStages(dockerfile: Dockerfile): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const s = step(instruction);
    if (s.keyword === 'FROM') {
      const words = s.words.filter((w) => !w.value.startsWith('--'));
      const base = words[0]?.value ?? '';
      const name = words[1]?.value.toLowerCase() === 'as' ? (words[2]?.value ?? null) : null;
      const parent = stages.find((st) => st.name !== null && st.name.toLowerCase() === base.toLowerCase()) ?? null;
      stages.push({ base, baseLine: s.line, name, steps: [], parent });
    } else {
      stages.at(-1)?.steps.push(s);
    }
  }
  return stages;
}

/** The stage and every stage it builds on, nearest first. */
export function lineage(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s; s = s.parent) chain.push(s);
  return chain;
}

/** The image a stage ultimately starts from. */
export function rootImage(stage: Stage): string {
  return lineage(stage).at(-1)?.base ?? stage.base;
}

const MANAGERS = new Set(['apt-get', 'apt', 'aptitude', 'yum', 'dnf', 'microdnf', 'apk']);
const SEPARATORS = new Set(['&&', '||', ';', '|']);

/** Packages named by `apt-get install …` and friends in a RUN step, with where each is written. */
export function installedPackages(run: Step): Word[] {
  const out: Word[] = [];
  let manager = false;
  let installing = false;
  for (const word of run.words) {
    const value = word.value.replace(/;$/, '');
    if (SEPARATORS.has(word.value)) {
      manager = false;
      installing = false;
      continue;
    }
    if (MANAGERS.has(value)) manager = true;
    else if (manager && (value === 'install' || value === 'add')) installing = true;
    else if (installing && !value.startsWith('-') && value !== '') out.push({ ...word, value: value.split('=')[0] ?? value });
    if (word.value.endsWith(';')) {
      manager = false;
      installing = false;
    }
  }
  return out;
}

/**
 * The local sources a COPY or ADD takes from the build context: plain relative paths only (no globs, URLs, variables or
 * the whole context); none for `--from` (another stage or image). validate's app-files rule and smoke read them here.
 */
export function copySources(step: Step): string[] {
  const words = step.words.map((w) => w.value).filter((w) => !w.startsWith('--'));
  if (step.words.some((w) => w.value.startsWith('--from='))) return [];
  let sources = words.slice(0, -1);
  if (step.text.trim().startsWith('[')) {
    try {
      sources = (JSON.parse(step.text) as string[]).slice(0, -1);
    } catch {
      return [];
    }
  }
  // Only plain relative paths: no globs, no URLs, no variables, not the whole context.
  return sources.filter((s) => !/[*?[$]|^[a-z]+:\/\//i.test(s) && s !== '.' && s !== './' && !s.startsWith('/'));
}
