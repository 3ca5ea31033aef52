#!/usr/bin/env bash
# Pin every dependency: requirements/<set>.txt from pyproject.toml's ranges, for the sets CI and
# `make` install (dev: everything the tests need; server: what `corridor serve` needs). The
# ranges stay in pyproject.toml; the locks say exactly what is tested, installed and audited.
# Re-run after changing a dependency (or after merging branches that add some), and commit the
# result. Needs uv (installed into .venv when missing); the resolution is universal (markers
# for every platform), for the oldest supported Python.
set -euo pipefail
cd "$(dirname "$0")/.."

uv_bin=${UV:-}
if [ -z "$uv_bin" ]; then
    if command -v uv >/dev/null; then uv_bin=uv
    elif [ -x .venv/bin/uv ]; then uv_bin=.venv/bin/uv
    else
        python3 -m pip install --quiet uv
        uv_bin="python3 -m uv"
    fi
fi

python=$(sed -n 's/^requires-python = ">=\([0-9.]*\)".*/\1/p' pyproject.toml)
mkdir -p requirements
for set in ${LOCK_SETS:-dev server}; do
    $uv_bin pip compile pyproject.toml --quiet --universal --python-version "${python:-3.11}" \
        --extra "$set" --no-emit-package corridor --custom-compile-command "scripts/lock.sh" \
        -o "requirements/$set.txt"
    echo "lock: requirements/$set.txt ($(grep -c '^[a-zA-Z]' "requirements/$set.txt") packages)"
done
