#!/usr/bin/env bash
# Creates, once per environment, the Azure Storage that holds the Terraform
# state of every stack (<environment>/<stack>.tfstate), and grants the CI
# identities access to its container. Safe to run again: existing resources are
# kept and their security settings re-applied. Uses only the Azure CLI (az).
#
# Runbook: docs/runbooks/bootstrap-state.md. Layout decisions: ADR 0012.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly LOCK_NAME="tfstate-do-not-delete"
readonly TAGS=(purpose=terraform-state managed-by=scripts/bootstrap-state.sh)

usage() {
  cat <<'EOF'
Usage: scripts/bootstrap-state.sh [--env NAME] [options] [--dry-run]

Names (flag, else environment variable, else --env):
  --env NAME                 read names, subscription and location from
                             config/environments/NAME.ts (needs `npm run build`)
  --resource-group NAME      TFSTATE_RESOURCE_GROUP    state resource group
  --storage-account NAME     TFSTATE_STORAGE_ACCOUNT   3-24 lower-case letters/digits
  --container NAME           TFSTATE_CONTAINER         blob container (default: tfstate)
  --subscription ID          TFSTATE_SUBSCRIPTION_ID   subscription (GUID)
  --location REGION          TFSTATE_LOCATION          Azure region; with --env, the
                                                       environment's secondary region
Options:
  --sku SKU                  TFSTATE_SKU               Standard_GZRS (default), Standard_RAGZRS
                                                       or Standard_ZRS
  --deploy-principal-id ID   TFSTATE_DEPLOY_PRINCIPAL_ID  object ID of the CI deploy
                             service principal: "Storage Blob Data Contributor" on the container
  --plan-principal-id ID     TFSTATE_PLAN_PRINCIPAL_ID    object ID of the CI plan service
                             principal: "Storage Blob Data Reader" on the container
  --allow-ip CIDR            allow this public address range (repeatable); with any
                             --allow-ip/--allow-subnet every other network is denied
  --allow-subnet ID          allow this subnet (service endpoint; repeatable)
  --retention-days N         TFSTATE_RETENTION_DAYS    blob and container soft delete (default 30)
  --dry-run                  print the az commands a first run would execute; run none
  -h, --help                 this text
EOF
}

die() {
  printf 'bootstrap-state: %s\n' "$*" >&2
  exit 1
}

DRY_RUN=false
ENV_NAME=""
RESOURCE_GROUP="${TFSTATE_RESOURCE_GROUP:-}"
STORAGE_ACCOUNT="${TFSTATE_STORAGE_ACCOUNT:-}"
CONTAINER="${TFSTATE_CONTAINER:-}"
SUBSCRIPTION="${TFSTATE_SUBSCRIPTION_ID:-}"
LOCATION="${TFSTATE_LOCATION:-}"
SKU="${TFSTATE_SKU:-Standard_GZRS}"
DEPLOY_PRINCIPAL="${TFSTATE_DEPLOY_PRINCIPAL_ID:-}"
PLAN_PRINCIPAL="${TFSTATE_PLAN_PRINCIPAL_ID:-}"
RETENTION_DAYS="${TFSTATE_RETENTION_DAYS:-30}"
ALLOW_IPS=()
ALLOW_SUBNETS=()

while [ $# -gt 0 ]; do
  case "$1" in
  --env) ENV_NAME="${2:?--env needs a value}"; shift 2 ;;
  --resource-group) RESOURCE_GROUP="${2:?--resource-group needs a value}"; shift 2 ;;
  --storage-account) STORAGE_ACCOUNT="${2:?--storage-account needs a value}"; shift 2 ;;
  --container) CONTAINER="${2:?--container needs a value}"; shift 2 ;;
  --subscription) SUBSCRIPTION="${2:?--subscription needs a value}"; shift 2 ;;
  --location) LOCATION="${2:?--location needs a value}"; shift 2 ;;
  --sku) SKU="${2:?--sku needs a value}"; shift 2 ;;
  --deploy-principal-id) DEPLOY_PRINCIPAL="${2:?--deploy-principal-id needs a value}"; shift 2 ;;
  --plan-principal-id) PLAN_PRINCIPAL="${2:?--plan-principal-id needs a value}"; shift 2 ;;
  --allow-ip) ALLOW_IPS+=("${2:?--allow-ip needs a value}"); shift 2 ;;
  --allow-subnet) ALLOW_SUBNETS+=("${2:?--allow-subnet needs a value}"); shift 2 ;;
  --retention-days) RETENTION_DAYS="${2:?--retention-days needs a value}"; shift 2 ;;
  --dry-run) DRY_RUN=true; shift ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

# --env fills whatever was not given explicitly, from the compiled config, so
# the names cannot drift from the environment's `backend` block.
if [ -n "$ENV_NAME" ]; then
  command -v node >/dev/null 2>&1 || die "--env needs node on PATH"
  [ -f "${ROOT}/dist/config/index.js" ] || die "--env reads the compiled config: run 'npm run build' first"
  # shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
  from_config="$(node -e '
    const [dist, env] = process.argv.slice(1);
    let c;
    try { c = require(dist).loadEnvironment(env); } catch (e) { console.error(e.message); process.exit(2); }
    if (c.backend.type !== "azurerm") {
      console.error(`environment ${env} has backend.type "${c.backend.type}"; set backend to { type: "azurerm", ... } first`);
      process.exit(2);
    }
    const b = c.backend;
    console.log([b.resourceGroupName, b.storageAccountName, b.containerName, c.azure.subscriptionId, c.regions.secondary.location].join("\t"));
  ' "${ROOT}/dist/config" "$ENV_NAME")" || die "could not read environment '${ENV_NAME}'"
  IFS=$'\t' read -r cfg_rg cfg_sa cfg_container cfg_subscription cfg_location <<<"$from_config"
  RESOURCE_GROUP="${RESOURCE_GROUP:-$cfg_rg}"
  STORAGE_ACCOUNT="${STORAGE_ACCOUNT:-$cfg_sa}"
  CONTAINER="${CONTAINER:-$cfg_container}"
  SUBSCRIPTION="${SUBSCRIPTION:-$cfg_subscription}"
  # The secondary region: the one emergency that needs Terraform (losing the
  # primary region) must not also lose the state (ADR 0012).
  LOCATION="${LOCATION:-$cfg_location}"
fi
CONTAINER="${CONTAINER:-tfstate}"

# Validate everything before touching anything; report every problem at once.
problems=()
GUID_RE='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
[[ "$RESOURCE_GROUP" =~ ^[-A-Za-z0-9._()]{1,90}$ ]] || problems+=("--resource-group '${RESOURCE_GROUP}' must be 1-90 letters, digits, - _ . ( )")
[[ "$STORAGE_ACCOUNT" =~ ^[a-z0-9]{3,24}$ ]] || problems+=("--storage-account '${STORAGE_ACCOUNT}' must be 3-24 lower-case letters and digits")
[[ "$CONTAINER" =~ ^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$ && "$CONTAINER" != *--* ]] || problems+=("--container '${CONTAINER}' must be 3-63 lower-case letters, digits and single hyphens")
[[ "$SUBSCRIPTION" =~ $GUID_RE ]] || problems+=("--subscription '${SUBSCRIPTION}' must be a subscription ID (GUID)")
[[ "$LOCATION" =~ ^[a-z][a-z0-9]+$ ]] || problems+=("--location '${LOCATION}' must be an Azure region name such as 'northeurope'")
case "$SKU" in
Standard_GZRS | Standard_RAGZRS | Standard_ZRS) ;;
*) problems+=("--sku '${SKU}' must be Standard_GZRS, Standard_RAGZRS or Standard_ZRS (state must survive a zone loss)") ;;
esac
[[ -z "$DEPLOY_PRINCIPAL" || "$DEPLOY_PRINCIPAL" =~ $GUID_RE ]] || problems+=("--deploy-principal-id '${DEPLOY_PRINCIPAL}' must be an object ID (GUID)")
[[ -z "$PLAN_PRINCIPAL" || "$PLAN_PRINCIPAL" =~ $GUID_RE ]] || problems+=("--plan-principal-id '${PLAN_PRINCIPAL}' must be an object ID (GUID)")
if ! [[ "$RETENTION_DAYS" =~ ^[0-9]{1,3}$ ]] || [ "$RETENTION_DAYS" -lt 1 ] || [ "$RETENTION_DAYS" -gt 365 ]; then
  problems+=("--retention-days '${RETENTION_DAYS}' must be 1-365")
fi
for cidr in "${ALLOW_IPS[@]+"${ALLOW_IPS[@]}"}"; do
  [[ "$cidr" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}(/([89]|[12][0-9]|30))?$ ]] || problems+=("--allow-ip '${cidr}' must be an IPv4 address or a range from /8 to /30")
done
for subnet in "${ALLOW_SUBNETS[@]+"${ALLOW_SUBNETS[@]}"}"; do
  [[ "$subnet" == /subscriptions/*/subnets/* ]] || problems+=("--allow-subnet '${subnet}' must be a subnet resource ID")
done
if [ "${#problems[@]}" -gt 0 ]; then
  printf 'bootstrap-state: %s\n' "${problems[@]}" >&2
  printf 'bootstrap-state: nothing was changed (see --help)\n' >&2
  exit 2
fi
if ! $DRY_RUN; then
  command -v az >/dev/null 2>&1 || die "the Azure CLI 'az' is not on PATH (https://learn.microsoft.com/cli/azure/install-azure-cli)"
fi

readonly ACCOUNT_ID="/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.Storage/storageAccounts/${STORAGE_ACCOUNT}"
readonly CONTAINER_SCOPE="${ACCOUNT_ID}/blobServices/default/containers/${CONTAINER}"
if [ "$(( ${#ALLOW_IPS[@]} + ${#ALLOW_SUBNETS[@]} ))" -gt 0 ]; then
  DEFAULT_ACTION=Deny
else
  DEFAULT_ACTION=Allow
fi

# A command that changes something: printed in a dry run, executed otherwise.
change() {
  if $DRY_RUN; then
    printf '+ az'
    printf ' %q' "$@" --subscription "$SUBSCRIPTION"
    printf '\n'
  else
    az "$@" --subscription "$SUBSCRIPTION" --only-show-errors
  fi
}

# A read-only question whose answer is printed on stdout. A dry run asks
# nothing: it shows the question (on stderr) and answers as if nothing existed yet.
ask() {
  if $DRY_RUN; then
    {
      printf '# would check: az'
      printf ' %q' "$@" --subscription "$SUBSCRIPTION"
      printf '\n'
    } >&2
    return 1
  fi
  az "$@" --subscription "$SUBSCRIPTION" --only-show-errors
}

# Whether a resource exists ("not found" is the expected answer, not an error to show).
exists() {
  if $DRY_RUN; then
    ask "$@"
  else
    ask "$@" 2>/dev/null
  fi
}

step() {
  printf '==> %s\n' "$*"
}

# role NAME for PRINCIPAL on the container, once.
grant() {
  local role="$1" principal="$2" count
  count="$(ask role assignment list --assignee "$principal" --role "$role" --scope "$CONTAINER_SCOPE" --query 'length(@)' --output tsv)" || count=0
  if [ "${count:-0}" -gt 0 ]; then
    step "'${role}' for ${principal} already assigned"
    return 0
  fi
  change role assignment create --assignee-object-id "$principal" --assignee-principal-type ServicePrincipal \
    --role "$role" --scope "$CONTAINER_SCOPE" --output none
}

$DRY_RUN && printf '# dry run: nothing is executed; the commands of a first run follow\n'
step "resource group ${RESOURCE_GROUP} (${LOCATION})"
change group create --name "$RESOURCE_GROUP" --location "$LOCATION" --tags "${TAGS[@]}" --output none

step "storage account ${STORAGE_ACCOUNT} (${SKU}, Entra ID only)"
if exists storage account show --name "$STORAGE_ACCOUNT" --resource-group "$RESOURCE_GROUP" --output none; then
  step "exists; re-applying its security settings"
else
  change storage account create --name "$STORAGE_ACCOUNT" --resource-group "$RESOURCE_GROUP" --location "$LOCATION" \
    --kind StorageV2 --sku "$SKU" --access-tier Hot \
    --min-tls-version TLS1_2 --https-only true --allow-blob-public-access false \
    --allow-shared-key-access false --allow-cross-tenant-replication false \
    --public-network-access Enabled --default-action "$DEFAULT_ACTION" --bypass AzureServices \
    --tags "${TAGS[@]}" --output none
fi
# Converge an existing account too (idempotent; someone may have loosened it).
change storage account update --name "$STORAGE_ACCOUNT" --resource-group "$RESOURCE_GROUP" \
  --min-tls-version TLS1_2 --https-only true --allow-blob-public-access false \
  --allow-shared-key-access false --allow-cross-tenant-replication false \
  --default-action "$DEFAULT_ACTION" --bypass AzureServices --output none
# The portal, too, defaults to Entra ID (with shared keys off nothing else works anyway).
change resource update --resource-group "$RESOURCE_GROUP" --name "$STORAGE_ACCOUNT" \
  --resource-type Microsoft.Storage/storageAccounts --set properties.defaultToOAuthAuthentication=true --output none

step "blob versioning and soft delete (${RETENTION_DAYS} days)"
change storage account blob-service-properties update --account-name "$STORAGE_ACCOUNT" --resource-group "$RESOURCE_GROUP" \
  --enable-versioning true --enable-delete-retention true --delete-retention-days "$RETENTION_DAYS" \
  --enable-container-delete-retention true --container-delete-retention-days "$RETENTION_DAYS" --output none

if [ "$DEFAULT_ACTION" = Deny ]; then
  step "network: deny all but the allowed ranges and subnets"
  for cidr in "${ALLOW_IPS[@]+"${ALLOW_IPS[@]}"}"; do
    found="$(ask storage account network-rule list --account-name "$STORAGE_ACCOUNT" --resource-group "$RESOURCE_GROUP" \
      --query "length(ipRules[?ipAddressOrRange=='${cidr}'])" --output tsv)" || found=0
    [ "${found:-0}" -gt 0 ] || change storage account network-rule add --account-name "$STORAGE_ACCOUNT" \
      --resource-group "$RESOURCE_GROUP" --ip-address "$cidr" --output none
  done
  for subnet in "${ALLOW_SUBNETS[@]+"${ALLOW_SUBNETS[@]}"}"; do
    found="$(ask storage account network-rule list --account-name "$STORAGE_ACCOUNT" --resource-group "$RESOURCE_GROUP" \
      --query "length(virtualNetworkRules[?virtualNetworkResourceId=='${subnet}'])" --output tsv)" || found=0
    [ "${found:-0}" -gt 0 ] || change storage account network-rule add --account-name "$STORAGE_ACCOUNT" \
      --resource-group "$RESOURCE_GROUP" --subnet "$subnet" --output none
  done
else
  step "network: public endpoint, Entra ID authorization only (use --allow-ip/--allow-subnet to restrict)"
fi

# Through Azure Resource Manager: needs no data-plane role and no network access to the account.
step "container ${CONTAINER}"
if exists storage container-rm show --storage-account "$STORAGE_ACCOUNT" --resource-group "$RESOURCE_GROUP" \
  --name "$CONTAINER" --output none; then
  step "exists"
else
  change storage container-rm create --storage-account "$STORAGE_ACCOUNT" --resource-group "$RESOURCE_GROUP" \
    --name "$CONTAINER" --public-access off --output none
fi

step "delete lock ${LOCK_NAME}"
change lock create --name "$LOCK_NAME" --lock-type CanNotDelete --resource-group "$RESOURCE_GROUP" \
  --resource-name "$STORAGE_ACCOUNT" --resource-type Microsoft.Storage/storageAccounts \
  --notes "Terraform state of every stack. Blob versions and soft delete keep old states: docs/runbooks/bootstrap-state.md" \
  --output none

step "access to the container"
if [ -n "$DEPLOY_PRINCIPAL" ]; then grant "Storage Blob Data Contributor" "$DEPLOY_PRINCIPAL"; fi
if [ -n "$PLAN_PRINCIPAL" ]; then grant "Storage Blob Data Reader" "$PLAN_PRINCIPAL"; fi
if [ -z "$DEPLOY_PRINCIPAL$PLAN_PRINCIPAL" ]; then
  step "no principal given: grant 'Storage Blob Data Contributor' on ${CONTAINER_SCOPE} to whoever runs Terraform"
fi

done_note="done"
if $DRY_RUN; then done_note="dry run done; nothing was changed"; fi
cat <<EOF
==> ${done_note}. The environment's config must say:
  backend: {
    type: "azurerm",
    resourceGroupName: "${RESOURCE_GROUP}",
    storageAccountName: "${STORAGE_ACCOUNT}",
    containerName: "${CONTAINER}",
  },
State keys are <environment>/<stack>.tfstate in that container; see docs/runbooks/bootstrap-state.md.
EOF
