"""tiny-untied, phases 1-5: the untied model from scratch (W_U is its own matrix).

As config/tiny-tied.py (same streams; its own switch steps, as shipped), and in phase 5 an
auxiliary next-token loss on the direct path W_U ln_f(W_E[t]) with weight 0.2, so that this
path is a bigram model. This is the shipped tiny-untied.
"""
tied = 0
tokens = 40e6
deadline_min = 120
data = 'mix'
data2, switch_step = 'train_v2.bin', 5903
data3, switch_step3 = 'train_v3.bin', 8032
data4, switch_step4 = 'train_v4.bin', 10508
data5, switch_step5 = 'train_v5.bin', 14943
lr5, tokens5, deadline5_min = 1e-3, 40e6, 100
doc_start_frac = 0.25
aux_direct = 0.2
