import { PassThrough, Readable } from 'node:stream';
import { readAdminPassword } from '../../src/cli/admin-password';
import { adminPasswordFromEnv } from '../../src/config';

/** `npm run user:create-admin` no longer needs the password on the command line (issue 15). */
function sources(over: { argv?: string[]; env?: string; stdin?: string | Readable }) {
  const stderr = new PassThrough();
  let warned = '';
  stderr.on('data', (c) => (warned += c));
  const stdin = typeof over.stdin === 'string' || over.stdin === undefined ? Readable.from([over.stdin ?? '']) : over.stdin;
  return { src: { argv: over.argv ?? ['node', 'create-admin.js', '--username', 'root'], envPassword: over.env, stdin, stderr }, warned: () => warned };
}

it('reads ADMIN_PASSWORD from the environment (through config.ts)', async () => {
  expect(adminPasswordFromEnv({ ADMIN_PASSWORD: 'from the environment' })).toBe('from the environment');
  expect(adminPasswordFromEnv({ ADMIN_PASSWORD: '' })).toBeUndefined();
  const { src, warned } = sources({ env: 'from the environment', stdin: 'ignored\n' });
  expect(await readAdminPassword(src)).toBe('from the environment');
  expect(warned()).toBe('');
});

it('else reads the first line piped on standard input', async () => {
  const { src, warned } = sources({ stdin: 'piped password 123\nsecond line\n' });
  expect(await readAdminPassword(src)).toBe('piped password 123');
  expect(warned()).toBe('');
});

it('still accepts --password, with a warning that it is visible in ps and the shell history', async () => {
  const { src, warned } = sources({ argv: ['node', 'create-admin.js', '--username', 'root', '--password', 'on the command line'], env: 'env one' });
  expect(await readAdminPassword(src)).toBe('on the command line');
  expect(warned()).toMatch(/process list and your shell history/);
});

it('at a terminal: asks twice without echo, and refuses two different answers', async () => {
  const tty = () => Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
  const same = tty();
  const { src } = sources({ stdin: same });
  const answer = readAdminPassword(src);
  same.write('typed secret 1\r');
  await new Promise((r) => setImmediate(r));
  same.write('typed secret 1\r');
  expect(await answer).toBe('typed secret 1');
  const differ = tty();
  const second = readAdminPassword(sources({ stdin: differ }).src);
  differ.write('one password!\r');
  await new Promise((r) => setImmediate(r));
  differ.write('another one!!\r');
  await expect(second).rejects.toThrow('The two passwords differ.');
});
