#!/usr/bin/env bash
# Compiles gan-cuda's kernels (src/main/cuda/*.cu) to PTX, the form committed under
# src/main/resources/io/gan4j/cuda/ptx/ and loaded by CudaBackend with cuModuleLoadData.
#
#   build-ptx.sh --update          regenerate the committed PTX (after changing a .cu file; commit the result)
#   build-ptx.sh --check OUTDIR    regenerate into OUTDIR and fail (exit 1) if it differs from the committed PTX;
#                                  run by Maven (profile ptx-check, phase generate-resources) where nvcc exists
# Without nvcc it prints why it skips and exits 0.
#
# Target, and why (docs/gpu/README.md, "CUDA backend status"):
#  - virtual architecture compute_75 (.target sm_75): the lowest that nvcc 13 still accepts (it dropped
#    compute_50..compute_72); the driver JIT-compiles PTX for any newer GPU (Ampere, Hopper, Blackwell).
#  - PTX ISA .version 8.0: nvcc 13 writes ".version 9.0", which a CUDA 12 driver refuses
#    (CUDA_ERROR_UNSUPPORTED_PTX_VERSION: a driver JITs only the PTX ISA of its own release or older;
#    CUDA 12.0 = ISA 8.0 ... 12.9 = ISA 8.8, CUDA 13.0 = ISA 9.0). The kernels use nothing newer than ISA 8.0,
#    so the directive is lowered to 8.0, and ptxas then assembles the lowered text for sm_75 as the proof:
#    ptxas rejects an instruction that needs a newer ISA than the file declares. ISA 8.0 loads on every
#    driver of CUDA >= 12.0, including CUDA 13's.
#  - -fmad=false: a * b + c rounded twice, as Java computes it, so that elementwise kernels, Adam and the
#    random numbers reproduce the CPU backend bit for bit where the math library allows; the GEMM asks for
#    fused multiply-adds explicitly (fmaf), which -fmad=false does not touch.
# Deterministic: nvcc's PTX has no timestamps or paths (no -lineinfo/-G); its header names the compiler
# release, so a different nvcc release may produce different text and the check says so.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
committed="$here/../resources/io/gan4j/cuda/ptx"
ISA=8.0
ARCH=compute_75
FLAGS=(-ptx -arch="$ARCH" -fmad=false -std=c++17)

mode=${1:-}
case "$mode" in
  --update) out=$committed ;;
  --check) out=${2:?usage: build-ptx.sh --check OUTDIR} ;;
  *) echo "usage: build-ptx.sh --update | --check OUTDIR" >&2; exit 2 ;;
esac

nvcc=${NVCC:-}
if [ -z "$nvcc" ]; then
  if command -v nvcc >/dev/null 2>&1; then nvcc=$(command -v nvcc)
  elif [ -x /usr/local/cuda/bin/nvcc ]; then nvcc=/usr/local/cuda/bin/nvcc
  fi
fi
if [ -z "$nvcc" ]; then
  echo "[ptx] skipped: nvcc not found (PATH, /usr/local/cuda/bin); the committed PTX is used as is"
  exit 0
fi
ptxas=$(dirname "$nvcc")/ptxas
release=$("$nvcc" --version | sed -n 's/.*release \([0-9.]*\),.*/\1/p')

mkdir -p "$out"
status=0
for cu in "$here"/*.cu; do
  name=$(basename "$cu" .cu)
  raw=$(mktemp)
  (cd "$here" && "$nvcc" "${FLAGS[@]}" -o "$raw" "$(basename "$cu")")
  from=$(sed -n 's/^\.version \([0-9.]*\)$/\1/p' "$raw")
  {
    echo "// gan4j: $name.cu compiled by gan-cuda/src/main/cuda/build-ptx.sh: nvcc $release ${FLAGS[*]};"
    echo "// PTX ISA lowered from .version $from to .version $ISA so that CUDA 12 drivers load it (see build-ptx.sh)."
    sed "s/^\.version [0-9.]*\$/.version $ISA/" "$raw"
  } > "$out/$name.ptx"
  rm -f "$raw"
  "$ptxas" -arch=sm_75 "$out/$name.ptx" -o /dev/null   # the lowered ISA must still assemble
  if [ "$mode" = --check ]; then
    if ! cmp -s "$out/$name.ptx" "$committed/$name.ptx"; then
      echo "[ptx] FAIL: $name.ptx regenerated with nvcc $release differs from the committed" \
           "src/main/resources/io/gan4j/cuda/ptx/$name.ptx:"
      diff "$committed/$name.ptx" "$out/$name.ptx" | head -20 || true
      echo "[ptx] run gan-cuda/src/main/cuda/build-ptx.sh --update and commit the PTX with the .cu change"
      status=1
    else
      echo "[ptx] $name.ptx: regenerated with nvcc $release, identical to the committed PTX"
    fi
  else
    echo "[ptx] wrote $out/$name.ptx (nvcc $release, ISA $from -> $ISA, $(grep -c '^\.visible \.entry' "$out/$name.ptx") kernels)"
  fi
done
exit $status
