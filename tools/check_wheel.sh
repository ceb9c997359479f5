#!/usr/bin/env bash
# Build the sdist and wheel (make dist), install the wheel into a fresh virtual environment, and check it from an empty
# folder with no notebooks: import, every console script, the bundled model (tools/check_wheel.py). Needs `make pretrained` first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd); venv=$(mktemp -d)/venv; work=$(mktemp -d)
trap 'rm -rf "$(dirname "$venv")" "$work"' EXIT
make dist
version=$(.venv/bin/python -c "import emnist_nb; print(emnist_nb.__version__)")
wheel=$(ls dist/emnist_nb-"$version"-py3-none-any.whl)
ls dist/emnist_nb-"$version".tar.gz >/dev/null
.venv/bin/python -m zipfile -l "$wheel" | grep -q 'emnist_nb/pretrained/model.safetensors' || { echo "$wheel has no bundled model: run make pretrained first"; exit 1; }
python3 -m venv "$venv"
"$venv/bin/pip" install -q "$wheel"
cd "$work"  # no notebooks, no source tree: only what the wheel installed
"$venv/bin/python" -c "import emnist_nb; print('import emnist_nb', emnist_nb.__version__, 'from', emnist_nb.__file__)"
"$venv/bin/python" "$root/tools/check_wheel.py"
