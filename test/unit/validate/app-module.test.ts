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
