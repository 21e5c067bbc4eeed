import { Chapter } from '../components/Chapter';
import { Figure, Aside } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { ThreeRankings } from '../../figures/three-rankings/ThreeRankings';
import { Hypersphere } from '../../figures/hypersphere/Hypersphere';
import { LogitLens } from '../../figures/logit-lens/LogitLens';
import { Fact } from '../../kit/facts';
import { AttributionSection } from './06-attribution';

export function Chapter06() {
  return (
    <Chapter n={6} id="ch6" title="Points or directions?" stages={['blocks', 'ln_f', 'unembedding']}>
      <p>
        After the last block and the final LayerNorm, the model holds one vector <Tex tex="x" /> at the end of the prompt:{' '}
        <Fact n="dmodel" className="p2-live" /> numbers. The next step is to turn it into a choice among{' '}
        <Fact n="vocab" className="p2-live" /> tokens. A natural-sounding way to describe that step is “find the token that is closest to{' '}
        <Tex tex="x" />
        ”, as if every token were a point and the model were looking for its nearest neighbour. The model does not do that. It scores every
        token by a dot product with that token’s row <Tex tex="u_i" /> of the unembedding matrix, and the two notions of “close” come apart.
      </p>
      <p>Expanding the squared distance shows exactly how:</p>
      <Tex
        block
        tex={String.raw`\lVert x-u_i\rVert^2 \;=\; \lVert x\rVert^2 \;+\; \lVert u_i\rVert^2 \;-\; 2\,\underbrace{x\cdot u_i}_{\text{logit}_i}`}
      />
      <p>
        The first term is the same for every token, so on its own it cannot change the order. The last term is the logit: a larger logit
        means a smaller distance, as one would hope. But the middle term, the squared length of the token’s own row, counts <em>against</em>{' '}
        the token in the distance ranking, while in the logit{' '}
        <Tex tex={String.raw`x\cdot u_i = \lVert x\rVert\,\lVert u_i\rVert\cos\theta_i`} /> a longer row counts <em>for</em> it. The nearest
        point is a tug of war between the two, and who wins depends on <Tex tex={String.raw`\lVert x\rVert`} />, a length that does not
        change the model’s choice at all (chapter 7 shows it only sharpens or flattens the probabilities). Shrink <Tex tex="x" /> towards
        zero and the nearest point is simply the token with the shortest row, whatever its direction; stretch it and the distance ranking
        slowly falls into line with the dot product. The cosine removes length from both sides and keeps only the angle.
      </p>
      <Figure
        id="fig-6a"
        wide
        caption={
          <>
            <strong>Three rankings of the whole vocabulary</strong> for the final vector at the last position of your prompt. The middle
            column is the model’s own ranking (its logits); ★ marks the prediction in all three. The distance column measures from a copy{' '}
            <em>x′</em> of x whose length you choose with the slider (the other two columns do not depend on it); the small chart gives the
            prediction’s rank by distance at every length. Drag the slider, then edit the prompt.
          </>
        }
      >
        <ThreeRankings />
      </Figure>
      <p>
        When the rows of <Tex tex="W_U" /> have similar lengths (figure 7b shows how similar they are in the active model), the dot product
        is mostly the cosine times a constant, and the two rankings agree near the top. The nearest point agrees only when <Tex tex="x" />{' '}
        happens to be long enough, and its ranking moves whenever that length changes, while the model’s does not. That suggests a different
        picture of the space: each token is a <em>direction</em> from the origin, a hidden state points somewhere on a sphere of directions,
        and its length is a separate quantity, which we come to in the next chapter.
      </p>

      <h3>Watching the direction form, layer by layer</h3>
      <p>
        A vector of <Fact n="dmodel" className="p2-live" /> numbers cannot be drawn, but a slice of the space can. Pick two tokens, say{' '}
        <span className="tok">·Mary</span> and <span className="tok">·John</span>, and take the plane spanned by their unembedding rows{' '}
        <Tex tex="u_a" /> and <Tex tex="u_b" />. Gram–Schmidt gives an orthonormal basis of it,
      </p>
      <Tex
        block
        tex={String.raw`e_1 = \frac{u_a}{\lVert u_a\rVert},\qquad e_2 = \frac{u_b-(u_b\cdot e_1)\,e_1}{\lVert u_b-(u_b\cdot e_1)\,e_1\rVert},\qquad v \;\mapsto\; (v\cdot e_1,\; v\cdot e_2).`}
      />
      <p>
        Projecting onto this plane throws away everything else, but not the two numbers we care about: since <Tex tex="u_a" /> and{' '}
        <Tex tex="u_b" /> lie in the plane, <Tex tex="v\cdot u_a" /> and <Tex tex="v\cdot u_b" /> come out exactly the same after the
        projection. For each block we take the residual stream at the last position and pass it through the final LayerNorm, the way the
        model would read it out if it stopped there. That read-out vector is what <Tex tex="W_U" /> actually multiplies, so the picture
        shows the two tokens’ logits without distortion; drawing the raw residual instead (a checkbox below) would mix in the LayerNorm’s
        centring, rescaling and per-coordinate gain, and the angles would no longer say anything about the prediction.
      </p>
      <p>
        One more honesty check. The angles you read off the plane are not the angles in the full space. Most of the vector sticks out of the
        plane (the table gives the share that lies in it), and the part that is left makes every angle look more extreme than it is: the
        true angles sit closer to a right angle. But the in-plane cosine of each token is the true cosine multiplied by one and the same
        factor for both tokens, so the picture orders <span className="tok">·Mary</span> and <span className="tok">·John</span> exactly as
        the full-dimensional cosines do.
      </p>
      <Figure
        id="fig-6b"
        wide
        caption={
          <>
            <strong>The last position’s vector after each block</strong> (E = the embedding, then block 1, 2, …), read through the final
            LayerNorm and projected onto the plane of two unembedding rows. Rings mark equal length within the plane; the arcs show the
            angle from the final point to each ray. Type a new prompt and the trajectory moves to its new place; type other tokens to change
            the plane; tick <em>Centre</em> to subtract the mean row of W<sub>U</sub> first.
          </>
        }
      >
        <Hypersphere />
      </Figure>
      <p>
        The <em>Centre</em> checkbox deserves a word. The rows of <Tex tex="W_U" /> are not spread evenly around the origin: they share a
        large common component, their mean <Tex tex={String.raw`\mu = \tfrac{1}{V}\sum_i u_i`} />. Seen from the origin, every pair of rows
        therefore looks similar, and the two rays crowd together. Subtracting <Tex tex="\mu" /> from every row changes each logit by the
        same amount,
      </p>
      <Tex block tex={String.raw`x\cdot(u_i-\mu) \;=\; x\cdot u_i \;-\; x\cdot\mu,`} />
      <p>
        and adding a constant to every logit leaves the softmax, and so every prediction, untouched. What changes is the angles: with the
        shared part removed, the rays open up and the plane shows what actually tells the two tokens apart. Chapter 10 returns to this.
      </p>

      <h3>Reading every layer at once</h3>
      <p>
        The same read-out works at every position, not just the last: send each layer’s residual vector through the final LayerNorm and{' '}
        <Tex tex="W_U" /> and ask which token it points at. This “logit lens” is crude, because the later blocks have not yet done their
        work, but it shows where in the stack the answer settles.
      </p>
      <Figure
        id="fig-6c"
        wide
        caption={
          <>
            <strong>Logit lens.</strong> Rows are layers (the embedding at the top, the last block at the bottom), columns are the prompt’s
            positions; each cell is the top token read out at that point, coloured by its probability. Hover, focus or click a cell for its
            top five. Outlined cells in the last column already agree with the final answer.
          </>
        }
      >
        <LogitLens />
      </Figure>
      <Aside>
        Every cell of the lens goes through the same final LayerNorm, which rescales its input to a fixed length before the gain is applied.
        So each cell is, in effect, a statement about the <em>direction</em> of the residual stream at that layer and position.
      </Aside>
      <AttributionSection />
    </Chapter>
  );
}
