#!/usr/bin/env bash
# The whole benchmark of issue #5, in order; results land in bench/results/.
# Run on a quiet machine: nothing else should use the two cores meanwhile.
#   bash bench/run_all.sh            # the full run (about 1.5–2.5 hours on 2 cores)
#   SMOKE=1 bash bench/run_all.sh    # seconds-long cells, tiny corpora: checks the harness
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
if [[ "${SMOKE:-}" == 1 ]]; then
  SIZES=5,20; SPEEDUP=20; DURATION=2; CONC=1,4; REL_CLIENTS=10; REL_SECONDS=5; SHAPES_ABOVE=0
else
  SIZES=${SIZES:-5,50,500,5000}; SPEEDUP=${SPEEDUP:-500,5000}; DURATION=${DURATION:-15}
  CONC=${CONC:-1,8,32}; REL_CLIENTS=${REL_CLIENTS:-50}; REL_SECONDS=${REL_SECONDS:-60}
  SHAPES_ABOVE=${SHAPES_ABOVE:-5000}
fi

# 1. Build scaling: 5 → 5,000 synthetic documents, 1 and 2 extraction workers.
$PY bench/build_bench.py --sizes "$SIZES" --workers 1,2 --speedup-sizes "$SPEEDUP" \
    --no-validate-above "$SHAPES_ABOVE"

# 2. The graph the servers are measured on: the seeds plus 500 synthetic documents.
N_SERVE=${N_SERVE:-500}; [[ "${SMOKE:-}" == 1 ]] && N_SERVE=20
CORPUS=bench/results/tmp/serve-corpus
$PY bench/gen_corpus.py -n "$N_SERVE" --out "$CORPUS" --seed 7
cp seeds/*.txt "$CORPUS"/
.venv/bin/policykg build --seeds "$CORPUS" --out bench/results/tmp/serve-build --workers 2 \
    $([[ "${SMOKE:-}" == 1 ]] && echo --no-validate)
NQ=bench/results/tmp/serve-build/graph.nq

# 3. Query serving: (a) policykg serve, (b) oxigraph server, (c) rdflib-endpoint, same run.
$PY bench/serve_bench.py --nq "$NQ" --duration "$DURATION" --concurrency "$CONC"

# 4. Reliability: clients mixing good, malformed and update requests; store hash; memory.
$PY bench/reliability.py --nq "$NQ" --clients "$REL_CLIENTS" --duration "$REL_SECONDS"

# 5. Scale-out: the same corpus on a local Dask cluster of 2 workers, compared byte for byte.
$PY -m policykg.distributed --seeds "$CORPUS" --out bench/results/tmp/dask-build --local-workers 2
cmp bench/results/tmp/dask-build/graph.nq "$NQ" && echo "scale-out graph.nq is byte-identical"
