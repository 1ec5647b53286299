import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where uploaded avatars live. The disk under the data folder is the default; an object store
 * (S3, COS, OSS) implements the same two calls so several instances share the pictures.
 */
export interface AvatarStorage {
  put(name: string, bytes: Buffer): Promise<void>;
  /** The bytes, or null when there is no such avatar. */
  get(name: string): Promise<Buffer | null>;
}

export function diskAvatarStorage(dir: string): AvatarStorage {
  return {
    async put(name, bytes) {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, name), bytes, { flag: 'wx' });
    },
    async get(name) {
      try {
        return await readFile(path.join(dir, name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}
