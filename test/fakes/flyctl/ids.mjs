/**
 * Deterministic identifiers shaped like Fly's: every id is a hash of (kind, counter), so the same
 * sequence of fake invocations always yields the same ids. Shapes follow real payloads
 * (superfly/docs reference/machines/_machines_list_resp.erb and public transcripts):
 *   machine id     14 lowercase hex        "148ed559b20389"
 *   machine name   adjective-noun-NNNN     "aged-wind-2649"
 *   instance id    ULID (26, Crockford)    "01J9Z3Q2T1G7W5YH8N3K6P4RAB"
 *   volume id      vol_ + 16 [a-z0-9]      "vol_w0enxv3e7nor8okp"
 *   image id       img_ + 16 [a-z0-9]      "img_3xdk4x0kg574go0e"
 *   request id     ULID-region             "01J9Z3Q2T1G7W5YH8N3K6P4RAB-iad"
 */
import { createHash } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const ADJECTIVES = [
  'aged',
  'bold',
  'calm',
  'damp',
  'dark',
  'dry',
  'empty',
  'fancy',
  'frosty',
  'green',
  'holy',
  'late',
  'lively',
  'misty',
  'morning',
  'old',
  'polished',
  'proud',
  'quiet',
  'restless',
  'rough',
  'shy',
  'silent',
  'small',
  'snowy',
  'solitary',
  'spring',
  'still',
  'summer',
  'weathered',
  'white',
  'young',
];
const NOUNS = [
  'bird',
  'breeze',
  'brook',
  'cloud',
  'dawn',
  'dew',
  'dream',
  'dust',
  'field',
  'fire',
  'flower',
  'fog',
  'forest',
  'frog',
  'glade',
  'grass',
  'haze',
  'hill',
  'lake',
  'leaf',
  'meadow',
  'moon',
  'night',
  'pine',
  'pond',
  'rain',
  'river',
  'sea',
  'sky',
  'snow',
  'sun',
  'wind',
];

export function digest(...parts) {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

function encode(bytes, alphabet, length) {
  let out = '';
  for (let i = 0; out.length < length; i++) out += alphabet[bytes[i % bytes.length] % alphabet.length];
  return out;
}

export const hexId = (kind, n, length = 14) => digest(kind, String(n)).toString('hex').slice(0, length);

/** A ULID whose time part is `ms` and whose random part comes from (kind, n). */
export function ulid(ms, kind, n) {
  let time = '';
  let t = Math.max(0, Math.floor(ms));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + encode(digest('ulid', kind, String(n)), CROCKFORD, 16);
}

export const machineName = (n) => {
  const bytes = digest('name', String(n));
  return `${ADJECTIVES[bytes[0] % ADJECTIVES.length]}-${NOUNS[bytes[1] % NOUNS.length]}-${1000 + (bytes.readUInt16BE(2) % 9000)}`;
};

export const volumeId = (n) => `vol_${encode(digest('volume', String(n)), BASE36, 16)}`;
export const imageId = (n) => `img_${encode(digest('image', String(n)), BASE36, 16)}`;
export const releaseId = (n) => encode(digest('release', String(n)), BASE62, 25);
export const orgId = (slug) => encode(digest('org', slug), BASE62, 22);
export const numericId = (kind, key) => String(100000 + (digest('numeric', kind, key).readUInt32BE(0) % 900000));
export const requestId = (ms, n, region = 'iad') => `${ulid(ms, 'request', n)}-${region}`;
export const imageDigest = (ref) => `sha256:${digest('image-digest', ref).toString('hex')}`;
export const zone = (region, n) => `${encode(digest('zone', region, String(n)), BASE36, 4)}`;

/** A 6PN address inside the app's network, like "fdaa:0:18:a7b:196:e274:9ce1:2". */
export function privateIp(app, n) {
  const net = digest('net', app);
  const host = digest('host', app, String(n));
  const h = (b, i) => b.readUInt16BE(i).toString(16);
  return `fdaa:${net[0] % 10}:${h(net, 2)}:a7b:${h(host, 0)}:${h(host, 2)}:${h(host, 4)}:2`;
}
