import { Chapter } from '../components/Chapter';
import { Figure, Aside } from '../../kit/Figure';
import { Tex } from '../../kit/Tex';
import { TrainingLabProvider, useTrainingLab } from '../../figures/training-lab/store';
import { LabAgreement, LabControls, LabLoss, LabPlane, LabProbes, LabRowNorms } from '../../figures/training-lab/Connected';
import { summarizeRun, type ModelSummary } from '../../figures/training-lab/summary';
import { fmt, int } from '../../kit/format';

// The source post (split so the slug is not one long run of the title's words).
const SOURCE_URL =
  'https://www.lesswrong.com/posts/pHPmMGEMYefk9jLeh/' + ['llm-basics-embedding-spaces', 'transformer-token-vectors-are'].join('-');

const pc = (x: number) => `${fmt(x * 100, 3)}%`;

/** The sizes of this run, live from the worker. */
function Setup() {
  const lab = useTrainingLab();
  const i = lab.info;
  if (!i) return <span className="p2-muted">(the sizes appear once the trainer has started)</span>;
  const c = i.configs[0];
  return (
    <span data-testid="tl-setup">
      a vocabulary of <strong>{i.vocabSize}</strong> words, d_model <strong>{c.dModel}</strong>, <strong>{c.layers}</strong> blocks of{' '}
      <strong>{c.heads}</strong> attention heads, a context of <strong>{c.context}</strong> words, batches of{' '}
      <strong>{i.optim.batch}</strong> windows ({int(i.tokensPerStep)} tokens a step), Adam at a learning rate of {fmt(i.optim.lr, 2)} after{' '}
      {i.optim.warmup} warm-up steps; {int(i.params[0])} parameters in A and {int(i.params[1])} in B. The text is {int(i.corpusTokens)}{' '}
      words long; its unigram entropy is <strong>{fmt(i.unigramEntropy, 3)}</strong> nats and the best bigram model would reach{' '}
      {fmt(i.bigramEntropy, 3)}
    </span>
  );
}

function directionOrLength(s: ModelSummary): string | null {
  if (s.cos90 === null || s.norm90 === null || s.cosEnd - s.cosStart < 0.1) return null; // only a real turn towards the row counts
  if (s.cos90 < s.norm90)
    return `the cosine covered 90% of its change by step ${s.cos90} and the length only by step ${s.norm90}: direction came first`;
  if (s.cos90 > s.norm90)
    return `the length covered 90% of its change by step ${s.norm90} and the cosine only by step ${s.cos90}: length came first`;
  return `cosine and length both covered 90% of their change by step ${s.cos90}`;
}

/** What the reader's run shows, in sentences computed from its records. */
function RunReport() {
  const lab = useTrainingLab();
  const i = lab.info;
  const d = lab.data;
  const n = d.step.length;
  if (!i || n < 25 || d.records.length < 3) {
    return (
      <p data-testid="tl-report" data-ready="0">
        <em>
          Press Start above. Once the models have trained for a few dozen steps, this paragraph reports what your run shows, and it changes
          as the run goes on.
        </em>
      </p>
    );
  }
  const { a, b } = summarizeRun(d, i.unigramEntropy);
  if (!a || !b) return null;
  const [la, lb] = i.labels;
  const step = d.step[n - 1];
  const below = (s: ModelSummary) =>
    s.belowUnigramStep === null ? 'has not yet gone below it' : `went below it at step ${s.belowUnigramStep}`;
  const dA = directionOrLength(a);
  const dB = directionOrLength(b);
  const grewA = a.normEnd / a.normStart;
  const grewB = b.normEnd / b.normStart;
  // 'Turned towards the row': the cosine rose by more than 0.2; 'aligned': and ended above 0.5.
  const turned = (s: ModelSummary) => s.cosEnd - s.cosStart > 0.2;
  const aligned = (s: ModelSummary) => turned(s) && s.cosEnd > 0.5;
  const lnRun = lab.settings.diff === 'ln';
  return (
    <div className="tl-summary" data-testid="tl-report" data-ready="1" data-step={step}>
      <p>
        <strong>Your run</strong>, after {int(step)} steps ({fmt(lab.trainSeconds, 3)} s of training on {lab.backend}): the loss of A ({la})
        is <strong className="num">{fmt(a.lossEnd, 3)}</strong> nats and that of B ({lb}){' '}
        <strong className="num">{fmt(b.lossEnd, 3)}</strong>, averaged over the last 20 steps, from {fmt(a.lossStart, 3)} and{' '}
        {fmt(b.lossStart, 3)} at the start. Against the unigram entropy of {fmt(i.unigramEntropy, 3)}, A {below(a)} and B {below(b)}.
      </p>
      <p>
        At the {i.probes.length} probe prompts, the length <Tex tex={String.raw`\lVert x\rVert`} /> went from {fmt(a.normStart, 3)} to{' '}
        <strong className="num">{fmt(a.normEnd, 3)}</strong> in A (×{fmt(grewA, 3)}) and from {fmt(b.normStart, 3)} to{' '}
        <strong className="num">{fmt(b.normEnd, 3)}</strong> in B (×{fmt(grewB, 3)}); the cosine between <Tex tex="x" /> and the correct
        name’s row went from {fmt(a.cosStart, 3)} to <strong className="num">{fmt(a.cosEnd, 3)}</strong> in A and from {fmt(b.cosStart, 3)}{' '}
        to <strong className="num">{fmt(b.cosEnd, 3)}</strong> in B. The correct name is the top prediction at {a.probesRight} of the{' '}
        {i.probes.length} probes in A and {b.probesRight} in B (mean probability {fmt(a.pTargetEnd, 3)} and {fmt(b.pTargetEnd, 3)}).
        {dA && <> In A, {dA}.</>}
        {dB && <> In B, {dB}.</>}
        {!dA && !dB && <> Neither model’s cosine has changed enough yet to say whether direction or length settled first.</>}
      </p>
      <p>
        The nearest row of <Tex tex="W_U" /> by Euclidean distance was the model’s own prediction at {pc(a.agreeStart)} of the{' '}
        {a.agreementN} positions checked in A at initialisation and at <strong className="num">{pc(a.agreeEnd)}</strong> now; in B,{' '}
        {pc(b.agreeStart)} and <strong className="num">{pc(b.agreeEnd)}</strong>. The rows of <Tex tex="W_U" /> now have lengths{' '}
        {fmt(a.rowNormMean, 3)} ± {fmt(a.rowNormSd, 2)} in A and {fmt(b.rowNormMean, 3)} ± {fmt(b.rowNormSd, 2)} in B.
      </p>
      {lnRun && (
        <p data-testid="tl-verdict" data-verdict={aligned(b) ? 'aligned' : turned(b) ? 'turning' : 'not-yet'}>
          {aligned(b) ? (
            <>
              So in this run the model <em>without</em> LayerNorm also turned its output towards the right row (cosine {fmt(b.cosStart, 3)}{' '}
              → {fmt(b.cosEnd, 3)}), in line with what Marius Hobbhahn reported from his own toy models: here, cross-entropy alone was
              enough to make direction matter at the output.
            </>
          ) : turned(b) ? (
            <>
              The model without LayerNorm has begun to turn its output towards the right row (cosine {fmt(b.cosStart, 3)} →{' '}
              {fmt(b.cosEnd, 3)}) but is not yet well aligned with it; train longer before comparing it with Marius Hobbhahn’s observation.
            </>
          ) : (
            <>
              In this run the model without LayerNorm has not (yet) turned its output towards the right row (cosine {fmt(b.cosStart, 3)} →{' '}
              {fmt(b.cosEnd, 3)}), so it does not show what Marius Hobbhahn reported; train longer or try another seed before reading
              anything into it.
            </>
          )}{' '}
          Nothing normalises B’s stream, so its length is whatever training makes it: |x| ended at {fmt(b.normEnd, 3)} in B and{' '}
          {fmt(a.normEnd, 3)} in A, from {fmt(b.normStart, 3)} and {fmt(a.normStart, 3)} at initialisation.
        </p>
      )}
    </div>
  );
}

export function Chapter11() {
  return (
    <TrainingLabProvider>
      <Chapter n={11} id="ch11" title="A lab: train two models and watch" stages={['blocks', 'ln_f', 'unembedding']}>
        <p>
          Chapter 10 gave two reasons to read hidden states as directions, and they come from two readers of the original post who did not
          fully agree. LawrenceC argued that the main reason is LayerNorm: every block reads the stream through a normalisation, so the
          parts of the network that compute can only ever see where it points. Marius Hobbhahn answered that LayerNorm helps but is not the
          root of it: in his experiments, small transformers <em>without</em> LayerNorm behaved much the same, which he put down to
          cross-entropy, since the softmax only cares about differences between logits and a logit is largest when <Tex tex="x" /> lines up
          with the right row. The essay so far has only stated both. Here you can test the second claim on a model you train yourself, in
          this page.
        </p>
        <p>
          Two tiny GPT-style models learn the same toy language, starting from the same values for every weight they have in common, on the
          same batches in the same order, with the same optimiser. They differ in one switch, which you choose: LayerNorm (pre-LN blocks and
          a final LayerNorm, against none at all), tied against untied embeddings, or a single learned number that scales <Tex tex="x" />{' '}
          before the unembedding. The toy language mixes two kinds of sentence: short descriptions in which each adjective prefers a few
          nouns and each noun a few verbs (a pattern a bigram model can partly learn), and name sentences of the form{' '}
          <q>when mary and john went to the park , john gave a ball to mary .</q>, where the last word is only predictable by looking back
          at the sentence. This run uses <Setup />. Training runs in a Web Worker of its own, so the rest of the page stays responsive; the
          same seed on the same backend gives the same curves, and Reset replays them.
        </p>
        <Figure
          id="fig-11a"
          wide
          caption={
            <>
              <strong>Training loss of both models</strong>, per step (each point the mean over five batches). The dotted lines are the
              corpus’s unigram entropy, the loss of the best model that ignores context, and the best bigram model’s loss. Choose the
              difference, then Start; Pause and Reset at any time. The switches and the seed are kept in the page’s address.
            </>
          }
        >
          <LabControls />
          <LabLoss />
        </Figure>
        <p>
          The loss says whether the models learn, not how. For that we watch the final hidden state <Tex tex="x" />, the vector that
          multiplies <Tex tex="W_U" />, at four fixed name prompts whose answer is certain. Its length and its cosine with the correct
          token’s row are the two halves of the logit,
        </p>
        <Tex block tex={String.raw`\text{logit}_y \;=\; \lVert x\rVert\;\lVert u_y\rVert\;\cos\theta_y ,`} />
        <p>and a model can raise the correct logit by turning towards the row, by growing, or by both.</p>
        <Figure
          id="fig-11b"
          wide
          caption={
            <>
              <strong>Length and direction of x during training</strong>, averaged over the four probe prompts and recorded every five
              steps. Left: |x|. Right: the cosine of x with the correct name’s unembedding row.
            </>
          }
        >
          <LabProbes />
        </Figure>
        <p>
          Chapter 6 showed that the nearest row by Euclidean distance is not, in general, the row with the largest dot product: the squared
          length of each row enters the distance with the opposite sign to its effect on the logit. Training decides how often the two
          agree. The next figure checks every position of a fixed evaluation batch and the probes at every record.
        </p>
        <Figure
          id="fig-11c"
          wide
          caption={
            <>
              <strong>How often the nearest point is the prediction.</strong> The share of positions at which the Euclidean-nearest row of W
              <sub>U</sub> is also the token with the largest logit, against step.
            </>
          }
        >
          <LabAgreement />
        </Figure>
        <Figure
          id="fig-11d"
          caption={
            <>
              <strong>Lengths of the unembedding rows</strong>, redrawn at every record: one bar pair per bin, A left and B right, on a
              shared scale.
            </>
          }
        >
          <LabRowNorms />
        </Figure>
        <p>
          Finally the picture of figure 6b, turned from layers to training time. For the first probe we take the plane spanned by the rows
          of the correct name and of the name just repeated, at each recorded step, and draw <Tex tex="x" /> in it: one dot per record, dark
          early and yellow late. The rows move during training, so each dot is drawn in its own step’s plane, with the correct name’s row
          always along the horizontal; the rival’s ray is drawn where it ends up. Does the path swing round first and then move outwards, or
          grow first and turn later?
        </p>
        <Figure
          id="fig-11e"
          wide
          caption={
            <>
              <strong>The path of x through training</strong> in the plane of two tokens’ rows, one panel per model. Rings mark equal length
              within the plane.
            </>
          }
        >
          <LabPlane />
        </Figure>
        <h3>What your run shows</h3>
        <RunReport />
        <h3>What it does and does not settle</h3>
        <p>
          The lab speaks to Marius Hobbhahn’s side of the argument directly: if the model without LayerNorm ends up with a high cosine to
          the correct rows, then the output geometry of chapters 6 and 7, a direction that picks the token and a length that sets the
          confidence, formed without any normalisation, from the loss alone. The gradient in chapter 10 says why that is to be expected:
          each step pulls <Tex tex="x" /> towards the correct row and away from the probability-weighted mean of all rows.
        </p>
        <p>
          It speaks to LawrenceC’s side only indirectly. His point was about what the inner blocks can see, and that is a fact about the
          architecture, not something training discovers: with LayerNorm the attention and MLP inputs have a fixed length whatever the
          stream does, and without it they do not. What the lab can show is the consequence. Compare how far |x| grows in the two models,
          and how the row lengths spread: a model without normalisation is free to use length inside the network and at the output, and
          whether it does is visible in figures 11b and 11d.
        </p>
        <Aside>
          A toy of a few tens of thousands of parameters, trained for a minute on one seed, is evidence about toys. Try several seeds before
          trusting a difference, and remember that real models are trained for far longer, with far larger vocabularies, where chapter 10’s
          anisotropy (a shared mean direction in the rows) also appears.
        </Aside>
        <h3>Credits</h3>
        <p>
          The question comes from the comment thread under the post{' '}
          <a href={SOURCE_URL} rel="noopener noreferrer">
            “LLM Basics: Embedding Spaces&nbsp;— Transformer Token Vectors Are Not&nbsp;Points in Space”
          </a>{' '}
          by Nicky Pochinkov (NickyP): LawrenceC’s comment on LayerNorm and Marius Hobbhahn’s reply about toy transformers trained without
          it, and the author’s answers. The toy corpus, the models and the trainer are our own; the training loop runs on TensorFlow.js.
        </p>
      </Chapter>
    </TrainingLabProvider>
  );
}
