# Sourced by the GPU run scripts (needs $OUT): finds the CUDA libraries and exports LD_LIBRARY_PATH.

# -- CUDA libraries: PyTorch & co. install them as pip wheels under site-packages/nvidia/<pkg>/lib (CUDA 12
#    wheels) or site-packages/nvidia/cu13/lib (CUDA 13 wheels). Every folder there holding a lib*.so* goes on
#    LD_LIBRARY_PATH, so that the linker can find libcublas/libcudnn of whichever major version is installed.
python3 - > "$OUT/cuda-libs.txt" 2>&1 <<'PY'
import glob, os, site, sys
roots = []
try:
    import nvidia  # a namespace package: one entry per site-packages that has one
    roots += list(nvidia.__path__)
except Exception as e:
    print("# import nvidia failed:", e, file=sys.stderr)
for sp in site.getsitepackages() + [site.getusersitepackages()]:
    roots.append(os.path.join(sp, "nvidia"))
seen = set()
for root in roots:
    root = os.path.realpath(root)
    for folder, _, files in sorted(os.walk(root)):
        libs = sorted(f for f in files if f.startswith("lib") and ".so" in f)
        if libs and folder not in seen:
            seen.add(folder)
            print("DIR", folder)
            print("   ", " ".join(libs))
PY
libdirs=$(awk '$1 == "DIR" {print $2}' "$OUT/cuda-libs.txt" | paste -sd: -)
# the toolkit's own libraries (CUDA 13 here) come after the wheels'
[ -d /usr/local/cuda/lib64 ] && libdirs=${libdirs:+$libdirs:}/usr/local/cuda/lib64
export LD_LIBRARY_PATH=${libdirs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH" >> "$OUT/cuda-libs.txt"
