import { Chapter } from '../components/Chapter';
import { Figure, Aside } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { Fact } from '../../kit/facts';
import { LayerNormScale } from '../../figures/layernorm-scale/LayerNormScale';
import { ResidualNorms } from '../../figures/residual-norms/ResidualNorms';

/** Chapter 4: the blocks read the residual stream through LayerNorm. */
export function Chapter04() {
  return (
    <Chapter n={4} id="ch4" title="The blocks see only direction" stages={['blocks']}>
      <p>
        The vectors now pass through a stack of <Fact n="layers" /> <em>blocks</em>. It helps to picture one running vector per position,
        the <em>residual stream</em>, that every block reads from and then adds its own contribution to:
      </p>
      <Tex
        block
        tex="\begin{aligned} h &\leftarrow h + \mathrm{Attn}\big(\mathrm{LN}_1(h)\big),\\ h &\leftarrow h + \mathrm{MLP}\big(\mathrm{LN}_2(h)\big). \end{aligned}"
      />
      <p>
        Notice where the block looks: never at <Tex tex="h" /> itself, always at <Tex tex="\mathrm{LN}(h)" />. LayerNorm subtracts the
        vector’s mean coordinate, divides by its standard deviation, and only then applies a learned gain <Tex tex="\gamma" /> and bias{' '}
        <Tex tex="\beta" />:
      </p>
      <Tex block tex="\mathrm{LN}(h) = \gamma \odot \frac{h-\mu(h)}{\sqrt{\sigma^2(h)+\varepsilon}} + \beta." />
      <p>
        The fraction in the middle always has length <Tex tex="\sqrt{D}" />, whatever the length of <Tex tex="h" />. Multiply{' '}
        <Tex tex="h" /> by any positive number and the mean and the standard deviation are multiplied by the same number, which cancels. So
        whatever a block computes, it computes from the <em>direction</em> of the stream (after removing its mean); the stream’s length is
        invisible to it, apart from the tiny <Tex tex="\varepsilon" /> that keeps the division safe.
      </p>
      <Figure
        id="fig-layernorm-scale"
        wide
        caption={
          <>
            A real vector from the residual stream of your prompt, scaled by the slider (drag it, or focus it and use the arrow keys, Home
            and End). The top strip and bar follow the scaled input; the bottom ones show what the block actually receives. Scale by a
            hundred or by a tenth: the output does not move. Pick a different layer to try other vectors.
          </>
        }
      >
        <LayerNormScale />
      </Figure>
      <p>
        Because the blocks <em>add</em> to the stream rather than overwrite it, the stream tends to get longer as it goes: each block
        contributes a vector, and these contributions do not cancel. The next figure measures it for every position of your prompt.
      </p>
      <Figure
        id="fig-residual-norms"
        wide
        caption={
          <>
            The length of the residual stream after each block, one line per position of the prompt (lighter lines for later positions).
            Point at a line, or move the position slider, to highlight it and see its token. Change the prompt and the lines are recomputed.
          </>
        }
      >
        <ResidualNorms />
      </Figure>
      <Aside>
        A longer stream does not by itself make the model surer: the final LayerNorm divides the length out once more before the unembedding
        (next chapter). What the growth changes is the balance between blocks: adding the same vector to a long stream turns its direction
        less than adding it to a short one, so a late block has to write more to change what later blocks read.
      </Aside>
    </Chapter>
  );
}
