import { describe, expect, it } from 'vitest';
import { logPath, namePart } from '../../../src/shared/log-file.js';

describe('log files: one naming rule for deploy and smoke', () => {
  const env = { XDG_STATE_HOME: '/state', HOME: '/home/u' };
  const at = new Date('2026-12-05T03:11:53.000Z');

  it('<kind>-<app>-<UTC time>.log under gpuctl/logs', () => {
    expect(logPath(env, 'deploy', 'quant-signals', at)).toBe('/state/gpuctl/logs/deploy-quant-signals-2026-12-05T03-11-53-000Z.log');
    expect(logPath(env, 'smoke', 'quant-signals', at)).toBe('/state/gpuctl/logs/smoke-quant-signals-2026-12-05T03-11-53-000Z.log');
  });

  it('an app name is a safe file-name part, never empty nor a path', () => {
    expect(['Quant_Signals', '../etc', '---', 'a'.repeat(60)].map(namePart)).toEqual(['quant-signals', 'etc', 'app', 'a'.repeat(40)]);
  });
});
