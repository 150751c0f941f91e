#!/usr/bin/env bash
# Installs the Debian packages wflo's tests and tools use, only those missing.
# h5py/h5dump: interop and damaged-file checks of the store.
set -euo pipefail
need=()
dpkg -s python3-h5py >/dev/null 2>&1 || need+=(python3-h5py)
dpkg -s hdf5-tools  >/dev/null 2>&1 || need+=(hdf5-tools)
# Jupyter (from Debian: PyPI is unreachable) and Chromium: the notebook tests execute
# notebooks/ with nbclient, export them with nbconvert and check them in a real browser.
for p in jupyter-notebook jupyter-client jupyter-nbconvert jupyter-nbformat python3-nbclient python3-ipykernel chromium; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
# Slurm (controller, node daemon, client): test/slurm starts a real one-host cluster in a temp
# dir to test `wflo submit` (Debian's packages pull munge, unused there: auth/none).
for p in slurmctld slurmd slurm-client; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "system packages ok: python3-h5py hdf5-tools jupyter-notebook jupyter-client jupyter-nbconvert jupyter-nbformat python3-nbclient python3-ipykernel chromium slurmctld slurmd slurm-client"
