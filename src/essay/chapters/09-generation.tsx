import { Chapter } from '../components/Chapter';
import { Figure, Aside } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { Generation } from '../../figures/generation/Generation';
import { Fact } from '../../kit/facts';

export function Chapter09() {
  return (
    <Chapter n={9} id="ch9" title="A side note on generation" stages={['tokens', 'blocks', 'softmax']}>
      <p>
        Everything so far used one forward pass over the whole prompt. Because attention is causal (each position may look only at itself
        and earlier positions) that single pass already yields a prediction at every position, which is how the model is trained: one pass,
        one loss term per position. To <em>write</em> text we use only the last prediction: sample a token from{' '}
        <Tex tex={String.raw`\operatorname{softmax}(z/T)`} />, append it, and run again.
      </p>
      <p>
        Run naively, step <Tex tex="n" /> repeats the work for all <Tex tex="n" /> tokens so far. But the keys and values that attention
        computed for earlier positions never change once computed, since later tokens cannot affect them. Keeping them in a{' '}
        <em>key/value cache</em> means each step processes one new token and attends over the stored ones. The model here has{' '}
        <Fact n="layers" className="p2-live" /> blocks and a context of <Fact n="positions" className="p2-live" /> tokens, so the saving is
        modest but visible.
      </p>
      <Figure
        id="fig-9"
        caption={
          <>
            <strong>Generation at the shared temperature.</strong> <em>Generate</em> continues your prompt with the cache; <em>Compare</em>{' '}
            produces the same continuation (same seed) with and then without the cache and shows both speeds. <em>Stop</em> ends a run at
            once. Temperature 0 always takes the most likely token.
          </>
        }
      >
        <Generation />
      </Figure>
      <Aside>
        The temperature slider here is the same one as in chapter 5: dividing the logits by <Tex tex="T" /> is the same as scaling the
        length of <Tex tex="x" /> by <Tex tex="1/T" />, the knob chapter 7 turned by hand.
      </Aside>
    </Chapter>
  );
}
