#!/usr/bin/env bash
# Runs the GPU probe and CudaInfo on the device machine and writes everything under $OUT.
#
# The device machine has no Java, no Maven and no network (shared/gpu/GPU.md), so everything travels:
#   here:   /work/shared/gpu/make-jre.sh .gpu              # .gpu/jre.tgz + probe.sh (.gpu/ is git-ignored)
#           mvn -B -q -pl gan-cuda -am package -DskipTests  # gan-cuda/target/{gan-cuda-*.jar,lib/}
#   device: carry [".gpu", "gan-cuda/target/lib", "gan-cuda/target/gan-cuda-0.1.0-SNAPSHOT.jar"]
#           command: bash gan-cuda/gpu/run-cudainfo.sh
# It also runs without a GPU (then CudaInfo says "no CUDA: ..."), which is how it is tested here.
#
# Outputs ($OUT, default gan-cuda/target/gpu-out):
#   probe.txt           shared/gpu/probe.sh: GPU, driver, which libcu*.so.N exist where, torch's CUDA/cuDNN
#   cuda-libs.txt       the CUDA library folders found in Python's site-packages, with the files in each
#   java.txt            the java that ran
#   ldd.txt             what the dynamic linker resolves for JCuda's JNI libraries with that LD_LIBRARY_PATH
#   cudainfo.txt        CudaInfo's report (PASS|FAIL|SKIP lines, or "no CUDA: <reason>")
#   cudainfo.rc         its exit code: 0 all passed or no CUDA, 1 a GPU is there and a check failed
set -u
cd "$(dirname "$0")/../.." || exit 2
OUT=${OUT:-$PWD/gan-cuda/target/gpu-out}   # the device tool sets OUT; locally it stays in target/
mkdir -p "$OUT"

# -- Java: the carried runtime (the device machine has none; GPU.md), else whatever java is on PATH
if [ -f .gpu/jre.tgz ]; then
  [ -x .gpu/jre/bin/java ] || tar xzf .gpu/jre.tgz -C .gpu
  export PATH=$PWD/.gpu/jre/bin:$PATH
elif ! command -v java >/dev/null 2>&1; then
  echo "no java and no .gpu/jre.tgz: carry .gpu (make-jre.sh)" | tee "$OUT/cudainfo.txt"
  exit 2
fi
java -version > "$OUT/java.txt" 2>&1

# -- the jars: the module jar and its runtime dependencies (copy-dependencies at package)
jar=$(ls gan-cuda/target/gan-cuda-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1)
if [ -z "$jar" ] || [ ! -d gan-cuda/target/lib ]; then
  echo "missing gan-cuda/target/gan-cuda-*.jar or gan-cuda/target/lib: build with 'mvn -pl gan-cuda -am package' and carry both" \
    | tee "$OUT/cudainfo.txt"
  exit 2
fi

# -- CUDA libraries on LD_LIBRARY_PATH (the list goes to $OUT/cuda-libs.txt)
. gan-cuda/gpu/cuda-env.sh   # (the working folder is the repository root by now)

# -- the probe (what exists on this machine, regardless of our LD_LIBRARY_PATH)
if [ -f .gpu/probe.sh ]; then bash .gpu/probe.sh > "$OUT/probe.txt" 2>&1; else echo "no .gpu/probe.sh: carry .gpu" > "$OUT/probe.txt"; fi

# -- what the linker makes of JCuda's JNI libraries, before Java tries: each needed library and where it
#    resolves; where all resolve, `ldd -r` also checks the versioned symbols (a libcublas.so.12 that is really
#    another version would show "undefined symbol: ..., version libcublas.so.12").
jni=$(mktemp -d)
python3 - "$jni" gan-cuda/target/lib/*natives*linux-x86_64.jar > "$OUT/ldd.txt" 2>&1 <<'PY'
import sys, zipfile
out = sys.argv[1]
for jar in sys.argv[2:]:
    with zipfile.ZipFile(jar) as z:
        for name in z.namelist():
            if name.endswith(".so") and "PTXCompiler" not in name:  # 24 MB, and needs nothing from CUDA
                z.extract(name, out)
PY
for so in "$jni"/lib/*.so; do
  {
    echo "== $(basename "$so")"
    ldd "$so" 2>&1 | grep -v -e 'linux-vdso' -e 'ld-linux' -e 'libc\.so' -e 'libm\.so' -e 'libgcc_s' -e 'libstdc++' \
      -e 'libpthread' -e 'librt\.so' -e 'libdl\.so'
    if ! ldd "$so" 2>&1 | grep -q 'not found'; then
      undefined=$(ldd -r "$so" 2>&1 | grep '^undefined symbol')
      echo "   undefined symbols: $(printf '%s' "$undefined" | grep -c .)"
      [ -n "$undefined" ] && printf '%s\n' "$undefined" | head -3 | sed 's/^/   /'
    fi
  } >> "$OUT/ldd.txt"
done

# -- CudaInfo. A fresh java.io.tmpdir: JCuda extracts its JNI libraries there and reuses a same-named file.
tmp=$(mktemp -d)
timeout 300 java -Djava.io.tmpdir="$tmp" -cp "$jar:gan-cuda/target/lib/*" io.gan4j.cuda.CudaInfo > "$OUT/cudainfo.txt" 2>&1
rc=$?
echo "$rc" > "$OUT/cudainfo.rc"
rm -rf "$tmp" "$jni"

echo "== probe";    cat "$OUT/probe.txt"
echo "== CUDA library folders"; cat "$OUT/cuda-libs.txt"
echo "== ldd";      cat "$OUT/ldd.txt"
echo "== CudaInfo (exit $rc)"; cat "$OUT/cudainfo.txt"
exit "$rc"
