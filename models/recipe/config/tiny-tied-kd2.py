"""tiny-tied, phase 6: a new run from the phase-5 average, distilled from tiny-untied.

Changed from phase 5: fresh AdamW and schedule (peak lr 6e-4, 100 warm-up steps, 90 minutes),
a fresh sample of version-5 stories, and the loss 0.1 x cross-entropy + 0.9 x T^2 KL(untied || tied)
at T = 2. Chosen over three other candidates on a validation draw (selection.json, phase6).
"""
tied = 1
tokens = 40e6
deadline_min = 90
data = 'train_v5b.bin'
init_from = 'tiny-tied'
distill_from = 'tiny-untied'
distill_weight, distill_temp = 0.9, 2.0
lr, warmup = 6e-4, 100
doc_start_frac = 0.25
eval_seed = 4242
