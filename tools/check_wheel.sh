#!/usr/bin/env bash
# Build the sdist and wheel (make dist), install the wheel into a fresh virtual environment, and check it from an empty
# folder with no notebooks: import, every console script, the committed bundled model (tools/check_wheel.py).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd); venv=$(mktemp -d -p "$root" .check-wheel.XXXX)/venv; work=$(mktemp -d)  # venv beside .venv: same file system, so links work
trap 'rm -rf "$(dirname "$venv")" "$work"' EXIT
make dist
version=$(.venv/bin/python -c "import emnist_nb; print(emnist_nb.__version__)")
wheel=$(ls dist/emnist_nb-"$version"-py3-none-any.whl)
ls dist/emnist_nb-"$version".tar.gz >/dev/null
.venv/bin/python -c "import sys, zipfile; sys.exit('emnist_nb/pretrained/model.safetensors' not in zipfile.ZipFile(sys.argv[1]).namelist())" "$wheel" \
  || { echo "$wheel has no bundled model (emnist_nb/pretrained/)"; exit 1; }
python3 -m venv "$venv"
# torch and its CUDA libraries (~5.5 GB) are hard-linked from .venv rather than installed a second time (CI's disk is
# small); pip still checks them against the wheel's requirements and installs every other dependency from the registry.
.venv/bin/python tools/link_deps.py "$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"
"$venv/bin/pip" install -q "$wheel"
"$venv/bin/pip" check
cd "$work"  # no notebooks, no source tree: only what the wheel installed
"$venv/bin/python" -c "import emnist_nb; print('import emnist_nb', emnist_nb.__version__, 'from', emnist_nb.__file__)"
"$venv/bin/python" "$root/tools/check_wheel.py"
