#!/usr/bin/env bash
# Runs the Windows build under Wine: `lajur.exe --version` and `lajur.exe check`
# on the bundled SOPs must both succeed.
#
# Debian's Wine 8 lacks bcryptprimitives.dll, which Rust's standard library
# imports (ProcessPrng) on Windows 10 and later. For the smoke test only, a
# one-function stand-in (ProcessPrng over RtlGenRandom) is built with MinGW and
# put beside the exe in a scratch folder; real Windows has the genuine DLL.
set -euo pipefail
cd "$(dirname "$0")/../.."
exe=target/x86_64-pc-windows-gnu/release/lajur.exe
[ -f "$exe" ] || { echo "build first: packaging/windows/build.sh" >&2; exit 1; }
if ! [ -x /usr/lib/wine/wine64 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq wine64 >/dev/null
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cat > "$scratch/bcryptprimitives.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
C
x86_64-w64-mingw32-gcc -shared -O2 -o "$scratch/bcryptprimitives.dll" "$scratch/bcryptprimitives.c" -ladvapi32
cp "$exe" "$scratch/lajur.exe"
cp -r sops "$scratch/sops"
export WINEPREFIX="$scratch/prefix" WINEDEBUG=-all
cd "$scratch"
/usr/lib/wine/wine64 wineboot --init >/dev/null 2>&1 || true
/usr/lib/wine/wine64 lajur.exe --version
/usr/lib/wine/wine64 lajur.exe check
echo "wine smoke test: ok"
