#!/usr/bin/env bash
# Prints the hottest loop of the last C2 compilation of the GEMM micro-kernel, as x86 assembly.
# On this machine -XX:CompileCommand=print writes C2's code as hex (Debian's libhsdis0-fcml does not decode it
# here), so this script decodes the hex with objdump and picks the backward jump whose loop holds most FMAs.
# Usage (the log of any run that compiles the kernel, e.g. GemmLoop):
#   java --add-modules=jdk.incubator.vector -XX:+UnlockDiagnosticVMOptions \
#     -XX:CompileCommand=print,io.gan4j.core.backend.cpu.VectorGemmKernel::tile \
#     -cp /tmp/gl:gan-core/target/classes GemmLoop 1 1024 4 > /tmp/asm.txt
#   docs/bench/calibration/c2-loop.sh /tmp/asm.txt
set -euo pipefail
log=${1:?usage: c2-loop.sh LOG}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(grep -n "Compiled method (c2).*::tile (" "$log" | tail -1 | cut -d: -f1)
[ -n "$start" ] || { echo "c2-loop.sh: no C2 compilation of tile in $log" >&2; exit 1; }
tail -n +"$start" "$log" | python3 -c '
import re, sys
on, out = False, ""
for line in sys.stdin:
    if "Verified Entry Point" in line:
        on = True
        continue
    if not on:
        continue
    m = re.match(r"\s+0x[0-9a-f]+: ((?:[0-9a-f]{2,8}\s*\|?\s*)+)$", line)
    if m:
        out += re.sub(r"[\s|]", "", m.group(1))
    if "poll_return" in line:
        break
open(sys.argv[1], "wb").write(bytes.fromhex(out))
' "$work/code.bin"
objdump -D -b binary -mi386:x86-64 "$work/code.bin" | grep -P "^\s+[0-9a-f]+:" > "$work/code.dis"
python3 - "$work/code.dis" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
addr = [int(l.split(":")[0], 16) for l in lines]
best = None
for i, l in enumerate(lines):
    m = re.search(r"\tj\w+\s+0x([0-9a-f]+)", l)
    if m and int(m.group(1), 16) < addr[i] and int(m.group(1), 16) in addr:
        j = addr.index(int(m.group(1), 16))
        fmas = sum("vfmadd" in x for x in lines[j:i + 1])
        if best is None or fmas > best[0]:
            best = (fmas, j, i)
if best is None:
    sys.exit("c2-loop.sh: no loop found")
fmas, j, i = best
for l in lines[j:i + 1]:
    print(l.split("\t")[-1])
print(f"{i - j + 1} instructions, {fmas} FMAs per iteration")
PY
