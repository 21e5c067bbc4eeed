import { Chapter } from '../components/Chapter';
import { Figure } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { Fact } from '../../kit/facts';
import { Positions } from '../../figures/positions/Positions';

/** Chapter 3: the positional vectors added to the token vectors. */
export function Chapter03() {
  return (
    <Chapter n={3} id="ch3" title="Where each token sits" stages={['positions']}>
      <p>
        A row of <Tex tex="W_E" /> says which token is present but not where. Attention, the part of each block that lets positions exchange
        information, treats its inputs as an unordered set, so the order has to be written into the vectors themselves. GPT-2 does this with
        a second learned table, <Tex tex="W_{\text{pos}}" />, with one row per position (
        <Fact n="positions" /> of them in the active model, which is also the longest prompt it can read). Row <Tex tex="t" /> is simply
        added to the token vector at position <Tex tex="t" />:
      </p>
      <Tex block tex="h^{(0)}_t \;=\; W_E[\mathrm{id}_t] + W_{\text{pos}}[t]." />
      <p>
        After the addition the two cannot be told apart by looking at the sum; the model has to learn to read both out of the same{' '}
        <Fact n="dmodel" /> numbers. Learned positions usually come out smooth: each position’s vector points nearly the same way as its
        neighbours’ and drifts away slowly, so “nearby in the text” becomes “nearby in direction”.
      </p>
      <Figure
        id="fig-positions"
        wide
        caption={
          <>
            Top: the length of each positional vector. Bottom: the cosine between the vectors of positions <Tex tex="i" /> and{' '}
            <Tex tex="j" /> (blue: same direction, white: unrelated, red: opposite), and the average cosine between positions a fixed
            distance apart. Point at the heatmap to read a cell; a bright band along the diagonal means neighbouring positions look alike.
            Switch models at the top to compare.
          </>
        }
      >
        <Positions />
      </Figure>
    </Chapter>
  );
}
