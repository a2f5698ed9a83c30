/**
 * dockerfile-syntax: every case of the shared table (each built by a real engine in
 * test/e2e/validate-engine.test.ts) raises the rule at its line, its twin does not; heredoc bodies and
 * every Dockerfile gpuctl init writes are not mistaken for instructions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateFiles, exitCodeFor } from '../../../src/validate/index.js';
import { SYNTAX_CASES } from '../../fixtures/validate/dockerfile-syntax/cases.js';
import { FIXTURES } from '../../helpers/cli.js';

const syntax = (text: string) => validateFiles({ dockerfile: { path: 'Dockerfile', text } }).filter((f) => f.id === 'dockerfile-syntax');

describe.each(SYNTAX_CASES)('$name', (c) => {
  test('the failing Dockerfile is a dockerfile-syntax error at its line (exit 2)', () => {
    const hits = syntax(c.fail);
    expect(hits.map((f) => [f.line, f.severity])).toEqual([[c.line, 'error']]);
    expect(hits[0]!.message).toMatch(c.says);
    expect(hits[0]!.fix).not.toBe('');
    expect(exitCodeFor(hits)).toBe(2);
  });
  test('its twin is not', () => {
    expect(syntax(c.pass)).toEqual([]);
  });
});

test('an unknown instruction is named with its column and the nearest real one', () => {
  const [hit] = syntax('FROM scratch\n  COPYY a b\n');
  expect(hit).toMatchObject({ line: 2, column: 3 });
  expect(hit!.fix).toMatch(/^Did you mean COPY\?/);
  expect(syntax('FROM scratch\nfrobnicate\n')[0]!.fix).toMatch(/^Use one of ADD, ARG, CMD/);
});

test('lower-case instructions, heredoc bodies and comments inside continuations are not instructions', () => {
  const text = [
    'from scratch as base',
    'run <<EOF',
    'RUNN this is shell text',
    'COPYY too',
    'EOF',
    'COPY <<EOF /etc/motd',
    'hello world',
    'EOF',
    'LABEL a=b \\',
    '# a comment inside the continuation',
    '  c=d',
    'ENV PATH=/x:$PATH HOME="/home/app user"',
    'CMD',
    'ENTRYPOINT',
    'USER app group',
  ].join('\n');
  expect(syntax(text)).toEqual([]);
});

test('a byte-order mark and CRLF line ends are read as docker reads them', () => {
  expect(syntax('\uFEFFFROM scratch\r\nLABEL a=b \\\r\n  c=d\r\n')).toEqual([]);
  expect(syntax('\uFEFFFROM scratch\r\nRUNN x\r\n').map((f) => f.line)).toEqual([2]);
});

test('every Dockerfile gpuctl init writes (the golden files) passes', () => {
  const files = ['init', 'init-local'].flatMap((dir) =>
    readdirSync(join(FIXTURES, dir)).map((name) => join(dir, name, 'expected/Dockerfile')),
  );
  expect(files.length).toBeGreaterThan(20);
  for (const file of files) expect(syntax(readFileSync(join(FIXTURES, file), 'utf8')), file).toEqual([]);
});
