/** Why `gpuctl agent` cannot listen, and the one change that helps: the port when it is taken, the host when it is not this machine's. */
import { expect, it } from 'vitest';
import { listenFailure } from '../../../src/agent/run.js';

const error = (code: string, message = `listen ${code}`) => Object.assign(new Error(message), { code });

it('a port in use: pick another port', () => {
  expect(listenFailure('127.0.0.1', error('EADDRINUSE'))).toEqual({
    why: 'the port is in use',
    hint: 'Pick another port with --listen HOST:PORT (and the same port in fly.toml [metrics] and [checks.gpu]).',
  });
});

it('an address this machine does not have, or a name that does not resolve: change the host, not the port (the old hint)', () => {
  const hostHint =
    'Listen on an address of this machine: 0.0.0.0 (every IPv4 interface), [::] (every interface, as the templates do) or 127.0.0.1.';
  expect(listenFailure('10.9.9.9', error('EADDRNOTAVAIL'))).toEqual({
    why: '10.9.9.9 is not an address of this machine (EADDRNOTAVAIL)',
    hint: hostHint,
  });
  expect(listenFailure('nosuchhost.invalid', error('ENOTFOUND'))).toEqual({
    why: 'the name nosuchhost.invalid does not resolve (ENOTFOUND)',
    hint: hostHint,
  });
});
