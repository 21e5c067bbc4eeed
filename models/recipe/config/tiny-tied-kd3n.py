"""tiny-tied, phase 7: a new run from the phase-6 average.

Changed from phase 6: version-6 stories (60% name-copying sentences, 40% of them double-object),
peak lr 4e-4, 100 minutes, and the loss at positions whose next token is a first name weighted 4x.
Chosen over the same run without the weighting (selection.json, phase7).
"""
tied = 1
tokens = 40e6
deadline_min = 100
data = 'train_v6.bin'
init_from = 'tiny-tied-kd2'
distill_from = 'tiny-untied'
distill_weight, distill_temp = 0.9, 2.0
name_weight = 4.0
lr, warmup = 4e-4, 100
doc_start_frac = 0.25
eval_seed = 4242
