//! On Windows targets only: embeds the icon, the version information and the
//! application manifest (DPI awareness, common controls v6, no elevation) in
//! lajur.exe. Other targets build nothing here.

// A build script that cannot do its job stops the build: that is what its
// expect()s are for.
#![allow(clippy::expect_used)]

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=../../packaging/windows/lajur.manifest");
    println!("cargo:rerun-if-changed=../../assets/icons/lajur.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    // "0.1.0" → 0,1,0,0 for the binary version fields.
    let mut numbers: Vec<u16> = version
        .split(['.', '-', '+'])
        .take(3)
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    numbers.resize(4, 0);
    let comma = numbers
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let path = |p: &str| {
        Path::new(&root)
            .join(p)
            .display()
            .to_string()
            .replace('\\', "\\\\")
    };
    let rc = format!(
        r#"#pragma code_page(65001)
1 ICON "{icon}"
1 24 "{manifest}"
1 VERSIONINFO
FILEVERSION {comma}
PRODUCTVERSION {comma}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "042104B0"
    BEGIN
      VALUE "CompanyName", "Lajur"
      VALUE "FileDescription", "Lajur: SOP AP dan catatan kegiatan kantor"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "lajur"
      VALUE "LegalCopyright", "MIT OR Apache-2.0"
      VALUE "OriginalFilename", "lajur.exe"
      VALUE "ProductName", "Lajur"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x0421, 1200
  END
END
"#,
        icon = path("../../assets/icons/lajur.ico"),
        manifest = path("../../packaging/windows/lajur.manifest"),
    );
    let rc_path = Path::new(&out).join("lajur.rc");
    std::fs::write(&rc_path, rc).expect("OUT_DIR is writable");
    embed_resource::compile(&rc_path, embed_resource::NONE)
        .manifest_required()
        .expect("the Windows resources (icon, version, manifest) compile");
}
