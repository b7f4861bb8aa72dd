#!/usr/bin/env bash
# Builds lajur.exe for 64-bit Windows from Linux with MinGW (Debian's
# gcc-mingw-w64-x86-64), installing what it needs. Output:
# target/x86_64-pc-windows-gnu/release/lajur.exe
#
# Not yet done here (issue 9): icon, version resource and manifest, hiding the
# console in release, size-tuned profile, installer.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq gcc-mingw-w64-x86-64 >/dev/null
fi
rustup target list --installed | grep -qx x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
cargo build --release --target x86_64-pc-windows-gnu
ls -l target/x86_64-pc-windows-gnu/release/lajur.exe
