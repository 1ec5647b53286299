import { Type, type Static } from 'typebox';

/** `/healthz` (the process is alive) and `/readyz` (it can reach its database). */
export const Health = Type.Object({
  ok: Type.Boolean(),
  database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
});
export type Health = Static<typeof Health>;
