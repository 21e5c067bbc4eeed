import { Chapter } from '../components/Chapter';
import { Figure, Aside } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { Fact } from '../../kit/facts';
import { LogitDecomposition } from '../../figures/logit-decomposition/LogitDecomposition';
import { lastLogits } from '../../state/forward-readers';
import { Temperature } from '../../figures/temperature/Temperature';
import { NormTemperature } from '../../figures/norm-temperature/NormTemperature';
import { TokenText } from '../../kit/TokenText';
import { useShownForward } from '../../state/model';
import { maxProb, topK } from '../../geometry/softmax';
import { pct } from '../../kit/format';

/** The model's current favourite for the shared prompt and its probability at T = 1, for the prose. */
function TopGuess() {
  const f = useShownForward();
  if (!f) return <>its favourite next token</>;
  const z = lastLogits(f);
  const [best] = topK(z, 1);
  return (
    <>
      <TokenText id={best} /> with probability{' '}
      <span className="num" data-testid="ch5-top-p">
        {pct(maxProb(z, 1))}
      </span>
    </>
  );
}

/** Chapter 5: vectors → probabilities. */
export function Chapter05() {
  return (
    <Chapter n={5} id="ch5" title="Back to tokens: unembedding and softmax" stages={['ln_f', 'unembedding', 'softmax']}>
      <p>
        After the last block, the stream at each position passes through one more LayerNorm, and the result — call it <Tex tex="x" />, a
        vector of <Fact n="dmodel" /> numbers — has to become a verdict on every one of the <Fact n="vocab" /> tokens. The model does this
        with a second matrix, the <em>unembedding</em> <Tex tex="W_U" />, holding one row <Tex tex="u_i" /> per token. The score of token{' '}
        <Tex tex="i" />, its <em>logit</em>, is a plain dot product:
      </p>
      <Tex block tex="z_i \;=\; u_i\cdot x \;=\; \lVert u_i\rVert\,\lVert x\rVert\,\cos\theta_i." />
      <p>
        This is chapter 0’s identity, doing the model’s real work. The length <Tex tex="\lVert x\rVert" /> is shared by all tokens, so it
        cannot change their order; the order comes from how well each row points along <Tex tex="x" />, weighted by how long the row is. (In
        a <em>tied</em> model, like GPT-2, <Tex tex="W_U" /> is the embedding matrix itself, so <Tex tex="u_i" /> is token <Tex tex="i" />
        ’s own embedding row; the active model is <Fact n="tied" />
        .)
      </p>
      <Figure
        id="fig-logit-decomposition"
        wide
        caption={
          <>
            The model’s highest-scoring next tokens for your prompt, each logit split into the row’s length, the cosine with <Tex tex="x" />
            , and their product with <Tex tex="\lVert x\rVert" />. The last two columns agree: the logit really is that product. Change the
            prompt and see whether the winner wins by direction or by length.
          </>
        }
      >
        <LogitDecomposition />
      </Figure>
      <h3>From scores to probabilities</h3>
      <p>
        Softmax turns the logits into probabilities, and a <em>temperature</em> <Tex tex="T" /> decides how sharply:
      </p>
      <Tex block tex="p_i \;=\; \frac{e^{z_i/T}}{\sum_j e^{z_j/T}}." />
      <p>
        At <Tex tex="T=1" /> we get the model’s own distribution; for your prompt it currently picks <TopGuess />. As <Tex tex="T" />{' '}
        shrinks, the largest logit pulls ahead of the rest and at <Tex tex="T\to 0" /> takes everything — the greedy choice. As{' '}
        <Tex tex="T" /> grows, the differences between logits stop mattering and every token tends to the same share, <Tex tex="1/V" />. So
        the best token’s probability always lies between <Tex tex="1/V" /> and 1, and the temperature slides it along that range.
      </p>
      <Figure
        id="fig-temperature"
        wide
        caption={
          <>
            Move the temperature (the scale is logarithmic; the far left, or the “T = 0” button, is exactly zero). The bars show the most
            likely next tokens at that temperature; the curve shows the best token’s probability at every temperature, with the current one
            marked. The same temperature is used by the generation figure later on.
          </>
        }
      >
        <Temperature />
      </Figure>
      <h3>Length is temperature</h3>
      <p>
        Here is the reason lengths matter. Because the logits are linear in <Tex tex="x" />, stretching <Tex tex="x" /> by a factor{' '}
        <Tex tex="\alpha" /> stretches every logit by <Tex tex="\alpha" />, and
      </p>
      <Tex block tex="\mathrm{softmax}\!\left(\frac{\alpha z}{1}\right) \;=\; \mathrm{softmax}\!\left(\frac{z}{1/\alpha}\right)." />
      <p>
        A longer output vector is exactly a lower temperature: the same ranking, held with more conviction. The direction of <Tex tex="x" />{' '}
        picks the token; its length (together with the lengths of the rows) sets how sure the model is.
      </p>
      <Figure
        id="fig-norm-temperature"
        wide
        caption={
          <>
            Stretch or shrink <Tex tex="x" /> with the α slider. The first list is the distribution from the scaled vector at{' '}
            <Tex tex="T=1" />, the second the one from the original vector at <Tex tex="T=1/\alpha" />. They are identical. While “link” is
            on, α and the temperature slider above move together.
          </>
        }
      >
        <NormTemperature />
      </Figure>
      <Aside>
        The final LayerNorm resets the length of the stream, so the model cannot simply grow <Tex tex="\lVert x\rVert" /> to become
        confident; the length of <Tex tex="x" /> is set mostly by that LayerNorm’s learned gain. Sharpness then comes from alignment and
        from the lengths of the rows <Tex tex="u_i" /> — which is why the row-norm histogram of chapter 2 is worth a look.
      </Aside>
    </Chapter>
  );
}
