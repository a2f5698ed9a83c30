/** issue 18: `loadtest -a 'example.com/x?'` aimed the load at example.com. */
import { expect, test } from 'vitest';
import { appTarget } from '../../../src/loadtest/target.js';

test('-a NAME always aims at NAME.fly.dev, with --path as path and query only', () => {
  expect(appTarget('quant-signals', '/predict?x=1').href).toBe('https://quant-signals.fly.dev/predict?x=1');
  expect(appTarget('quant-signals', 'health').href).toBe('https://quant-signals.fly.dev/health');
  expect(() => appTarget('q', '//example.com/x')).toThrow('names another host');
  // it was loaded as https://q.fly.dev/https://example.com/x
  expect(() => appTarget('q', 'https://example.com/x')).toThrow(
    '--path "https://example.com/x" is a URL; --path is the path on https://q.fly.dev/, e.g. /predict.',
  );
});

test.each(['example.com/x?', 'evil.com#', 'a@example.com', '--help'])('-a %j is not an app name', (app) => {
  expect(() => appTarget(app, '/')).toThrow('is not a valid Fly app name');
});
