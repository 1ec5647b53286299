import { initialOf } from '../../../logic/format';
import { S } from '../../../strings';
import type { PosterFacts } from './poster-facts';

/** The poster in design units; the canvas is scaled to its real size and pixel ratio before drawing. */
export const POSTER = { width: 300, height: 480 } as const;

const RED = '#ff5a3c';
const FONT = '"PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
const AVATAR_COLORS = ['#ff8a65', '#4db6ac', '#7986cb', '#f06292', '#ffb74d', '#64b5f6', '#a1887f'];

/** The two pictures the poster shows; no avatar (none set, or it would not load) draws the initial instead. */
export interface PosterImages {
  avatar: CanvasImageSource | null;
  code: CanvasImageSource;
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number) {
  // By hand: the chat app's older canvas has no roundRect.
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

/** A line cut with "…" to fit: a nickname may be as wide as the poster. */
function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  const chars = Array.from(text);
  while (chars.length > 1 && ctx.measureText(`${chars.join('')}…`).width > maxWidth) chars.pop();
  return `${chars.join('')}…`;
}

function text(ctx: CanvasRenderingContext2D, s: string, x: number, y: number, font: string, color: string, maxWidth = POSTER.width - 48) {
  ctx.font = `${font} ${FONT}`;
  ctx.fillStyle = color;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(fitText(ctx, s, maxWidth), x, y);
}

function avatarColor(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return AVATAR_COLORS[h % AVATAR_COLORS.length]!;
}

/** Draws the whole poster on a context already scaled to design units. */
export function drawPoster(ctx: CanvasRenderingContext2D, facts: PosterFacts, images: PosterImages) {
  const { width: W, height: H } = POSTER;
  const cx = W / 2;
  ctx.clearRect(0, 0, W, H);

  // The band behind everything, in the app's red.
  const bg = ctx.createLinearGradient(0, 0, 0, H);
  bg.addColorStop(0, RED);
  bg.addColorStop(1, '#ff8a65');
  roundRect(ctx, 0, 0, W, H, 14);
  ctx.fillStyle = bg;
  ctx.fill();

  // The white card, with the avatar sitting on its top edge.
  const cardTop = 60;
  const cardBottom = H - 36;
  roundRect(ctx, 16, cardTop, W - 32, cardBottom - cardTop, 12);
  ctx.fillStyle = '#ffffff';
  ctx.fill();

  const r = 32;
  ctx.beginPath();
  ctx.arc(cx, cardTop, r + 3, 0, Math.PI * 2);
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  ctx.save();
  ctx.beginPath();
  ctx.arc(cx, cardTop, r, 0, Math.PI * 2);
  ctx.clip();
  if (images.avatar) {
    ctx.drawImage(images.avatar, cx - r, cardTop - r, r * 2, r * 2);
  } else {
    ctx.fillStyle = avatarColor(facts.name);
    ctx.fillRect(cx - r, cardTop - r, r * 2, r * 2);
    text(ctx, initialOf(facts.name), cx, cardTop + 1, 'bold 28px', '#ffffff');
  }
  ctx.restore();

  text(ctx, S.poster.headline(facts.name), cx, cardTop + 56, 'bold 17px', '#333333');
  text(ctx, S.poster.energy(facts.energy), cx, cardTop + 88, 'bold 22px', RED);

  // Progress to the next red-packet rung.
  if (facts.progressText !== null) {
    const barX = 48;
    const barW = W - 96;
    const barY = cardTop + 112;
    roundRect(ctx, barX, barY, barW, 10, 5);
    ctx.fillStyle = '#ffe6df';
    ctx.fill();
    if (facts.fill > 0) {
      roundRect(ctx, barX, barY, Math.max(10, barW * facts.fill), 10, 5);
      ctx.fillStyle = RED;
      ctx.fill();
    }
    text(ctx, facts.progressText, cx, barY + 26, '12px', '#999999');
  }

  // A dashed fold between who shares and the code that helps them.
  const foldY = cardTop + 166;
  ctx.save();
  ctx.strokeStyle = '#f0d9d2';
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  ctx.moveTo(32, foldY);
  ctx.lineTo(W - 32, foldY);
  ctx.stroke();
  ctx.restore();

  const code = 148;
  ctx.drawImage(images.code, cx - code / 2, foldY + 16, code, code);
  text(ctx, S.poster.scanHint, cx, foldY + 16 + code + 20, '13px', '#666666');

  text(ctx, S.appName, cx, H - 18, 'bold 13px', '#ffffff');
}
