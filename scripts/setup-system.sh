#!/usr/bin/env bash
# Installs the Debian packages wflo's tests and tools use, only those missing.
# h5py/h5dump: interop and damaged-file checks of the store.
set -euo pipefail
need=()
dpkg -s python3-h5py >/dev/null 2>&1 || need+=(python3-h5py)
dpkg -s hdf5-tools  >/dev/null 2>&1 || need+=(hdf5-tools)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "system packages ok: python3-h5py hdf5-tools"
