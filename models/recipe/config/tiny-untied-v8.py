"""tiny-untied, phase 9: a new run from the phase-5 average (the shipped tiny-untied before this run).

The untied model's first run on version-7 stories (see config/tiny-tied-v8.py): name positions
weighted 3x, peak lr 6e-4, the direct-path loss (weight 0.2) kept throughout so that
W_U ln_f(W_E[t]) stays a bigram model, rare tokens' rows held fixed. A 90-minute wall-clock cap.
Run in session 9 from the shipped folder (`--init-from ../tiny-untied`: the same weights).
"""
tied = 0
tokens = 40e6
deadline_min = 90
data = 'train_v7.bin'
init_from = 'tiny-untied'
name_weight = 3.0
freeze_rare = 100
aux_direct = 0.2
lr, warmup = 6e-4, 100
doc_start_frac = 0.25
eval_seed = 4242
phase = 9
