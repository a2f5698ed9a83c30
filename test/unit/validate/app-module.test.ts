/** The CMD's `python -m <module>` check looks for the application's own module only, never an installed one. */
import { expect, test } from 'vitest';
import { validateFiles } from '../../../src/validate/index.js';

const warnings = (cmd: string, context: readonly string[]) =>
  validateFiles(
    { dockerfile: { path: 'Dockerfile', text: `FROM python:3.12-slim\nUSER 1000\n${cmd}\n` } },
    { contextHas: (path) => context.includes(path) },
  )
    .filter((f) => f.id === 'dockerfile-missing-file')
    .map((f) => f.message);

test('a module from the standard library or an installed package is not looked for in the context', () => {
  expect(warnings('CMD ["python", "-m", "http.server", "8080"]', [])).toEqual([]);
  expect(warnings('CMD ["python3", "-m", "uvicorn", "main:app", "--port", "8080"]', ['main.py'])).toEqual([]);
  expect(warnings('CMD python3 -m vllm.entrypoints.openai.api_server --model /models/x', [])).toEqual([]);
});

test("the application's own module is: init's `app`, or a package the context has", () => {
  expect(warnings('CMD ["python3", "-m", "app"]', [])).toEqual([
    expect.stringContaining('CMD runs the module app, but neither app.py nor app/__main__.py'),
  ]);
  expect(warnings('CMD ["python3", "-m", "app"]', ['app/__main__.py'])).toEqual([]);
  expect(warnings('CMD ["python3", "-m", "shop.server"]', ['shop'])).toEqual([
    expect.stringContaining('neither shop/server.py nor shop/server/__main__.py'),
  ]);
  expect(warnings('CMD ["python3", "-m", "shop.server"]', ['shop', 'shop/server.py'])).toEqual([]);
});

test("a missing file of gpuctl's own (the agent package, the start script) is pointed at gpuctl init, which writes it", () => {
  const fixes = (line: string) =>
    validateFiles({ dockerfile: { path: 'Dockerfile', text: `FROM python:3.12-slim\nUSER 1000\n${line}\n` } }, { contextHas: () => false })
      .filter((f) => f.id === 'dockerfile-missing-file')
      .map((f) => f.fix);
  expect(fixes('COPY .gpuctl/gpuctl.tgz /tmp/gpuctl.tgz')).toEqual([
    expect.stringMatching(/^`gpuctl init` writes \.gpuctl\/gpuctl\.tgz: run it again in this directory/),
  ]);
  expect(fixes('COPY gpuctl-start.sh /usr/local/bin/')).toEqual([expect.stringMatching(/^`gpuctl init` writes gpuctl-start\.sh/)]);
  expect(fixes('COPY mine.sh /usr/local/bin/')).toEqual(['Add mine.sh next to fly.toml, or remove it from the COPY.']);
});
