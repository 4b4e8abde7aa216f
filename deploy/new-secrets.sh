#!/bin/sh
# Write the secrets the compose file mounts, one file each, readable by you only:
#   deploy/new-secrets.sh [DIR]        (default deploy/secrets; PLANTFLOW_SECRETS_DIR in .env)
# A file that exists is kept: rotate a secret by adding the new one beside the old
# (webhooks: "whsec_new,whsec_old"; payload keys: "k2:...,k1:..." and PLANTFLOW_PAYLOAD_KEY_ID=k2).
set -eu
dir="${1:-deploy/secrets}"
mkdir -p "$dir" && chmod 700 "$dir"
umask 077
random() { python3 -c "import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())"; }
write() { [ -e "$dir/$1" ] && echo "kept $dir/$1" || { printf '%s\n' "$2" > "$dir/$1"; echo "wrote $dir/$1"; }; }
for system in erp mes qms lims supplier_portal; do
  write "webhook_$system" "whsec_$(random)"
done
write payload_keys "k1:$(random)"
write refsystem_admin_token "$(random)"
write console_session "$(random)"
echo "Set PLANTFLOW_PAYLOAD_KEY_ID=k1 in .env; give each system the secret of its webhook file."
