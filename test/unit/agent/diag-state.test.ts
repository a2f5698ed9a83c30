import { describe, expect, it } from 'vitest';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { diagStatePath, parseDiagState } from '../../../src/agent/diag-state.js';
import { diagStatePath as writerPath } from '../../../src/diag/state.js';

const good = {
  schemaVersion: 1,
  finishedAt: '2026-12-04T00:40:00.000Z',
  level: 'medium',
  gpus: [
    { index: 0, uuid: 'GPU-a', verdict: 'pass' },
    { index: 1, uuid: 'GPU-b', verdict: 'fail' },
  ],
};

describe('the last diag verdict', () => {
  it('is found at $GPUCTL_DIAG_STATE, else under XDG_STATE_HOME, else ~/.local/state', () => {
    expect(diagStatePath({ GPUCTL_DIAG_STATE: '/x/d.json', HOME: '/h' })).toBe('/x/d.json');
    expect(diagStatePath({ XDG_STATE_HOME: '/s', HOME: '/h' })).toBe('/s/gpuctl/diag-last.json');
    expect(diagStatePath({ HOME: '/h' })).toBe('/h/.local/state/gpuctl/diag-last.json');
    expect(diagStatePath({ HOME: '' })).toBeUndefined();
    // HOME unset: the OS's home, where `gpuctl diag` writes (commands/diag.ts); before, an agent started without HOME
    // (a systemd unit) read nothing while diag wrote under the account's home.
    expect(diagStatePath({})).toBe(writerPath({}, homedir()));
    expect(diagStatePath({})).toBe(join(homedir(), '.local/state/gpuctl/diag-last.json'));
  });

  it('parses the diag helper’s format', () => {
    expect(parseDiagState(JSON.stringify(good))).toEqual({
      ok: true,
      state: {
        finishedAtMs: Date.parse(good.finishedAt),
        level: 'medium',
        // entries with no time or level of their own (a file from before the merge) are the file's run
        gpus: good.gpus.map((g) => ({ ...g, finishedAtMs: Date.parse(good.finishedAt), level: 'medium' })),
      },
    });
  });

  it.each([
    ['{', 'not JSON'],
    [JSON.stringify({ ...good, schemaVersion: 2 }), 'schemaVersion 2, not 1'],
    [JSON.stringify({ ...good, finishedAt: 'yesterday' }), 'finishedAt is not an ISO time'],
    [JSON.stringify({ ...good, level: 'deep' }), 'level "deep"'],
    [JSON.stringify({ ...good, gpus: [{ index: 0, uuid: 'GPU-a', verdict: 'ok' }] }), 'a GPU entry is not'],
    [JSON.stringify({ ...good, gpus: null }), 'no gpus array'],
  ])('refuses %s, saying why', (text, reason) => {
    const r = parseDiagState(text);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toContain(reason);
  });
});
