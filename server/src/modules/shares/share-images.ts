import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from 'typebox';
import { AppError } from '../../lib/errors.js';

/** The cards' pictures, drawn once and kept with the server (server/assets/share-cards). */
const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../assets/share-cards');

export const ShareImageParams = Type.Object({ file: Type.Union([Type.Literal('like.png'), Type.Literal('team.png'), Type.Literal('groupbuy.png')]) });

const loaded = new Map<string, Promise<Buffer>>();

/** A card's picture by its file name (only the three the params allow reach here). */
export function shareImage(file: string): Promise<Buffer> {
  let png = loaded.get(file);
  if (!png) {
    png = readFile(path.join(DIR, file)).catch(() => {
      loaded.delete(file);
      throw new AppError('NOT_FOUND', 'No such card picture');
    });
    loaded.set(file, png);
  }
  return png;
}
