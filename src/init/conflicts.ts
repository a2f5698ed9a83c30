/**
 * The compare-decide step: what happens to each file that exists and differs. --force overwrites,
 * --skip keeps the user's file, a person at a terminal is asked (yes, no, all, quit, show diff),
 * and anywhere else the conflicts are left for the caller to refuse. Nothing is written here.
 */
import type { Ctx } from '../context.js';
import { InterruptedError } from '../errors.js';
import type { PlannedFile } from './plan.js';

export type ConflictPolicy = 'force' | 'skip' | 'ask' | 'refuse';

type Answer = 'yes' | 'no' | 'all' | 'quit' | 'diff';

const CHOICES = [
  { value: 'yes', name: 'yes', description: 'overwrite this file' },
  { value: 'no', name: 'no', description: 'keep yours' },
  { value: 'all', name: 'all', description: 'overwrite this and every other conflicting file' },
  { value: 'quit', name: 'quit', description: 'stop: write nothing at all' },
  { value: 'diff', name: 'show diff', description: 'show what would change' },
] as const;

export function policyFor(options: { force: boolean; skip: boolean; yes: boolean; dryRun: boolean }, interactive: boolean): ConflictPolicy {
  if (options.force) return 'force';
  if (options.skip) return 'skip';
  return interactive && !options.yes && !options.dryRun ? 'ask' : 'refuse';
}

/** Applies a non-interactive policy: conflicts become overwrite or skip, or stay conflicts ('refuse'). */
export function applyPolicy(files: readonly PlannedFile[], policy: Exclude<ConflictPolicy, 'ask'>): PlannedFile[] {
  if (policy === 'refuse') return [...files];
  const status = policy === 'force' ? 'overwrite' : 'skip';
  return files.map((file) => (file.status === 'conflict' ? { ...file, status } : file));
}

/** What a person sees around each question, for the command to show: the file asked about (its note), and a diff asked for. */
export interface ConflictEvents {
  asking?(file: PlannedFile): void;
  diff?(file: PlannedFile): void;
}

export async function askConflicts(files: readonly PlannedFile[], ctx: Ctx, events: ConflictEvents = {}): Promise<PlannedFile[]> {
  const out: PlannedFile[] = [];
  let all = false;
  for (const file of files) {
    if (file.status !== 'conflict') {
      out.push(file);
      continue;
    }
    let answer: Answer = all ? 'yes' : 'diff';
    while (!all) {
      events.asking?.(file);
      answer = await ctx.prompt.select<Answer>(`${file.path} differs from what gpuctl init would write. Overwrite it?`, CHOICES, 'no');
      if (answer !== 'diff') break;
      events.diff?.(file);
    }
    if (answer === 'quit') throw new InterruptedError('Quit; nothing was written.');
    if (answer === 'all') all = true;
    out.push({ ...file, status: answer === 'no' ? 'skip' : 'overwrite' });
  }
  return out;
}

export function colourDiff(diff: string, ctx: Pick<Ctx, 'style'>): string {
  return diff
    .split('\n')
    .map((line) =>
      line.startsWith('+++') || line.startsWith('---')
        ? ctx.style.bold(line)
        : line.startsWith('+')
          ? ctx.style.green(line)
          : line.startsWith('-')
            ? ctx.style.red(line)
            : line.startsWith('@@')
              ? ctx.style.cyan(line)
              : line,
    )
    .join('\n');
}
