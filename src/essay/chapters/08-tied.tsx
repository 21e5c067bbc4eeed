import { Chapter, Figure } from '../components/Chapter';
import { Tex } from '../components/Tex';
import { TiedUntied } from '../../figures/tied-untied/TiedUntied';
import { ModelName } from '../../figures/part2-common/Live';

export function Chapter08() {
  return (
    <Chapter n={8} id="ch8" title="Tied and untied embeddings" stages={['embedding', 'unembedding']}>
      <p>
        So far the rows <Tex tex="u_i" /> have been rows of a separate matrix <Tex tex="W_U" />. GPT-2 does not have one: it reuses the
        embedding, <Tex tex={String.raw`W_U = W_E^{\top}`} />, so the vector that <em>reads</em> token <Tex tex="i" /> into the model is also
        the direction the model must point at to <em>write</em> token <Tex tex="i" /> out. That saves parameters, and it makes embedding and
        unembedding a round trip: feed in a token, skip every block, and the token itself (with its spelling variants) scores highest.
      </p>
      <p>
        The trouble is that the next token is hardly ever the current one. After <span className="tok">·what</span> comes{' '}
        <span className="tok">·the</span> or <span className="tok">·is</span>, not another <span className="tok">·what</span>. With tied
        weights the blocks have to undo the round trip before they can start predicting. Most newer models therefore learn{' '}
        <Tex tex="W_E" /> and <Tex tex="W_U" /> separately. We trained two small models on the same text with the same recipe, one tied and
        one untied, so the difference can be seen directly; you are reading <ModelName /> now.
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
            <strong>Tied versus untied.</strong> Switch models with the buttons (the whole essay follows). The histograms show{' '}
            cos(W<sub>E</sub>[t], W<sub>U</sub>[t]) over the vocabulary; each model’s result is kept once computed, so after one switch you see
            both. Below, type a token to see where the direct path alone would send it in each model.
          </>
        }
      >
        <TiedUntied />
      </Figure>
      <p>
        In the tied model the direct path mostly echoes the input, or its variants with other spacing and capitals. In the untied model it
        can already name a plausible next word: the embedding and the unembedding between them have learned a rough bigram table, and the
        blocks start from there instead of from an echo. In both models the rule of the earlier chapters holds: what is compared is a
        direction and a length, whatever matrix the rows come from.
      </p>
    </Chapter>
  );
}
