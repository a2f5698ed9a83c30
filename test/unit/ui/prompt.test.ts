/**
 * The prompt boundary: @inquirer/prompts' cancellation errors (Ctrl-C, an aborted prompt) become InterruptedError,
 * exit 130, with a message true for every caller (init writes files, scale changes machines); anything else passes.
 */
import { describe, expect, it, vi } from 'vitest';
import { ExitCode, InterruptedError } from '../../../src/errors.js';
import { inquirerPrompter } from '../../../src/ui/prompt.js';

const thrown = vi.hoisted(() => ({ error: new Error('unset') }));
vi.mock('@inquirer/prompts', () => {
  const fail = async () => {
    throw thrown.error;
  };
  return { confirm: fail, input: fail, select: fail };
});

const named = (name: string) => Object.assign(new Error(`inquirer: ${name}`), { name });

describe('inquirerPrompter', () => {
  it.each(['ExitPromptError', 'AbortPromptError'])('%s: interrupted, nothing was changed (exit 130)', async (name) => {
    thrown.error = named(name);
    const prompt = inquirerPrompter();
    for (const ask of [
      () => prompt.confirm('Scale quant-signals?'),
      () => prompt.input('Fly app name'),
      () => prompt.select('Target', []),
    ]) {
      const error = await ask().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InterruptedError);
      expect((error as InterruptedError).message).toBe('Cancelled; nothing was changed.');
      expect((error as InterruptedError).exitCode).toBe(ExitCode.interrupted);
    }
  });

  it('any other error passes through as it is', async () => {
    thrown.error = named('TypeError');
    await expect(inquirerPrompter().confirm('Scale?')).rejects.toBe(thrown.error);
  });
});
