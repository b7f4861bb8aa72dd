//! The command line: `lajur` opens the window, `lajur check` validates SOP files,
//! `lajur export` prints, and the record commands (see `records`) run work.

mod import;
mod output;
pub mod records;
mod server;

use crate::exports::SopFormat;
use output::say;
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_core::office::Letterhead;
use lajur_core::sop::source::LoadedSop;
use lajur_layout::{Orientation, PageSettings, Paper};
use lajur_records::library::{self, SopSource};

#[derive(Debug, Parser)]
#[command(
    name = "lajur",
    version,
    about = "Lajur: SOP AP sebagai diagram alir swimlane, untuk kantor kalurahan/desa dan kecamatan.",
    long_about = None
)]
pub struct Cli {
    /// Bahasa tampilan / display language: id (Bahasa Indonesia) atau en (English).
    /// Bila tidak diberikan: Bahasa Indonesia (di jendela: bahasa yang terakhir dipilih).
    #[arg(long = "lang", global = true, value_parser = parse_lang)]
    pub lang_arg: Option<Lang>,

    /// Folder berkas SOP (.toml). Bawaan: ./sops bila ada, selain itu SOP bawaan program.
    #[arg(long, global = true, value_name = "FOLDER")]
    pub sops: Option<PathBuf>,

    /// Folder data (basis data, lampiran, cadangan). Bawaan: folder data pengguna, atau di samping program dalam mode portabel.
    #[arg(long, global = true, value_name = "FOLDER")]
    pub data: Option<PathBuf>,

    /// Keluaran JSON untuk mesin.
    #[arg(long, global = true)]
    pub json: bool,

    /// Cara menggambar jendela: auto (bawaan: yang berhasil terakhir kali, selain itu wgpu lalu
    /// OpenGL), glow (OpenGL; untuk driver lama) atau wgpu (Direct3D/Vulkan, juga tanpa GPU).
    #[arg(long, value_parser = parse_renderer, default_value = "auto", value_name = "auto|glow|wgpu")]
    pub renderer: crate::ui::RendererChoice,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Periksa berkas SOP dan laporkan setiap masalah (keluar dengan kode 1 bila ada kesalahan).
    Check {
        /// Berkas SOP yang diperiksa. Tanpa berkas: semua SOP di folder SOP.
        files: Vec<PathBuf>,
        /// Periksa juga tata letak cetaknya: setiap cacat tabel dicetak sebagai
        /// `berkas:halaman: jenis: tempat`. Tanpa --paper/--orientation: A4 dan F4,
        /// mendatar dan tegak.
        #[arg(long)]
        layout: bool,
        /// Kertas yang diperiksa: f4 atau a4. Tanpa --layout bawaannya kertas kantor.
        #[arg(long, value_parser = parse_paper)]
        paper: Option<Paper>,
        /// Arah kertas yang diperiksa: landscape (mendatar) atau portrait (tegak).
        #[arg(long, value_parser = parse_orientation)]
        orientation: Option<Orientation>,
    },
    /// Impor SOP dari Word (.docx), Excel (.xlsx) atau berkas SOP Lajur (.toml).
    /// Dengan --output: satu berkas TOML per SOP di folder itu, catatan kegiatan
    /// tidak disentuh. Tanpa --output: setiap SOP menjadi draf di Daftar SOP
    /// (perlu --as), tidak pernah langsung berlaku. Yang tidak pasti dicetak
    /// sebagai catatan bertempat (tabel, baris).
    Import {
        /// Berkas yang diimpor.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Folder tempat berkas TOML ditulis (dibuat bila belum ada).
        #[arg(short = 'o', long = "output", value_name = "FOLDER")]
        output: Option<PathBuf>,
        /// Pengguna yang mengimpor ke Daftar SOP (kata sandi dari LAJUR_PASSWORD).
        #[arg(long = "as")]
        actor: Option<String>,
    },
    #[command(flatten)]
    Records(records::RecordCommand),
    /// Server kantor (PostgreSQL): siapkan basis datanya, tes sambungan.
    Server {
        #[command(subcommand)]
        what: server::ServerCommand,
    },
    /// Ekspor dokumen ke PDF, atau SOP ke Word.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Dokumen SOP AP lengkap (halaman identitas, diagram alir, pengesahan) sebagai PDF.
    Sop {
        /// Berkas SOP (.toml).
        file: PathBuf,
        /// Berkas PDF yang dibuat.
        #[arg(short = 'o', long = "output", value_name = "PDF")]
        output: PathBuf,
        /// Ukuran kertas: f4 (215 × 330 mm) atau a4. Bawaan: kertas kantor di Pengaturan kantor (atau F4).
        #[arg(long, value_parser = parse_paper)]
        paper: Option<Paper>,
        /// Arah kertas: landscape (mendatar) atau portrait (tegak).
        #[arg(long, value_parser = parse_orientation, default_value = "landscape")]
        orientation: Orientation,
    },
    /// Dokumen SOP AP sebagai Word (.docx): tabel identitas dan tabel diagram alir
    /// dengan simbol dan panah sebagai bentuk Word, kertas dan arahnya resmi.
    Docx {
        /// Berkas SOP (.toml).
        file: PathBuf,
        /// Berkas Word yang dibuat.
        #[arg(short = 'o', long = "output", value_name = "DOCX")]
        output: PathBuf,
        /// Ukuran kertas: f4 atau a4. Bawaan: kertas kantor (atau F4).
        #[arg(long, value_parser = parse_paper)]
        paper: Option<Paper>,
        /// Arah kertas: landscape (mendatar) atau portrait (tegak).
        #[arg(long, value_parser = parse_orientation, default_value = "landscape")]
        orientation: Orientation,
    },
    /// Register kegiatan (laporan log) untuk satu periode, PDF. Disegel bila
    /// pengekspor penandatangan (kata sandi dari LAJUR_PASSWORD).
    Log {
        /// Tanggal awal (31-12-2024 atau 2024-12-31), menurut tanggal mulai kegiatan.
        #[arg(long, value_parser = parse_date_arg)]
        from: Option<chrono::NaiveDate>,
        /// Tanggal akhir.
        #[arg(long, value_parser = parse_date_arg)]
        to: Option<chrono::NaiveDate>,
        /// Hanya SOP dengan nama ini.
        #[arg(long)]
        sop: Option<String>,
        /// Hanya kegiatan yang dimulai atau dikerjakan pengguna ini (nama pengguna).
        #[arg(long)]
        user: Option<String>,
        /// Satu baris per kegiatan atau per tindakan.
        #[arg(long, value_parser = ["kegiatan", "tindakan"], default_value = "kegiatan")]
        per: String,
        #[arg(short = 'o', long = "output", value_name = "PDF")]
        output: PathBuf,
        /// Ukuran kertas: f4 atau a4. Bawaan: kertas kantor (atau F4).
        #[arg(long, value_parser = parse_paper)]
        paper: Option<Paper>,
        #[arg(long, value_parser = parse_orientation, default_value = "landscape")]
        orientation: Orientation,
        /// Pengguna yang mengekspor (dicatat di log).
        #[arg(long = "as")]
        actor: String,
    },
    /// Lembar pelaksanaan SOP satu kegiatan yang sudah disahkan (kata sandi dari LAJUR_PASSWORD).
    /// Tidak pernah menimpa berkas yang sudah ada.
    Kegiatan {
        /// Nomor kegiatan.
        id: i64,
        #[arg(short = 'o', long = "output", value_name = "PDF")]
        output: PathBuf,
        /// Ukuran kertas: f4 atau a4. Bawaan: kertas kantor (atau F4).
        #[arg(long, value_parser = parse_paper)]
        paper: Option<Paper>,
        #[arg(long, value_parser = parse_orientation, default_value = "landscape")]
        orientation: Orientation,
        /// Pengguna yang mengekspor (dicatat di log).
        #[arg(long = "as")]
        actor: String,
    },
}

fn parse_paper(s: &str) -> Result<Paper, String> {
    match s.trim().to_lowercase().as_str() {
        "a4" => Ok(Paper::A4),
        "f4" | "folio" => Ok(Paper::F4),
        _ => Err(arg_error(Text::CliUnknownPaper, s)),
    }
}

fn parse_orientation(s: &str) -> Result<Orientation, String> {
    match s.trim().to_lowercase().as_str() {
        "landscape" | "mendatar" => Ok(Orientation::Landscape),
        "portrait" | "tegak" => Ok(Orientation::Portrait),
        _ => Err(arg_error(Text::CliUnknownOrientation, s)),
    }
}

impl Cli {
    pub fn lang(&self) -> Lang {
        self.lang_arg.unwrap_or_default()
    }
}

/// The page settings a command's --paper and --orientation ask for; without
/// --paper, the office's paper.
fn paper_settings(
    paper: Option<Paper>,
    orientation: Orientation,
    letterhead: &Letterhead,
) -> PageSettings {
    PageSettings {
        paper: paper
            .or(letterhead.office.as_ref().map(|o| o.paper))
            .unwrap_or_default(),
        orientation,
        ..PageSettings::default()
    }
}

/// The office's letterhead from the records in `data`, when there are records
/// (a command run before the window's first start prints without one). A
/// record that cannot be read is said, and printing goes on without it.
fn letterhead_from(data: &std::path::Path, lang: Lang, out: &mut impl Write) -> Letterhead {
    if !data.join(lajur_records::Store::DB_FILE).is_file() {
        return Letterhead::default();
    }
    match lajur_records::Store::open_with(data, lajur_records::Access::Shared) {
        Ok(store) => store
            .letterhead_for_printing()
            .unwrap_or_else(|_| store.office().letterhead()),
        Err(e) => {
            say(
                out,
                format_args!(
                    "{}: {}",
                    Text::OfficeSettingsUnread.get(lang),
                    e.message(lang)
                ),
            );
            Letterhead::default()
        }
    }
}

fn parse_date_arg(s: &str) -> Result<chrono::NaiveDate, String> {
    i18n::parse_date(s).ok_or_else(|| arg_error(Text::CliUnknownDate, s))
}

fn parse_renderer(s: &str) -> Result<crate::ui::RendererChoice, String> {
    crate::ui::RendererChoice::from_code(s).ok_or_else(|| arg_error(Text::CliUnknownRenderer, s))
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_code(s).ok_or_else(|| arg_error(Text::CliUnknownLanguage, s))
}

/// Runs the program with these arguments; returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version land here too, with exit code 0.
            // A terminal that went away cannot be told either.
            e.print().unwrap_or_default();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let source = match &cli.sops {
        Some(dir) => SopSource::Folder(dir.clone()),
        // Relative to the working folder, so messages show "sops/…" as typed.
        None => SopSource::default_for(std::path::Path::new("")),
    };
    let (lang, explicit_lang) = (cli.lang(), cli.lang_arg.is_some());
    if cli.command.is_some() && !matches!(cli.command, Some(Command::Check { .. })) {
        // Commands on the records log and report a panic like the window does.
        let data = records::data_dir(cli.data.as_deref());
        if data.is_dir() {
            if let Err(e) = lajur_records::reports::FileLog::install(&data) {
                say(
                    &mut std::io::stderr(),
                    format_args!("log: {}: {e}", data.display()),
                );
            }
            lajur_records::reports::install_panic_reports(&data);
        }
        // How the crash report is tested in a real process (tests/office.rs);
        // an office has no reason to set it.
        #[allow(clippy::panic)] // The test's own, deliberate crash.
        if std::env::var_os("LAJUR_TEST_PANIC").is_some() {
            panic!("uji laporan kesalahan (LAJUR_TEST_PANIC)");
        }
    }
    match cli.command {
        None => crate::ui::run_window(
            lang,
            explicit_lang,
            source,
            records::data_dir(cli.data.as_deref()),
            cli.renderer,
        ),
        Some(Command::Check {
            files,
            layout,
            paper,
            orientation,
        }) => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let letterhead =
                letterhead_from(&records::data_dir(cli.data.as_deref()), lang, &mut out);
            // Plain `check` tries the paper `export sop` would print on; with
            // --layout, every paper unless one is named.
            let papers: Vec<(Paper, Orientation)> = if layout {
                crate::layout_report::every_paper()
                    .into_iter()
                    .filter(|(p, o)| {
                        paper.is_none_or(|x| x == *p) && orientation.is_none_or(|x| x == *o)
                    })
                    .collect()
            } else {
                let settings = paper_settings(paper, orientation.unwrap_or_default(), &letterhead);
                vec![(settings.paper, settings.orientation)]
            };
            let printing = Printing {
                papers,
                faults: layout,
                letterhead,
            };
            check(&files, &source, lang, Some(&printing), &mut out)
        }
        Some(Command::Import {
            files,
            output,
            actor,
        }) => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let data = records::data_dir(cli.data.as_deref());
            import::run(
                &import::ImportRequest {
                    files: &files,
                    output: output.as_deref(),
                    actor: actor.as_deref(),
                    data: &data,
                    lang,
                },
                &mut out,
            )
        }
        Some(Command::Server { what }) => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            server::run(
                what,
                &records::data_dir(cli.data.as_deref()),
                lang,
                &mut out,
            )
        }
        Some(Command::Records(command)) => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let mut ctx = records::Context {
                data: records::data_dir(cli.data.as_deref()),
                lang,
                json: cli.json,
                out: &mut out,
                sops: &source,
            };
            records::run(command, &mut ctx)
        }
        Some(Command::Export {
            what:
                ExportCommand::Sop {
                    file,
                    output,
                    paper,
                    orientation,
                },
        }) => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let letterhead =
                letterhead_from(&records::data_dir(cli.data.as_deref()), lang, &mut out);
            let settings = paper_settings(paper, orientation, &letterhead);
            export_sop_as(
                SopFormat::Pdf,
                &file,
                &output,
                &settings,
                &letterhead,
                lang,
                &mut out,
            )
        }
        Some(Command::Export {
            what:
                ExportCommand::Docx {
                    file,
                    output,
                    paper,
                    orientation,
                },
        }) => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let letterhead =
                letterhead_from(&records::data_dir(cli.data.as_deref()), lang, &mut out);
            let settings = paper_settings(paper, orientation, &letterhead);
            export_sop_as(
                SopFormat::Word,
                &file,
                &output,
                &settings,
                &letterhead,
                lang,
                &mut out,
            )
        }
        Some(Command::Export {
            what:
                ExportCommand::Kegiatan {
                    id,
                    output,
                    paper,
                    orientation,
                    actor,
                },
        }) => {
            let data = records::data_dir(cli.data.as_deref());
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let settings =
                paper_settings(paper, orientation, &letterhead_from(&data, lang, &mut out));
            records::export_kegiatan(&data, id, &output, &settings, &actor, lang, &mut out)
        }
        Some(Command::Export {
            what:
                ExportCommand::Log {
                    from,
                    to,
                    sop,
                    user,
                    per,
                    output,
                    paper,
                    orientation,
                    actor,
                },
        }) => {
            let data = records::data_dir(cli.data.as_deref());
            let settings = paper_settings(
                paper,
                orientation,
                &letterhead_from(&data, lang, &mut std::io::stdout()),
            );
            let request = records::RegisterRequest {
                from,
                to,
                sop,
                user,
                per_action: per == "tindakan",
            };
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            records::export_register(&data, &request, &output, &settings, &actor, lang, &mut out)
        }
    }
}

/// `lajur export sop` and `lajur export docx`: refuses an SOP with errors
/// (listing them), else writes the document.
pub fn export_sop_as(
    format: SopFormat,
    file: &std::path::Path,
    output: &std::path::Path,
    settings: &PageSettings,
    letterhead: &Letterhead,
    lang: Lang,
    out: &mut impl Write,
) -> ExitCode {
    let loaded = library::load_file(file);
    let refused = |out: &mut dyn Write| {
        // Output that cannot be written (a closed pipe) has no one to tell.
        write_report(std::slice::from_ref(&loaded), &[], lang, out).unwrap_or_default();
        say(
            out,
            format_args!("{}", Text::ExportRefusedInvalid.get(lang)),
        );
        ExitCode::FAILURE
    };
    let doc = match &loaded.document {
        Ok(doc) => doc,
        Err(_) => return refused(out),
    };
    let saved = crate::exports::save_sop(format, doc, settings, letterhead, output);
    match saved {
        Ok(bytes) => {
            say(
                out,
                format_args!(
                    "{}: {} ({} KB)",
                    output.display(),
                    Text::ExportDone.get(lang),
                    bytes.div_ceil(1024)
                ),
            );
            ExitCode::SUCCESS
        }
        Err(lajur_paper::ExportError::SopHasErrors) => refused(out),
        Err(e) => {
            say(
                out,
                format_args!("{}: {}", output.display(), e.message(lang)),
            );
            ExitCode::FAILURE
        }
    }
}

/// How `lajur check` judges the printed document besides the file: on which
/// papers, and whether it lists the table's faults or only says when the
/// table cannot be printed at all.
pub struct Printing {
    pub papers: Vec<(Paper, Orientation)>,
    pub faults: bool,
    pub letterhead: Letterhead,
}

/// `lajur check`: prints one line per problem, like a compiler, then a summary.
pub fn check(
    files: &[PathBuf],
    source: &SopSource,
    lang: Lang,
    printing: Option<&Printing>,
    out: &mut impl Write,
) -> ExitCode {
    let loaded: Vec<LoadedSop> = if files.is_empty() {
        match source.load() {
            Ok(sops) => sops,
            Err(failure) => {
                let name = match source {
                    SopSource::Folder(dir) => dir.display().to_string(),
                    SopSource::Bundled => Text::BundledSops.get(lang).to_string(),
                };
                say(
                    out,
                    format_args!("{name}: {}", i18n::read_failure_message(&failure, lang)),
                );
                return ExitCode::FAILURE;
            }
        }
    } else {
        files.iter().map(|f| library::load_file(f)).collect()
    };
    // The printed document of every SOP that has no errors, on each paper.
    let reports: Vec<Vec<crate::layout_report::LayoutReport>> = loaded
        .iter()
        .map(|l| {
            match (
                printing,
                l.document.as_ref().ok().and_then(|d| d.valid_sop()),
            ) {
                (Some(p), Some(sop)) => p
                    .papers
                    .iter()
                    .map(|(paper, orientation)| {
                        let settings = PageSettings {
                            paper: *paper,
                            orientation: *orientation,
                            ..PageSettings::default()
                        };
                        let mut report = crate::layout_report::judge(sop, &settings, &p.letterhead);
                        if !p.faults {
                            report.faults.clear();
                        }
                        report
                    })
                    .collect(),
                _ => Vec::new(),
            }
        })
        .collect();
    // Output that cannot be written (a closed pipe) has no one to tell.
    write_report(&loaded, &reports, lang, out).unwrap_or_default();
    let printable = reports.iter().flatten().all(|r| r.is_clean());
    if loaded.is_empty() || loaded.iter().any(LoadedSop::has_errors) || !printable {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn write_report(
    loaded: &[LoadedSop],
    reports: &[Vec<crate::layout_report::LayoutReport>],
    lang: Lang,
    out: &mut (impl Write + ?Sized),
) -> std::io::Result<()> {
    let error = i18n::severity_word(lajur_core::sop::Severity::Error, lang);
    for (k, sop) in loaded.iter().enumerate() {
        let name = sop.origin.display_name();
        let judged = reports.get(k).map(Vec::as_slice).unwrap_or_default();
        let printed_clean = judged.iter().all(|r| r.is_clean());
        match &sop.document {
            Err(failure) => {
                writeln!(
                    out,
                    "{name}: {error}: {}",
                    i18n::read_failure_message(failure, lang)
                )?;
            }
            Ok(doc) if doc.diagnostics.is_empty() && printed_clean => {
                writeln!(out, "{name}: {}", Text::StatusValid.get(lang))?;
            }
            Ok(doc) => {
                for d in &doc.diagnostics {
                    writeln!(
                        out,
                        "{name}:{}:{}: {}: {}",
                        d.location.line,
                        d.location.column,
                        i18n::severity_word(d.problem.severity, lang),
                        i18n::problem_message(&d.problem.kind, lang)
                    )?;
                }
                let Some(sop_value) = doc.valid_sop() else {
                    continue;
                };
                for report in judged {
                    for fit in &report.fit {
                        writeln!(
                            out,
                            "{name}: {error}: {}",
                            crate::layout_report::fit_line(fit, lang)
                        )?;
                    }
                    for fault in &report.faults {
                        writeln!(
                            out,
                            "{name}:{}: {}: {}",
                            fault.page + 1,
                            crate::layout_report::kind_name(fault.kind, lang),
                            crate::layout_report::fault_place(
                                fault,
                                sop_value,
                                &report.settings,
                                lang
                            )
                        )?;
                    }
                }
            }
        }
    }
    let summary = if loaded.is_empty() {
        Text::CheckNoFiles
    } else if loaded.iter().any(LoadedSop::has_errors)
        || reports.iter().flatten().any(|r| !r.is_clean())
    {
        Text::CheckSomeInvalid
    } else {
        Text::CheckAllValid
    };
    writeln!(out, "{}", summary.get(lang))
}

/// A command-line value Lajur does not know, said in Bahasa Indonesia (the
/// language is read after the arguments, so their own errors use the default).
fn arg_error(text: Text, value: &str) -> String {
    i18n::fill(text, Lang::Id, &[("value", value)])
}
