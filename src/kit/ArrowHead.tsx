/** An SVG arrowhead for a line's end (`marker-end: url(#id)`); goes inside the figure's <defs>. */
export function ArrowHead({ id, fill, className }: { id: string; fill?: string; className?: string }) {
  return (
    <marker id={id} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
      <path d="M0,0 L10,5 L0,10 z" fill={fill} className={className} />
    </marker>
  );
}
