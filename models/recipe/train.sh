#!/usr/bin/env bash
# npm run train [-- --smoke]
# One pipeline: corpus -> stories + tokenizer -> the named runs in config/ -> export, parity fixtures,
# evaluation, model cards. Each run is a small config file (config/<run>.py, see config/README.md); a
# run that continues another names it in init_from and starts from its averaged weights.
#   tiny-tied       phases 1-5 of the tied model (from scratch)  -> tiny-tied-kd2 -> tiny-tied-kd3n (shipped)
#   tiny-untied     phases 1-5 of the untied model (from scratch; the distillation teacher of phases 6-7) -> tiny-untied-v8 (shipped)
#   tiny-tied-v7    phase-8 candidate from tiny-tied-kd3n, trained and scored on the independent validation draw
#                   (select_run.py; selection.json, phase8) but not shipped: see the recipe README
#   *-v8            phase 9, from tiny-tied-kd3n and tiny-untied, judged by select_run.py and the rule in selection.json
#                   (phase9*): tiny-untied-v8 shipped, tiny-tied-v8 not (its round trip; see the recipe README)
#   tiny-tied-v9    phase 10, from tiny-tied-kd3n, judged by the rule in selection.json (phase10): shipped
# Prerequisites (Debian 12): apt-get install -y python3-torch libopenblas0-openmp (and node_modules installed).
# Environment: THREADS (per run, default 1; the two from-scratch runs train concurrently).
# --smoke: the same pipeline and configs on a sliver of data, tiny budgets, in a few minutes, written under
# work/smoke/ (does not touch models/ or the parity fixtures).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-/usr/bin/python3}
THREADS=${THREADS:-1}
TIED_CHAIN=(tiny-tied tiny-tied-kd2 tiny-tied-kd3n)
CANDIDATES=(tiny-tied-v7)
if [[ "${1:-}" == "--smoke" ]]; then
  export RECIPE_WORK="$PWD/work/smoke"
  mkdir -p "$RECIPE_WORK"
  CK="$RECIPE_WORK/ckpt"
  # tiny budgets; the phase switches of the from-scratch runs moved to steps 8/14/18/22
  SMALL=(--ckpt-dir "$CK" --threads 1 --eval-n 20 --batch 8 --deadline-min 0)
  SCRATCH=(--tokens 2e4 --warmup 5 --switch-step 8 --switch-step3 14 --switch-step4 18 --switch-step5 22 --tokens5 2e4 --deadline5-min 0)
  LATER=(--tokens 1e4 --warmup 2)
  $PY corpus.py --smoke
  $PY bpe.py --smoke
  TOKENIZER="$RECIPE_WORK/tokenizer.json" $PY bpe.py --v7
  $PY check_tokenizer.py "$RECIPE_WORK/tokenizer.json" 300
  for r in tiny-tied tiny-untied; do
    rm -rf "$CK/$r"
    $PY train.py config/$r.py "${SMALL[@]}" "${SCRATCH[@]}"
    $PY average.py --name $r --ckpt-dir "$CK" --last 0.5
  done
  for r in "${TIED_CHAIN[@]:1}" "${CANDIDATES[@]}" tiny-tied-v8 tiny-untied-v8 tiny-tied-v9; do
    rm -rf "$CK/$r"
    $PY train.py config/$r.py "${SMALL[@]}" "${LATER[@]}"
    $PY average.py --name $r --ckpt-dir "$CK" --last 0.5
  done
  $PY select_run.py tiny-tied-v7 --phase 8 --base tiny-tied-kd3n --set independent --n 40 --ckpt-dir "$CK" --out "$RECIPE_WORK/selection.json"
  $PY select_run.py tiny-tied-v8 --phase 9 --base tiny-tied-kd3n --set independent --n 40 --ckpt-dir "$CK" --out "$RECIPE_WORK/selection.json"
  $PY select_run.py tiny-untied-v8 --phase 9-untied --base tiny-untied --set independent --n 40 --ckpt-dir "$CK" --out "$RECIPE_WORK/selection.json"
  $PY select_run.py tiny-tied-v9 --phase 10 --base tiny-tied-kd3n --set independent --n 40 --ckpt-dir "$CK" --out "$RECIPE_WORK/selection.json"
  $PY export.py --name smoke-tied --runs "$(IFS=,; echo "${TIED_CHAIN[*]}"),tiny-tied-v9" --ckpt "$CK/tiny-tied-v9/averaged.pt" --ckpt-dir "$CK" --out-root "$RECIPE_WORK/models" --fixture-dir "$RECIPE_WORK/fixtures" --onnx
  $PY export.py --name smoke-untied --runs tiny-untied,tiny-untied-v8 --ckpt "$CK/tiny-untied-v8/averaged.pt" --ckpt-dir "$CK" --out-root "$RECIPE_WORK/models" --fixture-dir "$RECIPE_WORK/fixtures"
  $PY evaluate.py --models "$RECIPE_WORK/models/smoke-tied" "$RECIPE_WORK/models/smoke-untied" --out "$RECIPE_WORK/results.json" --n 40
  $PY cards.py --smoke
  echo "smoke OK"
  exit 0
fi
$PY corpus.py
$PY bpe.py          # the tokenizer (trained once, on version-1 stories) and the streams of versions 1-6
$PY bpe.py --v7     # the version-7 stream, with that tokenizer
$PY check_tokenizer.py
# the two from-scratch runs train side by side, one thread each
$PY train.py config/tiny-tied.py --threads "$THREADS" > work/train-tiny-tied.out 2>&1 &
P1=$!
$PY train.py config/tiny-untied.py --threads "$THREADS" > work/train-tiny-untied.out 2>&1 &
P2=$!
wait $P1 $P2
$PY average.py --name tiny-tied
$PY average.py --name tiny-untied
# the tied model's later phases, each a new run from the previous one's average
for r in "${TIED_CHAIN[@]:1}" "${CANDIDATES[@]}"; do
  rm -rf "ckpt/$r"
  $PY train.py config/$r.py --threads "$THREADS" > "work/train-$r.out" 2>&1
  $PY average.py --name "$r"
done
$PY select_run.py "${CANDIDATES[@]}" --phase 8 --base tiny-tied-kd3n --set independent --n 400
# phase 9: both models side by side, one thread each
for r in tiny-tied-v8 tiny-untied-v8; do
  rm -rf "ckpt/$r"
  $PY train.py config/$r.py --threads "$THREADS" > "work/train-$r.out" 2>&1 &
done
wait
for r in tiny-tied-v8 tiny-untied-v8; do $PY average.py --name "$r"; done
$PY select_run.py tiny-tied-v8 --phase 9 --base tiny-tied-kd3n --set independent --n 400
$PY select_run.py tiny-untied-v8 --phase 9-untied --base tiny-untied --set independent --n 400
# phase 10: the tied model again, every rare row held fixed
rm -rf ckpt/tiny-tied-v9
$PY train.py config/tiny-tied-v9.py --threads "$THREADS" > work/train-tiny-tied-v9.out 2>&1
$PY average.py --name tiny-tied-v9
$PY select_run.py tiny-tied-v9 --phase 10 --base tiny-tied-kd3n --set independent --n 400
$PY export.py --name tiny-tied --runs "$(IFS=,; echo "${TIED_CHAIN[*]}"),tiny-tied-v9" --ckpt ckpt/tiny-tied-v9/averaged.pt --onnx
$PY export.py --name tiny-untied --runs tiny-untied,tiny-untied-v8 --ckpt ckpt/tiny-untied-v8/averaged.pt
$PY evaluate.py
$PY cards.py
