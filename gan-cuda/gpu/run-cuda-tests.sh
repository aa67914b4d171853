#!/usr/bin/env bash
# Runs every gan-cuda test (the CUDA backend against the CPU backend, on every GEMM/convolution path) on the
# GPU machine, which has no Java, no Maven and no network (shared/gpu/GPU.md). Also runs here (no GPU): then the
# GPU tests are skipped with "no CUDA: <reason>".
#
#   here:   /work/shared/gpu/make-jre.sh .gpu                                   # .gpu/jre.tgz + probe.sh (git-ignored)
#           ./mvnw -B -q -o -pl gan-cuda -am package -DskipTests               # gan-cuda/target/{gan-cuda-*.jar,test-lib/}
#           ./mvnw -B -q -o -pl gan-cuda -am test-compile                      # gan-cuda/target/test-classes
#   device: carry [".gpu", "gan-cuda/target/test-lib", "gan-cuda/target/test-classes",
#                  "gan-cuda/target/gan-cuda-0.1.0-SNAPSHOT.jar"]
#           command: bash gan-cuda/gpu/run-cuda-tests.sh          (timeout_s 600)
#
# Outputs ($OUT, default gan-cuda/target/gpu-tests):
#   probe.txt        shared/gpu/probe.sh
#   cuda-libs.txt    the CUDA library folders of site-packages put on LD_LIBRARY_PATH
#   nvidia-smi.txt   the GPU
#   tests.txt        one line per test (PASS|FAIL|SKIP class#test: reason), the backend paths each test used
#                    ("[cuda-test] LIBRARIES: cuda(...; GEMM cuBLAS ...; convolution cuDNN ...)"), the summary
#   tests.rc         0: nothing failed; 1: a test failed
set -u
cd "$(dirname "$0")/../.." || exit 2
root=$PWD
OUT=${OUT:-$root/gan-cuda/target/gpu-tests}
mkdir -p "$OUT"

if [ -f .gpu/jre.tgz ]; then
  [ -x .gpu/jre/bin/java ] || tar xzf .gpu/jre.tgz -C .gpu
  export PATH=$root/.gpu/jre/bin:$PATH
elif ! command -v java >/dev/null 2>&1; then
  echo "no java and no .gpu/jre.tgz: carry .gpu (make-jre.sh)" | tee "$OUT/tests.txt"; exit 2
fi
jar=$(ls gan-cuda/target/gan-cuda-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1)
if [ -z "$jar" ] || [ ! -d gan-cuda/target/test-lib ] || [ ! -d gan-cuda/target/test-classes ]; then
  echo "missing gan-cuda/target/{gan-cuda-*.jar,test-lib,test-classes}: build as the header says and carry them" \
    | tee "$OUT/tests.txt"; exit 2
fi

# CUDA libraries on LD_LIBRARY_PATH (the list goes to $OUT/cuda-libs.txt), as run-cudainfo.sh does
. gan-cuda/gpu/cuda-env.sh   # (the working folder is the repository root by now)
if [ -f .gpu/probe.sh ]; then bash .gpu/probe.sh > "$OUT/probe.txt" 2>&1; fi
nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1 || echo "no nvidia-smi" > "$OUT/nvidia-smi.txt"

# the tests read src/main/cuda/*.cu relative to the module, as under Maven
tmp=$(mktemp -d)
cd gan-cuda || exit 2
timeout 540 java -Djava.io.tmpdir="$tmp" --add-modules=jdk.incubator.vector -Dgan4j.threads=8 \
  -cp "target/test-classes:$root/$jar:target/test-lib/*" io.gan4j.cuda.CudaTestMain > "$OUT/tests.txt" 2>&1
rc=$?
echo "$rc" > "$OUT/tests.rc"
rm -rf "$tmp"
echo "== CUDA library folders"; cat "$OUT/cuda-libs.txt"
echo "== tests (exit $rc)"; cat "$OUT/tests.txt"
exit "$rc"
