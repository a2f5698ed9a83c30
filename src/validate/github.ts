/**
 * `gpuctl validate --format github`: each finding as a GitHub Actions workflow command, so that it
 * shows on the pull request's line: `::error file=fly.toml,line=12,col=3,title=<rule id>::<message>`.
 * Escaping follows @actions/core (toolkit packages/core/src/command.ts): in the message % CR LF;
 * in property values also : and ,. Paths are made relative to GITHUB_WORKSPACE when it is set,
 * since annotations are matched against the repository's paths.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Finding } from '../shared/findings.js';
import type { ValidateJson } from './run.js';

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A finding's file as the repository names it: relative to the workspace when the file is inside it, with forward slashes. */
export function repoPath(file: string, cwd: string, workspace: string | undefined): string {
  if (!workspace) return file.split(sep).join('/');
  const full = resolve(cwd, file);
  const inside = relative(workspace, full);
  const shown = inside === '' || inside.startsWith('..') || isAbsolute(inside) ? file : inside;
  return shown.split(sep).join('/');
}

export function workflowCommand(f: Finding, file: string): string {
  const props = [
    `file=${escapeProperty(file)}`,
    `line=${f.line}`,
    ...(f.column ? [`col=${f.column}`] : []),
    `title=${escapeProperty(f.id)}`,
  ];
  return `::${f.severity} ${props.join(',')}::${escapeData(`${f.message}\nFix: ${f.fix}`)}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One workflow command per finding, then a plain summary line for the log. */
export function renderGithub(result: ValidateJson, cwd: string, workspace: string | undefined): string {
  const commands = result.findings.map((f) => workflowCommand(f, repoPath(f.file, cwd, workspace)));
  const files = result.files.map((f) => f.path).join(', ');
  const summary =
    result.findings.length === 0
      ? `${files}: no problems found.`
      : `${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')} in ${files}.`;
  return `${[...commands, `gpuctl validate: ${summary}`].join('\n')}\n`;
}
