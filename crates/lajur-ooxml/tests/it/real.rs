//! The four real SOP files of ../shared/corpus/import (read from there, never
//! copied) import to the SOPs checked by hand in tests/expected.

use lajur_core::locale::{Lang, problem_message};
use lajur_core::sop::{Sop, SopDocument, format};

pub fn shared(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../../shared/corpus/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn expected(name: &str) -> Sop {
    let path = format!("{}/tests/expected/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    let doc = SopDocument::parse(&std::fs::read_to_string(&path).expect("expected"));
    assert!(
        doc.diagnostics.iter().all(|d| !d.problem.is_error()),
        "{path}: {:?}",
        doc.diagnostics
    );
    doc.sop
}

/// An SOP as its content, ids replaced by positions (a file carries no ids),
/// each part on a line so a difference is easy to read.
pub fn content(sop: &Sop) -> Vec<String> {
    let id = &sop.identity;
    let mut out = vec![
        format!("nama {:?}", id.name),
        format!("nomor {:?}", id.number),
        format!("unit {:?} {:?}", id.unit.name, id.unit.parents),
        format!(
            "tanggal {:?} {:?} {:?}",
            id.created, id.revised, id.effective
        ),
        format!(
            "disahkan {:?} {:?} {:?} {:?}",
            id.approver.title_lines, id.approver.name, id.approver.nip, id.approver.sign_at
        ),
        format!("dasar_hukum {:?}", id.legal_basis),
        format!("kualifikasi {:?}", id.qualifications),
        format!("keterkaitan {:?}", id.related),
        format!("peralatan {:?}", id.equipment),
        format!("peringatan {:?}", id.warnings),
        format!("pencatatan {:?}", id.records),
        format!("judul {:?}", sop.headings),
    ];
    let lane = |l: &lajur_core::sop::LaneId| {
        sop.lane(l)
            .map(|l| l.name.clone())
            .unwrap_or_else(|| format!("? {l}"))
    };
    for l in &sop.lanes {
        out.push(format!("pelaksana {:?}", l.name));
    }
    let index = |s: &lajur_core::sop::StepId| sop.step_index(s).map_or(-1, |i| i as i64);
    for (i, s) in sop.steps.iter().enumerate() {
        out.push(format!(
            "langkah {i}: no {:?} sebaris {} {:?} {:?} {:?} label {:?} | {:?} | lanjut {:?} | {:?} {:?} {:?} {:?} | ket {:?}",
            s.number,
            s.same_row,
            s.symbol,
            s.lanes.iter().map(lane).collect::<Vec<_>>(),
            s.lane_mode,
            s.label,
            s.activity,
            s.exits.iter().map(|e| (e.label.clone(), index(&e.target))).collect::<Vec<_>>(),
            s.requirements,
            s.time,
            s.output,
            s.extra,
            s.remarks
        ));
    }
    out
}

pub fn diff(a: &[String], b: &[String]) -> String {
    let mut out = String::new();
    for k in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(k), b.get(k));
        if x != y {
            out.push_str(&format!(
                "- {}\n+ {}\n",
                x.map_or("", String::as_str),
                y.map_or("", String::as_str)
            ));
        }
    }
    out
}

/// Each file against its hand-checked SOP, and the notes the office will be
/// asked to confirm, word for word.
fn check(name: &str, ext: &str, notes: &[&str]) {
    let imported = lajur_ooxml::import(&shared(&format!("{name}.{ext}"))).expect("imports");
    let d = diff(&content(&expected(name)), &content(&imported.sop));
    assert!(d.is_empty(), "{name} (expected -, imported +)\n{d}");
    let mut got: Vec<String> = imported
        .notes
        .iter()
        .map(|n| problem_message(&n.kind, Lang::Id))
        .collect();
    let mut want: Vec<String> = notes.iter().map(|s| s.to_string()).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "{name}: notes");
    assert!(
        imported.notes.iter().all(|n| !n.is_error()),
        "{name}: notes are warnings to confirm"
    );
    // The draft is a valid SOP: what the importer made, the format reads.
    let text = format::write(&imported.sop);
    let again = SopDocument::parse(&text);
    assert!(
        again.diagnostics.iter().all(|d| !d.problem.is_error()),
        "{name}: {:?}",
        again.diagnostics
    );
}

#[test]
fn word_with_shapes_penerbitan_email_resmi() {
    check(
        "dkisp-kaltara-penerbitan-email-resmi",
        "docx",
        &[
            "tabel 2: lajur Kepala Dinas tidak punya simbol di baris mana pun.",
            "tabel 2: lajur Kepala Bidang tidak punya simbol di baris mana pun.",
            "tabel 1, baris 5: baris tanda tangan \"Pembina Tingkat 1 / IV b\" tidak punya tempat di format; tidak dipakai.",
            "tabel 1, baris 5: isian templat belum diisi: ${ttd_pengirim}.",
            "tabel 1, baris 5: isian templat belum diisi: ${nama_pengirim}.",
            "tabel 1, baris 5: isian templat belum diisi: NIP. ${nip_pengirim}.",
            "tabel 1, baris 1: unit kerja dibaca sebagai \"BIDANG APLIKASI INFORMATIKA\" (baris terakhir judul), unit di atasnya dari baris sebelumnya.",
        ],
    );
}

#[test]
fn word_with_marks_pembangunan_aplikasi() {
    check(
        "dkisp-kaltara-pembangunan-aplikasi",
        "docx",
        &[
            "tabel 2: berkas tidak membedakan awal dan akhir; langkah pertama dianggap Mulai dan yang terakhir Selesai.",
            "tabel 2: tidak ada panah; alur mengikuti urutan baris.",
            "tabel 2, baris 6: cabang keputusan tidak digambar; diusulkan Ya ke langkah 5 dan Tidak ke langkah 3.",
            "tabel 1, baris 5: baris tanda tangan \"Pembina Tingkat 1 / IV b\" tidak punya tempat di format; tidak dipakai.",
            "tabel 1, baris 5: isian templat belum diisi: ${ttd_pengirim}.",
            "tabel 1, baris 5: isian templat belum diisi: ${nama_pengirim}.",
            "tabel 1, baris 5: isian templat belum diisi: NIP. ${nip_pengirim}.",
            "tabel 1, baris 1: unit kerja dibaca sebagai \"BIDANG APLIKASI INFORMATIKA\" (baris terakhir judul), unit di atasnya dari baris sebelumnya.",
        ],
    );
}

#[test]
fn word_with_marks_in_three_tables_splp_pendaftaran_endpoint() {
    let decision = "teksnya memilih (\"jika …, jika tidak …\") tetapi ditandai sebagai proses; periksa apakah ini keputusan.";
    check(
        "dkisp-kaltara-splp-pendaftaran-endpoint",
        "docx",
        &[
            "tabel 3: berkas tidak membedakan awal dan akhir; langkah pertama dianggap Mulai dan yang terakhir Selesai.",
            "tabel 3: tidak ada panah; alur mengikuti urutan baris.",
            &format!("tabel 3, baris 4: {decision}"),
            &format!("tabel 3, baris 5: {decision}"),
            &format!("tabel 3, baris 6: {decision}"),
            "tabel 1, baris 5: Nama pengesah kosong; isi sebelum SOP diaktifkan.",
            "tabel 1, baris 1: unit kerja dibaca sebagai \"DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN\" (baris terakhir judul), unit di atasnya dari baris sebelumnya.",
        ],
    );
}

#[test]
fn excel_with_shapes_basarnas_penerimaan_berita() {
    check(
        "basarnas-penerimaan-berita-115",
        "xlsx",
        &[
            "lembar SOP PENERIMAAN BERITA OPR 115, baris 9: bentuk di luar lajur pelaksana (atau tak terlihat) diabaikan.",
            "lembar COVER, baris 3: tanggal \"Oktober 2024\" tidak lengkap atau tidak dipahami; dibiarkan kosong.",
            "lembar COVER, baris 5: tanggal \"Novermber 2024\" tidak lengkap atau tidak dipahami; dibiarkan kosong.",
            "lembar COVER, baris 1: unit kerja dibaca sebagai \"DIREKTORAT KESIAPSIAGAAN\" (baris terakhir judul), unit di atasnya dari baris sebelumnya.",
            "lembar COVER, baris 2: isian templat belum diisi: … Tahun 2024.",
        ],
    );
}
