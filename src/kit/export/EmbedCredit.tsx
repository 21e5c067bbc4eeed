/** The credit line under an embedded figure: where it comes from, linking back to it in the essay. */
import { useSelector, paramStore } from '../../state/store';
import { figureLink } from './embed';

export function EmbedCredit({ id }: { id: string }) {
  const state = useSelector(paramStore, (s) => s);
  return (
    <p className="embed-credit" data-testid="embed-credit">
      From <cite>Token directions</cite>, an explorable essay with a small GPT running in your browser.{' '}
      <a href={figureLink(id, state)} target="_blank" rel="noopener">
        Open this figure in the essay
      </a>
    </p>
  );
}
