import { Chapter } from '../components/Chapter';
import { Figure } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { SizeConfidence } from '../../figures/size-confidence/SizeConfidence';
import { LongRows } from '../../figures/size-confidence/LongRows';
import { Fact, WithForward } from '../../kit/facts';
import { fmt, pct } from '../../kit/format';
import { maxProb } from '../../geometry/softmax';
import type { ForwardResult } from '../../runtime/types';

/** |x| and the top probability at the last position of the shared prompt. */
function lastStats(f: ForwardResult) {
  const t = f.T - 1;
  let s = 0;
  for (let i = 0; i < f.D; i++) s += f.lnFinal[t * f.D + i] ** 2;
  const logits = f.logits.subarray((f.logitsRows - 1) * f.V, f.logitsRows * f.V);
  return { norm: Math.sqrt(s), top: maxProb(logits, 1) };
}

export function Chapter07() {
  return (
    <Chapter n={7} id="ch7" title="Size is confidence" stages={['unembedding', 'softmax']}>
      <p>
        If the direction of <Tex tex="x" /> decides which token wins, what is its length for? Write every logit as a length times a cosine
        and pull out the length of <Tex tex="x" />:
      </p>
      <Tex
        block
        tex={String.raw`z_i \;=\; \lVert x\rVert\;\bigl(\lVert u_i\rVert\cos\theta_i\bigr),\qquad p_i \;=\; \frac{e^{z_i}}{\sum_j e^{z_j}}.`}
      />
      <p>
        Stretching <Tex tex="x" /> by a factor <Tex tex="s" /> multiplies every logit by <Tex tex="s" />. The order does not change, but the
        gaps between logits grow, and the softmax turns larger gaps into a more lopsided distribution. That is exactly what dividing by a
        temperature <Tex tex="T = 1/s" /> does. At length zero every logit is zero and every token gets the same share, one over the
        vocabulary size (here <Tex tex="1/" />
        <Fact n="vocab" className="p2-live" />
        ); as the length grows without bound, all the probability goes to the best-aligned token. Length is how sure the model is.
      </p>
      <Figure
        id="fig-7"
        wide
        caption={
          <>
            <strong>A toy unembedding with five tokens in the plane.</strong> Drag the tip of <em>x</em> (or focus it and use the arrow
            keys: up/down for length, left/right to turn it), or use the sliders. The bars are softmax(u<sub>i</sub>·x); the dashed tick is
            the uniform share. The small chart shows the top probability against |x| in the current direction. Then lengthen the{' '}
            <span className="tok">·gold</span> row and point x between <span className="tok">·red</span> and{' '}
            <span className="tok">·gold</span>.
          </>
        }
      >
        <SizeConfidence />
      </Figure>
      <p>
        The second lesson of the toy is about the rows rather than <Tex tex="x" />. A token whose row is longer than its neighbours gets a
        larger logit for the same angle, so it wins over a region of directions wider than its fair share: it is a bigger target. In the
        toy, with a long <span className="tok">·gold</span> row, <Tex tex="x" /> can point visibly closer to{' '}
        <span className="tok">·red</span> and still pick <span className="tok">·gold</span>. Real unembedding matrices have such rows too;
        here are the longest ones in the active model:
      </p>
      <Figure
        id="fig-7b"
        caption={
          <>
            The six longest rows of W<sub>U</sub> in the active model, against the median row length. Switch models at the top to compare.
          </>
        }
      >
        <LongRows />
      </Figure>
      <p>
        In the model itself, <Tex tex="x" /> is the output of the final LayerNorm, whose length is pinned down by the normalisation and its
        learned gain; for your prompt it is <WithForward>{(f) => <span className="p2-live">{fmt(lastStats(f).norm, 3)}</span>}</WithForward>{' '}
        at the last position, where the top token gets{' '}
        <WithForward>{(f) => <span className="p2-live">{pct(lastStats(f).top)}</span>}</WithForward>. So the model cannot grow its
        confidence simply by growing the residual stream; it has to do it through where <Tex tex="x" /> points relative to the gain and to
        the rows. We come back to this in chapter 10.
      </p>
    </Chapter>
  );
}
