import { expect, test } from 'vitest';
import { locator, scanToml } from '../../../src/shared/toml-scan.js';

const TEXT = `# header comment
app = "x" # trailing
"quoted.key" = 'v'
multi = """
line [not a table]
"""
arr = [
  1, # comment ]
  2,
]

# about vm
[[vm]]
  size = "a"
[[vm]]
  size = "b"

[[services]]
  [[services.ports]]
    port = 80
[[services]]
  [[services.ports]]
    port = 81
  [[services.ports]]
    port = 82
[ http_service . concurrency ]
  soft_limit = 1
inline = { a = 1, b = [2, 3] }
`;

test('tables carry indexed paths, header lines and the comments above them', () => {
  const tables = scanToml(TEXT);
  expect(tables.map((t) => t.path)).toEqual([
    [],
    ['vm', 0],
    ['vm', 1],
    ['services', 0],
    ['services', 0, 'ports', 0],
    ['services', 1],
    ['services', 1, 'ports', 0],
    ['services', 1, 'ports', 1],
    ['http_service', 'concurrency'],
  ]);
  const vm = tables[1]!;
  expect(vm.line).toBe(12);
  expect(TEXT.slice(vm.leadStart, vm.start)).toBe('# about vm\n');
});

test('keys know their exact value span, across multi-line strings and arrays with comments', () => {
  const root = scanToml(TEXT)[0]!;
  const value = (name: string) => {
    const key = root.keys.find((k) => k.key.join('.') === name)!;
    return TEXT.slice(key.valueStart, key.valueEnd);
  };
  expect(root.keys.map((k) => k.key)).toEqual([['app'], ['quoted.key'], ['multi'], ['arr']]);
  expect(value('app')).toBe('"x"');
  expect(value('quoted.key')).toBe("'v'");
  expect(value('multi')).toBe('"""\nline [not a table]\n"""');
  expect(value('arr')).toBe('[\n  1, # comment ]\n  2,\n]');
});

test('locator finds keys, falls back to the nearest ancestor, and is 1-based', () => {
  const at = locator(scanToml(TEXT));
  expect(at(['vm', 1, 'size'])).toEqual({ line: 16, column: 3 });
  expect(at(['services', 1, 'ports', 1, 'port'])).toEqual({ line: 25, column: 5 });
  expect(at(['http_service', 'concurrency', 'inline', 'b', 1])).toEqual({ line: 28, column: 1 });
  expect(at(['http_service', 'concurrency', 'missing'])).toEqual({ line: 26, column: 1 });
  expect(at(['nowhere'])).toEqual({ line: 1, column: 1 });
});
