#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (default 600) on one core, as recorded in
# README.md: ./run.sh TARGET [SECONDS] [extra libFuzzer flags...]
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=${2:-600}
shift $(( $# > 1 ? 2 : 1 ))
case $target in
  read_text|analyze) dict=dicts/text.dict ;;
  read_jsonl|load_model) dict=dicts/json.dict ;;
  read_csv) dict=dicts/csv.dict ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
# One core: the machine is shared, and rayon threads would take a second.
export RAYON_NUM_THREADS=${RAYON_NUM_THREADS:-1}
mkdir -p "corpus/$target"
seeds=()
# Extra seed directories, if any, are read but not written to.
[ -d "seeds/$target" ] && seeds=("seeds/$target")
exec cargo +nightly fuzz run "$target" "corpus/$target" "${seeds[@]}" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -dict="$dict" -print_final_stats=1 "$@"
