#!/usr/bin/env bash
# Shift the live alias onto a new version through CodeDeploy (canary or linear, per stage) and
# wait; CodeDeploy itself moves traffic back if a watched alarm fires during the shift.
# Usage: scripts/shift_alias.sh <function> <new version> <codedeploy app> <deployment group>
set -euo pipefail
function_name=$1
target=$2
app=$3
group=$4

current=$(aws lambda get-alias --function-name "$function_name" --name live \
  --query FunctionVersion --output text)
echo "previous_version=${current}" >>"${GITHUB_OUTPUT:-/dev/null}"
if [[ "$current" == "$target" ]]; then
  echo "live already points at version ${target}; nothing to shift"
  exit 0
fi

appspec=$(python3 - "$function_name" "$current" "$target" <<'PY'
import json, sys
name, current, target = sys.argv[1:]
props = {"Name": name, "Alias": "live", "CurrentVersion": current, "TargetVersion": target}
spec = {"version": 0.0, "Resources": [{"api": {"Type": "AWS::Lambda::Function", "Properties": props}}]}
content = json.dumps(spec)
print(json.dumps({"revisionType": "AppSpecContent", "appSpecContent": {"content": content}}))
PY
)
deployment=$(aws deploy create-deployment --application-name "$app" \
  --deployment-group-name "$group" --revision "$appspec" \
  --description "live: ${current} -> ${target}" --query deploymentId --output text)
echo "CodeDeploy ${deployment}: live ${current} -> ${target}"
if ! aws deploy wait deployment-successful --deployment-id "$deployment"; then
  aws deploy get-deployment --deployment-id "$deployment" \
    --query 'deploymentInfo.[status,errorInformation]' --output text >&2
  echo "::error::the canary failed; CodeDeploy rolled live back to version ${current}" >&2
  exit 1
fi
echo "live now serves version ${target}"
