import { Chapter } from '../components/Chapter';
import { Figure, Aside } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { Fact, useFacts } from '../../kit/facts';
import { EmbeddingRow } from '../../figures/embedding-row/EmbeddingRow';
import { RoundTrip } from '../../figures/round-trip/RoundTrip';
import { NormHistogram } from '../../figures/norm-histogram/NormHistogram';
import { fmt } from '../../kit/format';

function AvgLeverage() {
  const f = useFacts();
  return <span className="num">{f.ready ? fmt(f.D / f.V, 3) : '…'}</span>;
}

/** Chapter 2: token ids → vectors; the embedding matrix, the round trip, row norms. */
export function Chapter02() {
  return (
    <Chapter n={2} id="ch2" title="Tokens become vectors" stages={['embedding']}>
      <p>
        Next, each id is swapped for a vector. The model keeps a table, the <em>embedding matrix</em> <Tex tex="W_E" />, with one row per
        vocabulary entry: <Fact n="vocab" /> rows of <Fact n="dmodel" /> numbers each in the active model. Embedding token <Tex tex="t" />{' '}
        means reading row <Tex tex="t" />. Written as algebra, that lookup is a product with a <em>one-hot</em> vector <Tex tex="e_t" />,
        all zeros except a single 1 at position <Tex tex="t" />:
      </p>
      <Tex block tex="x \;=\; e_t^{\top} W_E \;=\; W_E[t] \in \mathbb{R}^{D}, \qquad W_E \in \mathbb{R}^{V\times D}." />
      <p>
        Nobody writes these rows by hand. They start as small random numbers and are nudged, along with every other weight, until the model
        predicts its training text well. Whatever structure they end up with is whatever helped prediction.
      </p>
      <Figure
        id="fig-embedding-row"
        wide
        caption={
          <>
            The embedding matrix as an image (blue positive, red negative; rows sampled to fit), with the picked token’s row marked, and
            that row below as a strip of coloured cells. Type a token in the box — keep its leading space, as in “ John” — or choose one of
            the prompt’s tokens, and watch a different row light up.
          </>
        }
      >
        <EmbeddingRow />
      </Figure>
      <h3>Can we go back?</h3>
      <p>
        The lookup squeezes a <Tex tex="V" />
        -long one-hot vector into <Tex tex="D" /> numbers, with <Tex tex="V" /> far larger than <Tex tex="D" />, so no matrix can undo it
        exactly for every token. We can still ask each row how well it matches <Tex tex="x" />, and there are three natural ways to do it:
      </p>
      <ul>
        <li>
          <strong>The transpose.</strong> Score token <Tex tex="i" /> by <Tex tex="w_i\cdot x" />. At the token itself the score is{' '}
          <Tex tex="\lVert w_t\rVert^2" />, and other tokens score high when their rows are long and point roughly the same way — long
          enough, and they beat the token itself.
        </li>
        <li>
          <strong>
            The transpose with each score divided by <Tex tex="\lVert w_i\rVert^2" />.
          </strong>{' '}
          Now the token’s own score is exactly 1. This is what is sometimes loosely called “the inverse”; it is not one.
        </li>
        <li>
          <strong>The left pseudo-inverse</strong> <Tex tex="W_E^{+}=(W_E^{\top}W_E)^{-1}W_E^{\top}" />. It really does invert the lookup on
          the vector side — <Tex tex="W_E^{+}W_E = I_D" /> — and among all <Tex tex="V" />
          -long vectors that embed to <Tex tex="x" /> it returns the shortest. On the vocabulary side it is a projection, so the token’s own
          score is its <em>leverage</em> <Tex tex="h_{tt}=w_t^{\top}(W_E^{\top}W_E)^{-1}w_t" />, at most 1 and only <Tex tex="D/V" /> ={' '}
          <AvgLeverage /> on average here. It reaches 1 only when <Tex tex="V = D" />.
        </li>
      </ul>
      <Figure
        id="fig-round-trip"
        wide
        caption={
          <>
            Embed the token, then score the whole vocabulary with each method: one bar per token, ordered by id; the picked token is marked
            in orange and the highest scores are listed. With the plain transpose, long rows can outscore the token itself; divide by the
            squared lengths and it comes first, followed by tokens whose rows point its way. Try tokens that come in several spellings (“
            John”, “ the”, “ The”) and see which neighbours light up with them.
          </>
        }
      >
        <RoundTrip />
      </Figure>
      <h3>How long are the rows?</h3>
      <p>
        If each row were just a label, all rows could have the same length. They do not. Most rows sit in one broad hump, but a group of
        tokens breaks away from it, and who is in that group says a lot about training. Every vocabulary contains tokens the training text
        hardly ever used: stray bytes, fragments of rare words. What happens to their rows depends on whether the matrix is also used for
        output.
      </p>
      <ul>
        <li>
          In an <em>untied</em> model the embedding row of a token that never appears receives no gradient at all; only weight decay acts on
          it, shrinking it step after step. These rows pile up at the <em>short</em> end.
        </li>
        <li>
          In a <em>tied</em> model the same row is also the token’s output row, and at every step the model learns to give the unseen token
          a lower score. Nothing ever pulls in the other direction, so all such rows are pushed the same way and grow together: a spike at
          the <em>long</em> end, many tokens with almost the same length.
        </li>
      </ul>
      <p>
        The active model is <Fact n="tied" />. Brush the odd end of the histogram and read the tokens it contains.
      </p>
      <Figure
        id="fig-norm-histogram"
        wide
        caption={
          <>
            How many rows of the matrix have each length (the count axis is logarithmic so that a handful of rows still shows). Drag across
            the bars to list the tokens in that range, or use the buttons to jump to the shortest and longest 1%. With the untied model you
            can switch to the unembedding matrix <Tex tex="W_U" />.
          </>
        }
      >
        <NormHistogram />
      </Figure>
      <Aside>
        Row length will matter twice more: in chapter 5, where a longer row is a louder vote for its token, and in chapter 7. Direction
        decides which token a row stands for; length decides how strongly.
      </Aside>
    </Chapter>
  );
}
