#!/usr/bin/env bash
# Builds Lajur for 64-bit Windows from Linux, every step, installing what it
# needs (Debian's MinGW and NSIS, Rust's Windows target):
#
#   target/x86_64-pc-windows-gnu/dist/lajur.exe   the program: icon, version
#       information and manifest embedded (build.rs), no console window, LTO,
#       stripped (the dist profile)
#   target/windows/lajur-<version>-setup.exe          per-user installer (NSIS),
#       no administrator rights, Start-menu shortcut, uninstaller that keeps
#       the office's records unless asked
#   target/windows/lajur-<version>-portabel.zip       portable: data beside the exe
#
# Then: packaging/windows/wine-smoke.sh runs them under Wine.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v makensis >/dev/null || need+=(nsis)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
rustup target list --installed | grep -qx x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
cargo build --profile dist --target x86_64-pc-windows-gnu --bin lajur
exe=target/x86_64-pc-windows-gnu/dist/lajur.exe
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
out=target/windows
mkdir -p "$out"

# The installer.
makensis -V2 -DVERSION="$version" -DEXE="$PWD/$exe" \
  -DOUTFILE="$PWD/$out/lajur-$version-setup.exe" packaging/windows/lajur.nsi

# The portable zip: the marker file puts the data beside the exe.
python3 - "$exe" "$out/lajur-$version-portabel.zip" "$version" <<'PY'
import sys, zipfile
exe, dest, version = sys.argv[1:]
folder = f"Lajur-{version}-portabel/"
with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
    z.write(exe, folder + "lajur.exe")
    z.write("packaging/windows/README-windows.txt", folder + "BACA-SAYA.txt")
    z.writestr(folder + "lajur-portable.txt",
        "Berkas ini membuat Lajur menyimpan datanya di folder 'data' di samping lajur.exe.\r\n"
        "This file makes Lajur keep its records in the 'data' folder beside lajur.exe.\r\n")
PY

ls -l "$exe" "$out"/lajur-"$version"-*
