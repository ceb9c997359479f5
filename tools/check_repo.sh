#!/usr/bin/env bash
# Check the repository's own files, offline (`make check-repo`, .ci/run, the check-repo hook): the GitHub workflows
# with actionlint, CITATION.cff with cffconvert (the Citation File Format's schema), the versions (CITATION.cff and
# CHANGELOG.md name the package's __version__), the pre-commit hooks' config, the shell scripts' syntax. Prints one
# line per check, then the result; exits 1 if any check failed. The tools come with the dev extra, which `make`
# installs into .venv.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export PATH="$PWD/.venv/bin:$PATH"   # .venv's tools first, then whatever else is on PATH

failed=(); n=0
check() {  # check NAME COMMAND...: run COMMAND, show its output indented, count it as passed or failed
  local name=$1; shift; n=$((n+1))
  local out rc; out=$("$@" 2>&1); rc=$?
  # indented, long lines cut, a long output shortened to its head and tail (a schema error can quote a whole schema)
  [ -z "$out" ] || awk '{ l[NR] = length($0) > 200 ? substr($0, 1, 200) "…" : $0 }
    END { for (i = 1; i <= NR; i++) if (NR <= 20 || i <= 10 || i > NR - 6) print "    " l[i]; else if (i == 11) print "    [… " NR - 16 " lines …]" }' <<<"$out"
  if [ $rc -eq 0 ]; then echo "ok      $name"; else echo "FAILED  $name (exit $rc)"; failed+=("$name"); fi
}
need() {  # need TOOL: fail with a remedy when TOOL is not installed
  command -v "$1" >/dev/null || { echo "$1 not found: install the dev extra (pip install -e '.[dev]'; make does)"; return 127; }
}
export -f need

shopt -s nullglob
workflows=(.github/workflows/*.yaml .github/workflows/*.yml)
check "actionlint ${workflows[*]}" bash -c '[ $# -gt 0 ] || { echo "no workflow in .github/workflows"; exit 1; }
  need actionlint && actionlint -no-color -oneline "$@"' _ "${workflows[@]}"
check "cffconvert --validate -i CITATION.cff" bash -c 'need cffconvert && cffconvert --validate -i CITATION.cff'
check "versions: CITATION.cff and CHANGELOG.md name emnist_nb.__version__" python3 - <<'PY'
import re, sys
from pathlib import Path
version = re.search(r'^__version__ = "([^"]+)"$', Path('emnist_nb/__init__.py').read_text(), re.M)[1]
errors = []
cff = Path('CITATION.cff'); log = Path('CHANGELOG.md')
m = re.search(r'^version: "?([^"\n]+?)"?\s*$', cff.read_text(), re.M) if cff.exists() else None
if not m or m[1] != version: errors.append(f"CITATION.cff: version {m[1] if m else None!r}, not the package's {version!r}")
if not (log.exists() and re.search(rf'^## \[?{re.escape(version)}\]?(\s|$)', log.read_text(), re.M)):
    errors.append(f"CHANGELOG.md: no heading '## {version}'")
print('\n'.join(errors) or f"version {version}")
sys.exit(bool(errors))
PY
check "pre-commit validate-config .pre-commit-config.yaml" bash -c 'need pre-commit && pre-commit validate-config .pre-commit-config.yaml'
check "bash -n .ci/run tools/*.sh" bash -c 'for f in .ci/run tools/*.sh; do bash -n "$f" || exit 1; done'

if [ ${#failed[@]} -eq 0 ]; then echo "check-repo: all $n checks passed"
else echo "check-repo: ${#failed[@]} of $n checks FAILED:"; printf '  %s\n' "${failed[@]}"; exit 1; fi
