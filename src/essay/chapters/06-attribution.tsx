/**
 * Chapter 6, last section: who writes the direction. The logit difference of
 * figure 6b split into what every head, MLP and the embedding wrote (figure
 * 6d), and every head's attention pattern (figure 6e), linked by the selected
 * head. This component holds what the two figures share: it asks for the
 * inspect pass only once the section comes near the viewport, keeps the
 * selected head and query row, and hands both to the two figures' containers.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Figure } from '../../kit/Figure';
import { Pipeline } from '../components/Pipeline';
import { Tex } from '../../kit/Tex';
import { setParams, useParams } from '../../state/store';
import { useInfo } from '../../state/model';
import { Fact } from '../../kit/facts';
import { useSeen } from '../../kit/near';
import { LogitAttribution } from '../../figures/logit-attribution/LogitAttribution';
import { AttentionPatterns } from '../../figures/attention-patterns/AttentionPatterns';
import { hasNameMovers, NAME_MOVERS, topKeys, type HeadRef } from '../../figures/attention-patterns/compute';
import { useAttribution, type AttributionData } from '../../figures/logit-attribution/useAttribution';
import { fmt, pct } from '../../kit/format';
import '../../kit/kit.css';

type SelParams = { ap_l: number; ap_h: number; ap_q: number };

/**
 * The selection in local state; the shared store (and with it the URL, and every
 * other figure that reads the store) follows only once the reader pauses, so a
 * run of arrow keys re-renders this section and nothing else.
 */
function useSelectionParams(): [SelParams, (patch: Partial<SelParams>) => void] {
  const [state] = useParams(['ap_l', 'ap_h', 'ap_q'] as const);
  const setState = setParams;
  const [local, setLocal] = useState<SelParams>({ ap_l: state.ap_l, ap_h: state.ap_h, ap_q: state.ap_q });
  const written = useRef<SelParams>(local);
  const timer = useRef<number | undefined>(undefined);
  // a change that came from elsewhere (not the echo of our own write) wins
  useEffect(() => {
    const w = written.current;
    if (state.ap_l !== w.ap_l || state.ap_h !== w.ap_h || state.ap_q !== w.ap_q) {
      const next = { ap_l: state.ap_l, ap_h: state.ap_h, ap_q: state.ap_q };
      written.current = next;
      setLocal(next);
    }
  }, [state.ap_l, state.ap_h, state.ap_q]);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const set = useCallback(
    (patch: Partial<SelParams>) => {
      setLocal((cur) => {
        const next = { ...cur, ...patch };
        window.clearTimeout(timer.current);
        timer.current = window.setTimeout(() => {
          written.current = next;
          setState(next);
        }, 400);
        return next;
      });
    },
    [setState],
  );
  return [local, set];
}

const live = (x: ReactNode, testid?: string) => (
  <span className="p2-live" data-testid={testid}>
    {x}
  </span>
);
const dash = live('…');
const signed = (x: number, d = 3) => (x > 0 ? `+${fmt(x, d)}` : fmt(x, d));

interface Selection {
  selected: HeadRef | null;
  query: number;
  select: (s: HeadRef) => void;
  /** Selects a head and reads it from the last position (what the chart is about). */
  selectFromLast: (s: HeadRef) => void;
  setQuery: (q: number) => void;
}

/** The selected head and query row (URL state ap_l / ap_h / ap_q; −1 = the top head / the last position). */
function useSelection(d: AttributionData): Selection {
  const [state, setState] = useSelectionParams();
  const r = d.inspect.result;
  const top = d.att?.topHead ?? null;
  let selected: HeadRef | null = null;
  if (r && state.ap_l >= 0 && state.ap_l < r.L && state.ap_h >= 0 && state.ap_h < r.H) selected = { l: state.ap_l, h: state.ap_h };
  else if (top) selected = { l: top.layer, h: top.head };
  else if (r) selected = { l: r.L - 1, h: 0 };
  const T = r?.T ?? 0;
  const lo = r?.attnRow0 ?? 0;
  const query = r && state.ap_q >= lo && state.ap_q < T ? state.ap_q : T - 1;
  const select = useCallback((s: HeadRef) => setState({ ap_l: s.l, ap_h: s.h }), [setState]);
  const selectFromLast = useCallback((s: HeadRef) => setState({ ap_l: s.l, ap_h: s.h, ap_q: -1 }), [setState]);
  const setQuery = useCallback((q: number) => setState({ ap_q: q === T - 1 ? -1 : q }), [setState, T]);
  return { selected, query, select, selectFromLast, setQuery };
}

/** The live sentences about the top head: its contribution, its share, where it looks from the last position. */
function TopHeadProse({ d }: { d: AttributionData }) {
  const r = d.inspect.result;
  const att = d.att;
  const top = att?.topHead ?? null;
  if (!r || !att || !top) {
    return (
      <p>
        On the prompt at the top of the page, the head with the largest contribution is {dash}; its bar and its attention pattern are the
        ones outlined below.
      </p>
    );
  }
  const looks = topKeys({ attn: r.attn, H: r.H, T: r.T, row0: r.attnRow0, rows: r.attnRows }, { l: top.layer, h: top.head }, r.T - 1, 1)[0];
  const heads = att.items.filter((c) => c.kind === 'head');
  const headSum = heads.reduce((a, c) => a + c.value, 0);
  const mlpSum = att.items.filter((c) => c.kind === 'mlp').reduce((a, c) => a + c.value, 0);
  const embed = att.items.find((c) => c.kind === 'embed')?.value ?? 0;
  return (
    <p data-testid="attribution-prose">
      On the prompt at the top of the page, with <span className="tok">{d.labelA}</span> against <span className="tok">{d.labelB}</span>,
      the bars add up to {live(fmt(att.sum, 4))}, and the model’s own difference is {live(d.truth === null ? '…' : fmt(d.truth, 4))}. The
      embedding alone gives {live(signed(embed))}, all {live(heads.length)} heads together {live(signed(headSum))}, the MLPs{' '}
      {live(signed(mlpSum))}. The largest single term comes from head <strong>{live(top.label, 'attribution-top-head')}</strong> (block{' '}
      {top.layer}, head {top.head}) with {live(signed(top.value))}
      {att.sum !== 0 && <>, {live(fmt((100 * top.value) / att.sum, 3))}% of the total</>}. From the last token it puts{' '}
      {looks ? (
        <>
          {live(pct(looks[1], 0))} of its attention on <span className="tok">{d.tokens[looks[0]]}</span> at position {live(looks[0])}
        </>
      ) : (
        dash
      )}
      .
    </p>
  );
}

function MoverProse({ d }: { d: AttributionData }) {
  const info = useInfo();
  const r = d.inspect.result;
  const att = d.att;
  const fits = !!info && hasNameMovers(info.config.nLayer, info.config.nHead);
  if (!fits || !att || !r) {
    return (
      <>
        The active model has <Fact n="layers" className="p2-live" /> blocks of <Fact n="heads" className="p2-live" /> heads, so these heads
        do not exist in it; load GPT-2 small with the checkpoint loader at the top of the page and buttons for the three heads appear above
        the grid.
      </>
    );
  }
  const val = (s: HeadRef) => att.items.find((c) => c.kind === 'head' && c.layer === s.l && c.head === s.h)?.value ?? 0;
  return (
    <>
      In the active model their bars are{' '}
      {NAME_MOVERS.map((s, i) => (
        <span key={i}>
          {i > 0 && (i === NAME_MOVERS.length - 1 ? ' and ' : ', ')}
          {s.l}.{s.h}: {live(signed(val(s)))}
        </span>
      ))}{' '}
      (the buttons above the grid select them).
    </>
  );
}

export function AttributionSection() {
  const [ref, near] = useSeen<HTMLDivElement>();
  const d = useAttribution(near);
  const sel = useSelection(d);
  return (
    <div ref={ref} className="ch6-attribution" id="ch6-attribution">
      <Pipeline active={['blocks']} />
      <h3>Who writes the direction?</h3>
      <p>
        Figure 6b shows the last position’s vector swinging towards one of two tokens as it passes through the blocks, but not what swings
        it. The answer is easier to state than it looks, because nothing in a block overwrites the residual stream: every attention head and
        every MLP reads it and <em>adds</em> its own output to it. The vector the final LayerNorm receives is therefore a plain sum,
      </p>
      <Tex
        block
        tex={String.raw`x \;=\; e \;+\; \sum_{\ell}\sum_{h} o_{\ell,h} \;+\; \sum_{\ell} b^{O}_{\ell} \;+\; \sum_{\ell} m_{\ell},`}
      />
      <p>
        where <Tex tex="e" /> is the token embedding plus its position, <Tex tex="o_{\ell,h}" /> is what head <Tex tex="h" /> of block{' '}
        <Tex tex="\ell" /> writes (its weighted mix of values, <Tex tex="z_{\ell,h}" />, times its own slice of the output matrix{' '}
        <Tex tex="W^O_{\ell,h}" />
        ), <Tex tex="b^O_\ell" /> is the attention output bias, and <Tex tex="m_\ell" /> is the MLP’s output. Every term is a vector of{' '}
        <Fact n="dmodel" className="p2-live" /> numbers living in the same space as the rows of <Tex tex="W_U" />.
      </p>
      <p>
        The choice between two tokens <Tex tex="a" /> and <Tex tex="b" /> depends only on the difference of their logits, a single dot
        product with the direction <Tex tex="u_a - u_b" />. Between the sum and that dot product sits the final LayerNorm, which subtracts
        the mean of <Tex tex="x" />, divides by its spread, multiplies by a gain <Tex tex="g" /> and adds a bias <Tex tex="\beta" />. The
        subtraction and the gain are linear; the division is not, since the spread depends on every term at once. So we take the factor{' '}
        <Tex tex={String.raw`s = 1/\sqrt{\operatorname{var}(x)+\varepsilon}`} /> from the actual forward pass and treat it as a constant.
        Then, writing <Tex tex="\Delta u = u_a - u_b" />, the logit difference splits exactly:
      </p>
      <Tex
        block
        tex={String.raw`\text{logit}_a-\text{logit}_b \;=\; \sum_{c} s\,(c-\bar c\,\mathbf 1)\cdot(g\odot\Delta u) \;+\; \beta\cdot\Delta u,`}
      />
      <p>
        the sum running over the terms of <Tex tex="x" /> above, with <Tex tex="\bar c" /> the mean of the entries of <Tex tex="c" />. Each
        term of the sum is one component’s <em>contribution</em>, and the last term belongs to the LayerNorm’s bias. A component helps{' '}
        <Tex tex="a" /> when what it writes points along <Tex tex="u_a-u_b" /> (as the gain reshapes that direction) and hurts it when it
        points the other way; its length matters as much as its angle. This is known as direct logit attribution. It is honest bookkeeping
        for this one pass, and no more: a bar says what a component added through the direct path to the output, not what would happen if it
        were removed, because removing it would change the spread <Tex tex="s" />, and everything the later blocks compute from it.
      </p>
      <Figure
        id="fig-6d"
        wide
        caption={
          <>
            <strong>The logit difference, split by component</strong>, at the last position of your prompt, for the two tokens of figure 6b
            (type others here; both figures follow). One bar per component in the order the model adds them: E (token + position), then each
            block’s heads (blue) and its MLP (green), then all attention output biases and the final LayerNorm’s bias. The orange line is
            the running total; the dashed line is the model’s own logit difference. Click a bar, or focus the chart and use ← and →, to
            select a head in figure 6e.
          </>
        }
      >
        <LogitAttribution d={d} selected={sel.selected} onSelectHead={sel.selectFromLast} />
      </Figure>
      <TopHeadProse d={d} />
      <p>
        That last number is the other half of the story. A head’s output is computed in two steps that can be read separately: the{' '}
        <em>attention pattern</em> decides which earlier positions to read from, and the values, passed through <Tex tex="W^O" />, decide
        what to write. A head that <em>copies a name</em> combines the two in a particular way. From the last position its attention lands
        on an earlier name, and what it writes from that position points along the name’s own unembedding row, so the dot product with{' '}
        <Tex tex="u_a-u_b" /> comes out large and positive when it copies <Tex tex="a" />. In the two figures such a head shows both
        signatures at once: a tall bar in 6d and, in 6e, a last row whose attention is concentrated on that name. A head that attends to the{' '}
        <em>other</em> name and copies it would give a bar pointing down.
      </p>
      <p>
        Try it on the active model. Select the outlined head in figure 6e and look at its bottom row; then pick the second-largest bar and
        compare. Swap the names in the prompt (“When John and Mary…”), or swap the two tokens, and see whether the same head keeps doing the
        work. Not every tall bar is a copier: a head can push towards <span className="tok">·Mary</span> by what it writes even when its
        attention is spread thinly, and an MLP can do the same with no attention at all.
      </p>
      <Figure
        id="fig-6e"
        wide
        caption={
          <>
            <strong>Where every head looks.</strong> Each small square is one head’s attention pattern (rows: the position that reads;
            columns: the positions it reads from; stronger colour, more attention; the empty triangle is the future, which a causal model
            cannot see). Rows of the grid are blocks and columns are heads, both counted from 0. The solid outline is the selected head, the
            dashed one the largest bar of figure 6d. Click a square, or focus the grid and use the arrow keys; hover or use ↑ and ↓ on the
            enlarged pattern to move the reading position.
          </>
        }
      >
        <AttentionPatterns
          inspect={d.inspect}
          tokens={d.tokens}
          selected={sel.selected}
          marked={d.att?.topHead ? { l: d.att.topHead.layer, h: d.att.topHead.head } : null}
          query={sel.query}
          onSelect={sel.select}
          onSelectFromLast={sel.selectFromLast}
          onQuery={sel.setQuery}
        />
      </Figure>
      <p>
        For GPT-2 small this question has a published answer. On prompts of exactly this kind (two names, one repeated, the model asked for
        the other), Wang et al. (2022, “Interpretability in the Wild”) traced the behaviour to a small circuit and named the heads at its
        end <em>name movers</em>: heads 9.6, 9.9 and 10.0 in the block.head numbering used here (so 9.6 is the seventh head of the tenth
        block; figure 6b counts blocks from 1). They attend from the last position to the name that appeared once and copy it into the
        output. <MoverProse d={d} /> Whether the tiny models of this page learned a head of the same kind is an empirical question, and the
        two figures answer it for whichever model is loaded.
      </p>
    </div>
  );
}
