/**
 * `dockerfile-syntax`: what stops `docker build` (BuildKit's frontend/dockerfile parser and
 * instructions.Parse) before it runs anything: no FROM, a bad escape directive, an instruction that
 * does not exist, an instruction without the arguments it needs. Only failures a real engine was seen
 * to refuse are reported (test/e2e/validate-engine.test.ts builds each one with podman). Continuations,
 * heredocs and the escape character are dockerfile-ast's business.
 */
import type { Dockerfile, Instruction, Property } from 'dockerfile-ast';
import { finding, type Finding } from '../shared/findings.js';
import { imageRefProblem } from '../shared/image-ref.js';

export const INSTRUCTIONS = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
] as const;

const KNOWN: ReadonlySet<string> = new Set(INSTRUCTIONS);
/** What each instruction needs (BuildKit's errAtLeastOneArgument / errExactlyOneArgument). */
const NEEDS_ONE = new Set([
  'ARG',
  'ENV',
  'LABEL',
  'EXPOSE',
  'VOLUME',
  'ONBUILD',
  'HEALTHCHECK',
  'WORKDIR',
  'USER',
  'STOPSIGNAL',
  'MAINTAINER',
]);
const USAGE: Record<string, string> = {
  ADD: 'ADD <source>... <destination>',
  ARG: 'ARG <name>[=<default>]',
  COPY: 'COPY <source>... <destination>',
  ENV: 'ENV <name>=<value> ...',
  EXPOSE: 'EXPOSE <port>[/<protocol>] ...',
  FROM: 'FROM [--platform=<platform>] <image> [AS <name>]',
  HEALTHCHECK: 'HEALTHCHECK [OPTIONS] CMD <command>, or HEALTHCHECK NONE',
  LABEL: 'LABEL <key>=<value> ...',
  MAINTAINER: 'MAINTAINER <name>',
  ONBUILD: 'ONBUILD <instruction>',
  SHELL: 'SHELL ["executable", "parameters"]',
  STOPSIGNAL: 'STOPSIGNAL <signal>',
  USER: 'USER <user>[:<group>]',
  VOLUME: 'VOLUME <path> ...',
  WORKDIR: 'WORKDIR <path>',
};

interface Problem {
  line: number;
  column?: number;
  message: string;
  fix: string;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function unknown(keyword: string): Problem['fix'] {
  const nearest = [...INSTRUCTIONS].sort((a, b) => distance(keyword, a) - distance(keyword, b))[0]!;
  return distance(keyword, nearest) <= 2
    ? `Did you mean ${nearest}? The instructions are ${INSTRUCTIONS.join(', ')}.`
    : `Use one of ${INSTRUCTIONS.join(', ')}; a line that continues the one before needs a \\ at that line's end.`;
}

/** `ENV a=1 b` and `ENV a` (the old `ENV name value` form without a value) are refused. */
function pairProblem(keyword: string, properties: Property[]): string | null {
  const [first] = properties;
  if (!first) return null;
  if (first.getAssignmentOperator() === null) return first.getValue() === null ? `${keyword} ${first.getName()} has no value` : null;
  const bare = properties.find((p) => p.getAssignmentOperator() === null);
  return bare ? `${keyword}: ${bare.getName()} has no = (every pair is name=value)` : null;
}

function isJsonArray(text: string, minimum: number): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.length >= minimum && value.every((v) => typeof v === 'string');
  } catch {
    return false;
  }
}

function argumentProblem(keyword: string, args: string[], content: string): string | null {
  if (NEEDS_ONE.has(keyword) && args.length === 0) return `${keyword} without arguments`;
  switch (keyword) {
    case 'FROM':
      if (args.length === 0) return 'FROM without an image';
      if (args.length !== 1 && !(args.length === 3 && args[1]!.toLowerCase() === 'as'))
        return `FROM ${args.join(' ')}: FROM takes an image and optionally AS <name>`;
      return null;
    case 'COPY':
    case 'ADD': {
      const count = content.startsWith('[') && isJsonArray(content, 0) ? (JSON.parse(content) as string[]).length : args.length;
      return count < 2 ? `${keyword} needs a source and a destination (${count === 0 ? 'none given' : 'only one given'})` : null;
    }
    case 'HEALTHCHECK': {
      const type = args[0]!.toUpperCase();
      if (type === 'NONE') return args.length > 1 ? 'HEALTHCHECK NONE takes no arguments' : null;
      if (type !== 'CMD') return `HEALTHCHECK ${args[0]}: the type is CMD or NONE`;
      return args.length < 2 ? 'HEALTHCHECK CMD without a command' : null;
    }
    case 'ONBUILD': {
      const trigger = args[0]!.toUpperCase();
      return trigger === 'ONBUILD' || trigger === 'FROM' || trigger === 'MAINTAINER'
        ? `ONBUILD ${trigger}: not allowed as an ONBUILD trigger`
        : null;
    }
    case 'SHELL':
      return isJsonArray(content, 1) ? null : 'SHELL needs the JSON form with at least the executable';
    default:
      return null;
  }
}

function instructionProblem(instruction: Instruction): Problem | null {
  const keyword = instruction.getKeyword().toUpperCase();
  const start = instruction.getRange().start;
  const at = { line: start.line + 1, column: start.character + 1 };
  if (!KNOWN.has(keyword)) {
    return {
      ...at,
      message: `${instruction.getInstruction()} is not a Dockerfile instruction: docker build stops here (unknown instruction).`,
      fix: unknown(keyword),
    };
  }
  const content = (instruction.getArgumentsContent() ?? '').trim();
  const args = instruction.getArguments().map((a) => a.getValue());
  const properties = 'getProperties' in instruction ? (instruction as unknown as { getProperties(): Property[] }).getProperties() : [];
  const problem =
    argumentProblem(keyword, args, content) ?? (keyword === 'ENV' || keyword === 'LABEL' ? pairProblem(keyword, properties) : null);
  if (!problem) return null;
  return {
    ...at,
    message: `${problem}: docker build stops here.`,
    fix: `Write it as ${USAGE[keyword] ?? keyword} (see the Dockerfile reference).`,
  };
}

/**
 * FROM's image must be an image reference (shared/image-ref.ts, docker's grammar): `FROM Ubuntu` stops
 * the build ("repository name must be lowercase"). Not checked: scratch, an earlier stage (matched without
 * case, as BuildKit does), and a base that holds a variable (its value is the build's business).
 */
function baseProblem(instruction: Instruction, stages: Set<string>): Problem | null {
  if (instruction.getKeyword().toUpperCase() !== 'FROM') return null;
  const [base, , name] = instruction.getArguments().map((a) => a.getValue());
  if (name !== undefined) stages.add(name.toLowerCase());
  if (base === undefined || base.includes('$') || base === 'scratch' || stages.has(base.toLowerCase())) return null;
  const problem = imageRefProblem(base);
  if (problem === null) return null;
  const start = instruction.getRange().start;
  return {
    line: start.line + 1,
    column: start.character + 1,
    message: `FROM ${base}: not an image reference (${problem}): docker build stops here.`,
    fix: 'Name the image as [registry/]name[:tag] with a lowercase name (e.g. python:3.12-slim), or an earlier stage.',
  };
}

/** Every dockerfile-syntax finding for a Dockerfile's text. */
export function dockerSyntaxRule(dockerfile: Dockerfile, file: string): Finding[] {
  const problems: Problem[] = [];
  for (const directive of dockerfile.getDirectives()) {
    if (directive.getName().toLowerCase() === 'escape' && !['\\', '`'].includes(directive.getValue())) {
      problems.push({
        line: directive.getRange().start.line + 1,
        message: `The escape directive names '${directive.getValue()}': docker build stops here (only \\ or \` can escape).`,
        fix: 'Write # escape=\\ (the default) or # escape=` , or remove the line.',
      });
    }
  }
  const instructions = dockerfile.getInstructions();
  const stages = new Set<string>();
  for (const instruction of instructions) {
    const problem = instructionProblem(instruction) ?? baseProblem(instruction, stages);
    if (problem) problems.push(problem);
  }
  if (!instructions.some((i) => i.getKeyword().toUpperCase() === 'FROM')) {
    problems.push({
      line: 1,
      message: 'No FROM instruction: this is not a Dockerfile docker can build.',
      fix: 'Start the file with FROM <image>.',
    });
  }
  return problems.map((p) => finding('dockerfile-syntax', file, p, p.message, p.fix));
}
