#!/usr/bin/env bash
# Applies the saved plan of one stack, as approved: `terraform apply plans/<stack>.tfplan`.
# Used by deploy.yml, one step per stack in deploy order. A stack without a saved plan was not
# planned because an upstream stack had no state yet (first deployment): this stack and every later
# one stop here, and the next deploy run plans them for approval (docs/ci-cd.md).
# Terraform itself refuses a plan whose state changed since it was made ("Saved plan is stale").
set -euo pipefail
stack="${1:?usage: apply-saved-plan.sh <stack>}"
plan="${PWD}/plans/${stack}.tfplan"

if [ "${DEPLOY_STOPPED:-}" = "true" ]; then
  echo "::notice::${stack}: not applied: an earlier stack had no approved plan in this run"
  exit 0
fi
if [ ! -f "${plan}" ]; then
  echo "::notice::${stack}: no approved plan in this run (its upstream stacks had no state when it was planned); run deploy again to plan and approve it"
  echo "DEPLOY_STOPPED=true" >>"${GITHUB_ENV:-/dev/null}"
  exit 0
fi
terraform -chdir="cdktf.out/stacks/${stack}" init -input=false -no-color
terraform -chdir="cdktf.out/stacks/${stack}" apply -input=false -no-color "${plan}"
