/**
 * DOM stand-ins for Taro's components, with the same prop names the app uses, so presentational
 * components render under jsdom. Behaviour (clicks, input values) maps onto plain DOM events.
 */
import { forwardRef, type CSSProperties, type ReactNode } from 'react';

interface Common {
  className?: string;
  style?: CSSProperties;
  children?: ReactNode;
  onClick?: () => void;
}

/** A ref reaches the DOM node, as NutUI expects of Taro's View. */
export const View = forwardRef<HTMLDivElement, Common & { 'aria-label'?: string }>(function View(
  { className, style, children, onClick },
  ref,
) {
  return (
    <div ref={ref} className={className} style={style} onClick={onClick}>
      {children}
    </div>
  );
});

export function Text({ className, children, onClick }: Common & { selectable?: boolean; userSelect?: boolean }) {
  return (
    <span className={className} onClick={onClick}>
      {children}
    </span>
  );
}

export function Button({
  className,
  children,
  onClick,
  disabled,
  openType,
}: Common & { disabled?: boolean; loading?: boolean; openType?: string; 'data-kind'?: string }) {
  return (
    <button className={className} onClick={onClick} disabled={disabled} data-open-type={openType}>
      {children}
    </button>
  );
}

export function Input({
  className,
  value,
  placeholder,
  onInput,
}: {
  className?: string;
  value?: string;
  placeholder?: string;
  type?: string;
  maxlength?: number;
  placeholderClass?: string;
  onInput?: (e: { detail: { value: string } }) => void;
  onBlur?: (e: { detail: { value: string } }) => void;
  onConfirm?: () => void;
}) {
  return (
    <input
      className={className}
      value={value}
      placeholder={placeholder}
      onChange={(e) => onInput?.({ detail: { value: e.target.value } })}
    />
  );
}

export function Image({ className, src }: { className?: string; src: string; mode?: string }) {
  return <img className={className} src={src} alt='' />;
}

/** A plain canvas: the poster page's drawing is stubbed, only its place on the page is rendered. */
export function Canvas({ className, id }: { className?: string; id?: string; type?: '2d' | 'webgl' }) {
  return <canvas className={className} id={id} />;
}
