import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../platform/config';

/**
 * Channel secrets (SMTP password, SMS access-key secret, robot webhook URLs and signing secrets) are encrypted at
 * rest with AES-256-GCM. The key is derived (HKDF-SHA256) from HUIKUAN_SECRET_KEY; without it, from a random key
 * kept in `<data dir>/secret.key` (created once, mode 0600), so the embedded setup works out of the box and a
 * database dump or backup without that key does not reveal the secrets. Each ciphertext is bound to its
 * organization and field (GCM additional data), so it cannot be copied into another organization's row.
 */

export const SECRET_KEY_ENV = 'HUIKUAN_SECRET_KEY';
const KEY_FILE = 'secret.key';
const VERSION = 'v1';

export type SecretBox = {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
};

const boxes = new Map<string, SecretBox>();

/** The organization secret box for this installation: one per key source, created lazily. */
export function secretBoxFor(
  config: Pick<Config, 'dataDir'>,
  env: NodeJS.ProcessEnv = process.env,
): SecretBox {
  const fromEnv = env[SECRET_KEY_ENV];
  const cacheKey = fromEnv ? `env:${fromEnv}` : `file:${config.dataDir}`;
  let box = boxes.get(cacheKey);
  if (!box) {
    box = secretBoxFromKeyMaterial(fromEnv ? Buffer.from(fromEnv, 'utf8') : keyFileMaterial(config.dataDir));
    boxes.set(cacheKey, box);
  }
  return box;
}

function keyFileMaterial(dataDir: string): Buffer {
  const file = path.join(dataDir, KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    // 'wx' fails if another process created it in between; then read theirs.
    try {
      fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'utf8');
}

export function secretBoxFromKeyMaterial(material: Buffer): SecretBox {
  if (material.length < 16) {
    throw new Error(`${SECRET_KEY_ENV} must be at least 16 characters long`);
  }
  const key = Buffer.from(hkdfSync('sha256', material, 'huikuan', 'channel-secrets v1', 32));
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join(':');
    },
    open(sealed, context) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
