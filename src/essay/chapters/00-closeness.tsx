import { Chapter } from '../components/Chapter';
import { Figure } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { Closeness } from '../../figures/closeness/Closeness';

/** Chapter 0: three ways to say two vectors are "close", and which one the model uses. */
export function Chapter00() {
  return (
    <Chapter n={0} id="ch0" title="Three ways to say “close”" stages={['text']}>
      <p>
        Before any model, some geometry. Whenever people say two token vectors are “near” each other, they have to pick a yardstick, and
        there are three common ones. They do not agree.
      </p>
      <ul>
        <li>
          <strong>Euclidean distance</strong> <Tex tex="\lVert a-b\rVert" /> measures the gap between the two arrow tips, as if the vectors
          were dots on a map.
        </li>
        <li>
          <strong>Dot product</strong> <Tex tex="a\cdot b=\sum_k a_k b_k" /> multiplies matching coordinates and adds them up. It is large
          when the arrows point the same way <em>and</em> are long.
        </li>
        <li>
          <strong>Cosine similarity</strong> <Tex tex="\cos\theta" /> keeps only the angle between the arrows, from −1 (opposite) through 0
          (at right angles) to 1 (same direction). Lengths are divided out.
        </li>
      </ul>
      <p>The three are tied together by one identity, which the rest of this essay leans on again and again:</p>
      <Tex
        block
        tex="\begin{gathered} a\cdot b \;=\; \lVert a\rVert\,\lVert b\rVert\,\cos\theta, \\ \lVert a-b\rVert^2=\lVert a\rVert^2+\lVert b\rVert^2-2\,a\cdot b. \end{gathered}"
      />
      <p>
        So the dot product is a length times a length times a cosine. Make one arrow twice as long and the dot product doubles, the distance
        changes, and the cosine stays exactly where it was.
      </p>
      <Figure
        id="fig-closeness"
        caption={
          <>
            Drag the tips of <strong>a</strong> and <strong>b</strong> (or focus one with Tab and use the arrow keys). Then move the “Length
            of b” slider: the arrow grows along its own direction, the distance and the dot product change, the cosine does not. Try making
            b long but slightly off a’s direction, then short and exactly on it: which is “closer” depends on the yardstick.
          </>
        }
      >
        <Closeness />
      </Figure>
      <p>
        A language model has to pick a yardstick too, and it does not pick distance. At its last step it scores every word in its vocabulary
        with a dot product between the word’s vector and the model’s current state. That choice decides how the vectors should be read, and
        the chapters below follow a prompt through the model to show it.
      </p>
    </Chapter>
  );
}
