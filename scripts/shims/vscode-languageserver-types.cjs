// What dockerfile-ast uses of vscode-languageserver-types (3.18, MIT, Microsoft): Position.create and Range.create,
// as that package defines them. scripts/build.mjs bundles this instead of the whole package (84 KB of LSP types
// evaluated at load, ~5 ms of every `validate`), and fails the build when dockerfile-ast uses anything else.
'use strict';
const MAX = 2147483647; // uinteger.MAX_VALUE
const toString = Object.prototype.toString;
const isUinteger = (value) => toString.call(value) === '[object Number]' && 0 <= value && value <= MAX;
const isPosition = (value) => value !== null && typeof value === 'object' && isUinteger(value.line) && isUinteger(value.character);

const Position = {
  create(line, character) {
    if (line === Number.MAX_VALUE) line = MAX;
    if (character === Number.MAX_VALUE) character = MAX;
    return { line, character };
  },
};

const Range = {
  create(one, two, three, four) {
    if (isUinteger(one) && isUinteger(two) && isUinteger(three) && isUinteger(four)) {
      return { start: Position.create(one, two), end: Position.create(three, four) };
    } else if (isPosition(one) && isPosition(two)) {
      return { start: one, end: two };
    } else {
      throw new Error(`Range#create called with invalid arguments[${one}, ${two}, ${three}, ${four}]`);
    }
  },
};

module.exports = { Position, Range };
