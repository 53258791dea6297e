#!/bin/sh
# Waits until the deploying identity can use the vault's data plane, so the
# first secret write does not race the role assignment (Azure RBAC changes
# can take up to 10 minutes: https://learn.microsoft.com/azure/role-based-access-control/troubleshooting#symptom---role-assignment-changes-are-not-being-detected).
# A firewall refusal never heals by waiting: it fails at once, naming the fix.
set -u
vault="${VAULT:?VAULT is required}"
attempts="${ATTEMPTS:-60}"
interval="${INTERVAL:-10}"
if ! command -v az >/dev/null 2>&1; then
  echo "Key Vault ${vault}: the Azure CLI (az) is needed to wait for the deployer's access; install it and log in as the identity that runs Terraform" >&2
  exit 1
fi
i=0
while :; do
  if err=$(az keyvault secret list --vault-name "${vault}" --maxresults 1 --output none 2>&1); then
    echo "Key Vault ${vault}: data plane reachable for the deployer after ${i} retries"
    exit 0
  fi
  case "${err}" in
    *ForbiddenByFirewall*|*"Client address is not authorized"*)
      echo "Key Vault ${vault} refuses this runner's address: add its egress CIDR to keyVault.allowedCidrs, or run from a subnet in keyVault.runnerSubnetIds (npm run preflight -- --only key-vault-runner-access)" >&2
      exit 1
      ;;
  esac
  i=$((i + 1))
  if [ "${i}" -ge "${attempts}" ]; then
    echo "Key Vault ${vault}: the deployer still cannot list secrets after ${attempts} tries; check its 'Key Vault Secrets Officer' assignment. Last error: ${err}" >&2
    exit 1
  fi
  sleep "${interval}"
done
