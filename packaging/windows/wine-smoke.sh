#!/usr/bin/env bash
# Runs the Windows build under Wine (Debian's wine64, installed here when
# missing), in a fresh Wine prefix:
#  1. the built lajur.exe: `--version` and `check` on the bundled SOPs; the
#     office server's password in Windows Credential Manager; the office
#     server over TLS (a throwaway local PostgreSQL cluster);
#  2. the installer, silently, as the user: files under the user's
#     LocalAppData\Programs, the Start-menu shortcut, the uninstall entry in
#     HKCU (nothing machine-wide), a manifest asking for no elevation; the
#     installed lajur.exe runs `--version`, `check`, makes the office's records
#     in the user's data folder and prints an SOP as PDF;
#  3. the uninstaller, silently: the program and shortcut go, the records stay;
#  4. the portable zip: the records land in data\ beside the exe.
#
# Debian's Wine 8 lacks bcryptprimitives.dll, which Rust's standard library
# imports (ProcessPrng) on Windows 10 and later. For the smoke test only, a
# one-function stand-in (ProcessPrng over RtlGenRandom) is built with MinGW and
# put in the prefix's system32; real Windows has the genuine DLL.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
exe=target/x86_64-pc-windows-gnu/dist/lajur.exe
setup=target/windows/lajur-$version-setup.exe
portable=target/windows/lajur-$version-portabel.zip
for f in "$exe" "$setup" "$portable"; do
  [ -f "$f" ] || { echo "build first: packaging/windows/build.sh ($f missing)" >&2; exit 1; }
done
if ! [ -x /usr/lib/wine/wine64 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq wine64 >/dev/null
fi
wine=/usr/lib/wine/wine64
server=$(command -v wineserver || echo /usr/lib/wine/wineserver64)
scratch=$(mktemp -d)
pg_stop=true
pg_remove=
cleanup() {
  $pg_stop >/dev/null 2>&1 || true
  [ -z "$pg_remove" ] || rm -rf "$pg_remove"
  "$server" -k >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
export WINEPREFIX="$scratch/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
fail() { echo "wine smoke test FAILED: $*" >&2; exit 1; }

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
"$wine" wineboot --init >/dev/null 2>&1 || true
"$server" -w
cp "$scratch/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
user_dir="$WINEPREFIX/drive_c/users/$(whoami)"
local_app="$user_dir/AppData/Local"
[ -d "$local_app" ] || fail "no LocalAppData in the prefix"

echo "== 1. the built exe"
cp "$exe" "$scratch/lajur.exe"
(cd "$scratch" && "$wine" lajur.exe --version) | tee "$scratch/version.txt"
grep -q "lajur $version" "$scratch/version.txt" || fail "--version"
(cd "$scratch" && "$wine" lajur.exe check) | tee "$scratch/check.txt"
grep -q "Semua SOP dapat dipakai" "$scratch/check.txt" || fail "check"

echo "== 1b. the office server's password in Windows Credential Manager"
# Kept (PGPASSWORD gives it), found, removed: the Windows credential API
# (Wine's advapi32 implements it), never a file.
address=postgresql://lajur_pc@192.168.1.10:5432/lajur
(cd "$scratch" && PGPASSWORD=sandi-uji "$wine" lajur.exe server sandi --database "$address") \
  | tee "$scratch/kept.txt"
grep -q "disimpan di Pengelola Kredensial Windows" "$scratch/kept.txt" || fail "password not kept"
(cd "$scratch" && "$wine" lajur.exe server sandi --database "$address" --periksa) \
  | grep -q "disimpan di Pengelola Kredensial Windows" || fail "kept password not found"
(cd "$scratch" && "$wine" lajur.exe server sandi --database "$address" --hapus) \
  | grep -q "dihapus dari Pengelola Kredensial Windows" || fail "password not removed"
if (cd "$scratch" && "$wine" lajur.exe server sandi --database "$address" --periksa) >/dev/null 2>&1; then
  fail "a removed password is still found"
fi
if grep -rqs "sandi-uji" "$scratch"/*.txt; then fail "the password was printed"; fi

echo "== 1c. the office server over TLS, from the Windows build"
# A throwaway PostgreSQL cluster on 127.0.0.1 with a self-signed certificate,
# as an office's IT person makes one: the Windows build prepares the
# database, tests the connection (TLS through rustls, SCRAM), joins it (the
# certificate is kept) and writes through it. Where PostgreSQL's programs
# are missing this is said and skipped, unless LAJUR_PG_REQUIRED is set.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pgbin" ] || ! [ -x "$pgbin/initdb" ]; then
  [ -z "${LAJUR_PG_REQUIRED:-}" ] || fail "PostgreSQL's server programs are required here"
  echo "dilewati: PostgreSQL's server programs are not installed"
else
  # Its own folder under /tmp: the server's user cannot enter the scratch one.
  pg=$(mktemp -d /tmp/lajur-pg.XXXXXX)
  chmod 755 "$pg"
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  give_pg() { if [ "$(id -u)" = 0 ]; then chown postgres: "$@"; fi; }
  give_pg "$pg"
  echo "super-uji" > "$pg/sandi"
  give_pg "$pg/sandi"
  as_pg "$pgbin/initdb" -D "$pg/data" -U postgres --auth=scram-sha-256 \
    --pwfile="$pg/sandi" -E UTF8 --locale=C >/dev/null
  openssl req -new -x509 -days 30 -nodes -subj "/CN=server-kantor" \
    -keyout "$pg/data/server.key" -out "$pg/data/server.crt" 2>/dev/null
  chmod 600 "$pg/data/server.key"
  give_pg "$pg/data/server.key" "$pg/data/server.crt"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w \
    -o "-p $port -k $pg -c listen_addresses=127.0.0.1 -c ssl=on -c fsync=off" start >/dev/null
  pg_stop="as_pg $pgbin/pg_ctl -D $pg/data -m immediate stop"
  pg_remove="$pg"
  PGPASSWORD=super-uji "$pgbin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE lajur_pemilik LOGIN PASSWORD 'pemilik-uji'" \
    -c "CREATE ROLE lajur_pc LOGIN PASSWORD 'pc-uji'" \
    -c "CREATE DATABASE lajur OWNER lajur_pemilik"
  owner="postgresql://lajur_pemilik@127.0.0.1:$port/lajur"
  pc="postgresql://lajur_pc@127.0.0.1:$port/lajur"
  (cd "$scratch" && PGPASSWORD=pemilik-uji "$wine" lajur.exe server init --database "$owner") \
    | tee "$scratch/init.txt"
  grep -q "disiapkan" "$scratch/init.txt" || fail "server init"
  (cd "$scratch" && PGPASSWORD=pc-uji "$wine" lajur.exe server tes --database "$pc") \
    | tee "$scratch/tes.txt"
  grep -q "Sambungan disandikan (TLS)" "$scratch/tes.txt" || fail "no TLS from the Windows build"
  mkdir -p "$scratch/kantor"
  (cd "$scratch" && PGPASSWORD=pc-uji "$wine" lajur.exe --data 'Z:'"$scratch/kantor" \
    server gabung --database "$pc" --nama-pc pc-wine) | tee "$scratch/gabung.txt"
  grep -q "^tls-sha256 " "$scratch/kantor/server-kantor.txt" || fail "the certificate is not kept"
  (cd "$scratch" && PGPASSWORD=pc-uji LAJUR_NEW_PASSWORD=rahasia-kantor "$wine" lajur.exe \
    --data 'Z:'"$scratch/kantor" user-add --username admin --name "Pak Admin" --jabatan Carik) \
    | tee "$scratch/user-server.txt"
  entries=$(PGPASSWORD=super-uji "$pgbin/psql" -qtA -h 127.0.0.1 -p "$port" -U postgres -d lajur \
    -c "SELECT count(*) FROM journal")
  [ "$entries" -ge 1 ] || fail "nothing was written through the server ($entries entries)"
  if grep -rqs "pc-uji\|pemilik-uji" "$scratch"/*.txt "$scratch/kantor/server-kantor.txt"; then
    fail "a server password was printed or kept in the data folder"
  fi
  echo "the Windows build wrote $entries journal entries through the server over TLS"
fi

echo "== 2. the installer, for this user only"
# The installer's own manifest asks for no elevation.
python3 - "$setup" <<'PY' || fail "the installer asks for elevation"
import sys
data = open(sys.argv[1], "rb").read()
assert b'level="asInvoker"' in data and b"requireAdministrator" not in data
PY
cp "$setup" "$scratch/setup.exe"
(cd "$scratch" && "$wine" setup.exe /S)
"$server" -w
installed="$local_app/Programs/Lajur"
[ -f "$installed/lajur.exe" ] || fail "lajur.exe not in LocalAppData\\Programs\\Lajur"
[ -f "$installed/uninstall.exe" ] || fail "no uninstaller"
[ -f "$installed/BACA-SAYA.txt" ] || fail "no read-me"
start_menu="$user_dir/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Lajur"
[ -f "$start_menu/Lajur.lnk" ] || fail "no Start-menu shortcut"
"$wine" reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Lajur' /v DisplayName \
  | tee "$scratch/reg.txt"
grep -q Lajur "$scratch/reg.txt" || fail "no uninstall entry in HKCU"
if "$wine" reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Lajur' >/dev/null 2>&1; then
  fail "a machine-wide (HKLM) entry was written"
fi
cd "$installed"
"$wine" lajur.exe --version | grep -q "lajur $version" || fail "installed --version"
"$wine" lajur.exe check | grep -q "Semua SOP dapat dipakai" || fail "installed check"
LAJUR_NEW_PASSWORD=rahasia-kantor "$wine" lajur.exe user-add --username admin \
  --name "Pak Admin" --jabatan Carik | tee "$scratch/user.txt"
records="$local_app/Lajur/Lajur/data"
[ -f "$records/lajur.db" ] || fail "the records are not in the user's data folder"
cp "$root/sops/bunder-penyebarluasan-informasi-medsos.toml" "$scratch/bunder.toml"
"$wine" lajur.exe export sop 'Z:'"$scratch/bunder.toml" -o 'Z:'"$scratch/bunder.pdf"
head -c 5 "$scratch/bunder.pdf" | grep -q "%PDF-" || fail "no PDF from the installed exe"
cd "$root"

echo "== 3. the uninstaller keeps the office's records"
"$wine" "$installed/uninstall.exe" /S
"$server" -w
sleep 1
"$server" -w
[ ! -f "$installed/lajur.exe" ] || fail "lajur.exe still installed"
[ ! -f "$start_menu/Lajur.lnk" ] || fail "Start-menu shortcut left behind"
[ -f "$records/lajur.db" ] || fail "the uninstaller deleted the records"
if "$wine" reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Lajur' >/dev/null 2>&1; then
  fail "uninstall entry left behind"
fi

echo "== 4. the portable zip keeps its data beside the exe"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
  "$portable" "$scratch/usb"
cd "$scratch/usb/Lajur-$version-portabel"
LAJUR_NEW_PASSWORD=rahasia-kantor "$wine" lajur.exe user-add --username admin \
  --name "Pak Admin" --jabatan Carik >/dev/null
[ -f data/lajur.db ] || fail "portable records are not beside the exe"
cd "$root"

echo "wine smoke test: ok"
