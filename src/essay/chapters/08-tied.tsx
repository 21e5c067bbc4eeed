import { Chapter } from '../components/Chapter';
import { Figure } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { TiedUntied } from '../../figures/tied-untied/TiedUntied';
import { ModelName } from '../../kit/facts';

export function Chapter08() {
  return (
    <Chapter n={8} id="ch8" title="Tied and untied embeddings" stages={['embedding', 'unembedding']}>
      <p>
        So far the rows <Tex tex="u_i" /> have been rows of a separate matrix <Tex tex="W_U" />. GPT-2 does not have one: it reuses the
        embedding, <Tex tex={String.raw`W_U = W_E^{\top}`} />, so the vector that <em>reads</em> token <Tex tex="i" /> into the model is
        also the direction the model must point at to <em>write</em> token <Tex tex="i" /> out. That saves parameters, and it turns
        embedding and unembedding into a round trip: a row’s dot product with itself, <Tex tex={String.raw`\lVert e_t\rVert^2`} />, tends to
        beat its dot product with other rows, so a token sent straight back out leans towards itself and its spelling variants (chapter 2’s
        round trip).
      </p>
      <p>
        The trouble is that the next token is hardly ever the current one. After <span className="tok">·what</span> comes{' '}
        <span className="tok">·the</span> or <span className="tok">·is</span>, not another <span className="tok">·what</span>. With tied
        weights the blocks have to undo the round trip before they can start predicting. Most newer models therefore learn <Tex tex="W_E" />{' '}
        and <Tex tex="W_U" /> separately. We trained two small models on the same text with the same recipe, one tied and one untied, so the
        difference can be seen directly; you are reading <ModelName /> now.
      </p>
      <p>Two views compare them. The first measures, for every token, how far its output row turns away from its input row:</p>
      <Tex block tex={String.raw`c_t \;=\; \cos\bigl(W_E[t],\, W_U[t]\bigr).`} />
      <p>
        In the tied model every <Tex tex="c_t" /> is exactly 1. The second view is the <em>direct path</em>: a single token’s embedding sent
        straight to the final LayerNorm and the unembedding, with every block skipped,
      </p>
      <Tex block tex={String.raw`p \;=\; \operatorname{softmax}\bigl(W_U\,\mathrm{LN}_f(W_E[t])\bigr).`} />
      <Figure
        id="fig-8"
        wide
        caption={
          <>
            <strong>Tied versus untied.</strong> Switch models with the buttons (the whole essay follows). The histograms show cos(W
            <sub>E</sub>[t], W<sub>U</sub>[t]) over the vocabulary; each model’s result is kept once computed, so after one switch you see
            both. Below, type a token to see where the direct path alone would send it in each model.
          </>
        }
      >
        <TiedUntied />
      </Figure>
      <p>
        Read the two columns with the tying in mind. In the tied model the direct path can only compare this token’s input row with the rows
        of the very same matrix, so a token with a strong direction of its own tends to come back as itself; the line under each list says
        where the token itself ranks. The untied model’s output rows are free to store what usually <em>follows</em> a token, so its direct
        path can act as a rough table of next words, and its blocks start from that rather than from an echo. How far either model got with
        this depends on its training; the buttons offer a few tokens to compare. The rule of the earlier chapters holds in both: what gets
        compared is a direction and a length, whichever matrix the rows come from.
      </p>
    </Chapter>
  );
}
