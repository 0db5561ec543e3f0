import { generateKeyPairSync } from 'node:crypto';

/*
 * npm run --silent key:generate >> .env
 * Prints a new ES256 signing key as one `JWT_PRIVATE_KEY=…` line (PEM with \n escapes, which the
 * configuration accepts), for docker compose's .env file or a secret store.
 */
const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
process.stdout.write(`JWT_PRIVATE_KEY="${pem.trim().replace(/\n/g, '\\n')}"\n`);
