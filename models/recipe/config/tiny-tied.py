"""tiny-tied, phases 1-5: the tied model from scratch (W_U = W_E^T).

One run whose training stream changes at fixed steps (the optimizer and schedule carry on):
  phase 1  train.bin     natural text + version-1 stories (36 fixed name-copying shapes)
  phase 2  train_v2.bin  + version-2 stories (shapes composed from parts)
  phase 3  train_v3.bin  + version-3 stories (places/objects from 1,500 Brown nouns, 25 extra verbs)
  phase 4  train_v4.bin  + version-4 stories (the same at higher rates, double-object forms)
  phase 5  train_v5.bin  + version-5 stories (generic composition, ~100 more verbs, 3,000 Brown nouns),
           its own warm-up and cosine from lr5; a quarter of the windows start at a document start.
The switch steps are the ones the shipped model used (the phases were added while it trained).
"""
tied = 1
tokens = 40e6
deadline_min = 120
data = 'mix'
data2, switch_step = 'train_v2.bin', 5977
data3, switch_step3 = 'train_v3.bin', 8095
data4, switch_step4 = 'train_v4.bin', 10540
data5, switch_step5 = 'train_v5.bin', 14962
lr5, tokens5, deadline5_min = 1e-3, 60e6, 115
doc_start_frac = 0.25
