/**
 * cobra + pflag as flyctl uses them: find the command from the leading words (aliases allowed),
 * then parse interspersed flags with pflag's rules and texts:
 *   --name=value | --name value | -n value | -nvalue | -abc (bool cluster) | -- ends flags
 *   unknown flag: --json            unknown shorthand flag: 'j' in -j
 *   flag needs an argument: --app   flag needs an argument: 'a' in -a
 *   invalid argument "x" for "--max-per-region" flag: strconv.ParseInt: parsing "x": invalid syntax
 * Flag kinds: bool, string, int, strings (comma-separated, repeatable), array (repeatable).
 */
import { FlyError } from './errors.mjs';

export const GLOBAL_FLAGS = [
  { name: 'access-token', short: 't', kind: 'string' },
  { name: 'verbose', kind: 'bool' },
  { name: 'debug', kind: 'bool' },
  { name: 'help', short: 'h', kind: 'bool' },
];

/** Splits argv into the command node, its canonical names, and the remaining tokens (cobra's Find). */
export function findCommand(root, argv) {
  let node = root;
  const names = [];
  const rest = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') break;
    if (token.startsWith('-') && token !== '-') {
      rest.push(token);
      if ((token === '-t' || token === '--access-token') && i + 1 < argv.length) rest.push(argv[++i]);
      continue;
    }
    const child = node.children?.find((c) => c.name === token || c.aliases?.includes(token));
    if (!child) break;
    node = child;
    names.push(child.name);
  }
  return { node, names, rest: [...rest, ...argv.slice(i)] };
}

function flagLabel(def) {
  return def.short ? `-${def.short}, --${def.name}` : `--${def.name}`;
}

function convert(def, raw, label) {
  const bad = (why) => new FlyError(`invalid argument "${raw}" for "${label}" flag: ${why}`);
  switch (def.kind) {
    case 'bool':
      if (/^(1|t|T|TRUE|true|True)$/.test(raw)) return true;
      if (/^(0|f|F|FALSE|false|False)$/.test(raw)) return false;
      throw bad(`strconv.ParseBool: parsing "${raw}": invalid syntax`);
    case 'int':
      if (!/^[+-]?\d+$/.test(raw)) throw bad(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
      return Number.parseInt(raw, 10);
    default:
      return raw;
  }
}

function store(values, def, value) {
  if (def.kind === 'strings') values[def.name] = [...(values[def.name] ?? []), ...(value === '' ? [] : value.split(','))];
  else if (def.kind === 'array') values[def.name] = [...(values[def.name] ?? []), value];
  else values[def.name] = value;
}

/**
 * Parses tokens against flag definitions. Returns { flags, args, specified } where `flags` holds
 * every definition's value (defaults filled in) under its canonical name and `specified` the
 * canonical names given on the command line (pflag's Changed).
 */
export function parseFlags(tokens, defs) {
  const byLong = new Map();
  const byShort = new Map();
  for (const def of defs) {
    byLong.set(def.name, def);
    for (const alias of def.aliases ?? []) byLong.set(alias, { ...def, alias });
    if (def.short) byShort.set(def.short, def);
  }
  const values = {};
  const specified = new Set();
  const args = [];
  const set = (def, raw, label) => {
    specified.add(def.name);
    store(values, def, convert(def, raw, label));
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === '--') {
      args.push(...tokens.slice(i + 1));
      break;
    }
    if (token.startsWith('--')) {
      const [name, inline] = token.slice(2).split(/=(.*)/s, 2);
      const def = byLong.get(name);
      if (!def) throw new FlyError(`unknown flag: --${name}`);
      const label = def.alias ? `--${def.alias}` : flagLabel(def);
      if (inline !== undefined) set(def, inline, label);
      else if (def.kind === 'bool') set(def, 'true', label);
      else if (i + 1 < tokens.length) set(def, tokens[++i], label);
      else throw new FlyError(`flag needs an argument: --${name}`);
    } else if (token.startsWith('-') && token !== '-') {
      const cluster = token.slice(1);
      for (let j = 0; j < cluster.length; j++) {
        const c = cluster[j];
        const def = byShort.get(c);
        if (!def) throw new FlyError(`unknown shorthand flag: '${c}' in -${cluster}`);
        const rest = cluster.slice(j + 1);
        if (def.kind === 'bool') {
          if (rest.startsWith('=')) {
            set(def, rest.slice(1), flagLabel(def));
            break;
          }
          set(def, 'true', flagLabel(def));
          continue;
        }
        if (rest) set(def, rest.replace(/^=/, ''), flagLabel(def));
        else if (i + 1 < tokens.length) set(def, tokens[++i], flagLabel(def));
        else throw new FlyError(`flag needs an argument: '${c}' in -${cluster}`);
        break;
      }
    } else {
      args.push(token);
    }
  }
  const flags = {};
  for (const def of defs) {
    flags[def.name] =
      values[def.name] ??
      def.default ??
      (def.kind === 'bool' ? false : def.kind === 'int' ? 0 : def.kind === 'strings' || def.kind === 'array' ? [] : '');
  }
  return { flags, args, specified };
}

/** cobra's positional-argument validators and their texts. */
export function checkArgs(node, args, commandPath) {
  const { min = 0, max = Infinity } = node.args ?? { max: 0 };
  if (max === 0 && args.length > 0) throw new FlyError(`unknown command "${args[0]}" for "${commandPath}"`);
  if (min === max && args.length !== min) throw new FlyError(`accepts ${min} arg(s), received ${args.length}`);
  if (args.length < min) throw new FlyError(`requires at least ${min} arg(s), only received ${args.length}`);
  if (args.length > max) {
    if (min > 0) throw new FlyError(`accepts between ${min} and ${max} arg(s), received ${args.length}`);
    throw new FlyError(`accepts at most ${max} arg(s), received ${args.length}`);
  }
}
