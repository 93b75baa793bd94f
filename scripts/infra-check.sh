#!/usr/bin/env bash
# Offline checks of infra/, the Dockerfile and the workflows; run by `make infra-check`.
# Needs .venv (make install) and .venv-tools (requirements/tools.lock), which make installs.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
TOOLS=.venv-tools/bin
# The provider mirror these machines have on disk; elsewhere init downloads from the registry.
TF_PLUGIN_DIR="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
# Terraform's working data stays in the git-ignored cache, so the tree stays clean.
export TF_DATA_DIR="${TF_DATA_DIR:-$PWD/.cache/terraform}"
export TF_IN_AUTOMATION=1
export PATH="$PWD/$TOOLS:$PATH" # actionlint runs shellcheck from here

mkdir -p .cache
if [[ ! -d "$TF_PLUGIN_DIR" ]]; then
  # No mirror: download the provider once for both inits (here and the offline plan).
  export TF_PLUGIN_CACHE_DIR="${TF_PLUGIN_CACHE_DIR:-$PWD/.cache/terraform-plugins}"
  mkdir -p "$TF_PLUGIN_CACHE_DIR"
fi
printf '*\n' > .cache/.gitignore
# A CLI config variable pointing at a missing file only produces warnings on every command.
if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -e "$TF_CLI_CONFIG_FILE" ]]; then
  unset TF_CLI_CONFIG_FILE
fi
command -v terraform >/dev/null || {
  echo "infra-check: terraform is not on PATH (>= 1.6 needed)" >&2
  exit 1
}

elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%6.1fs", b - a }'; }

timings=()
step() {
  local name=$1
  shift
  local started=$EPOCHREALTIME
  echo "==> ${name}"
  "$@"
  timings+=("$(elapsed "$started")  ${name}")
}

terraform_init() {
  if [[ -d "$TF_PLUGIN_DIR" ]]; then
    terraform -chdir=infra init -backend=false -input=false -no-color \
      -plugin-dir="$TF_PLUGIN_DIR" >/dev/null
  else
    terraform -chdir=infra init -backend=false -input=false -no-color >/dev/null
  fi
}

started_all=$EPOCHREALTIME
step "terraform fmt -check" terraform -chdir=infra fmt -check -recursive -diff
step "terraform init (no backend)" terraform_init
step "terraform validate" terraform -chdir=infra validate -no-color
step "terraform plan: both phases, staging and production (offline, fake account)" "$PY" scripts/terraform_plan_offline.py
step "checkov (0 failed; skips inline with reasons)" \
  "$TOOLS/checkov" -d infra --framework terraform --skip-download --quiet --compact
step "actionlint" "$TOOLS/actionlint" .github/workflows/*.yml
# Medium and above fail; the low "self-repository" hint asks for a `uses: $/...` form that
# actionlint does not accept yet.
step "zizmor (workflow security audit)" "$TOOLS/zizmor" --offline --quiet --min-severity medium .github/workflows
step "hadolint" "$TOOLS/hadolint" Dockerfile
step "shellcheck" "$TOOLS/shellcheck" scripts/infra-check.sh scripts/shift_alias.sh
step "consistency tests (python-hcl2)" "$PY" -m pytest tests/infra -q
step "image smoke" "$PY" scripts/image_smoke.py

echo "infra-check: all green"
printf '  %s\n' "${timings[@]}"
echo "  $(elapsed "$started_all")  total"
