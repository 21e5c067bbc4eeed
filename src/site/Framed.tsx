/** Shown instead of the essay when another site frames the whole page (only embed mode may be framed). */
export function FramedRefusal() {
  const here = window.location.href;
  return (
    <main className="framed-refusal">
      <p>
        This essay opens in its own tab.{' '}
        <a href={here} target="_blank" rel="noopener">
          Open Token directions
        </a>
        . To put one figure in a page, use a figure’s Share → Embed code.
      </p>
    </main>
  );
}
