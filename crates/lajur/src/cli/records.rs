//! Command-line access to the records, for scripted and bulk use (and for the
//! tests and benchmarks): users, kegiatan, actions, attachments, tasks, the log.

use std::io::Write;

use super::output::say;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_core::sop::StepId;
use lajur_core::workflow::{Action, Allowed};
use lajur_records::{NewUser, Store, StoreError, User};

#[derive(Debug, Subcommand)]
pub enum RecordCommand {
    /// Tambah pengguna. Pengguna pertama otomatis administrator. Kata sandi pengguna
    /// baru dibaca dari LAJUR_NEW_PASSWORD atau baris pertama masukan standar.
    UserAdd {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        jabatan: String,
        #[arg(long)]
        nip: Option<String>,
        /// Id pelaksana (lane) yang dijalankan, dipisah koma, misalnya ketua,seksi.
        #[arg(long, value_delimiter = ',')]
        lanes: Vec<String>,
        #[arg(long)]
        admin: bool,
        /// Penandatangan (Lurah, Kepala Desa, Camat, Panewu).
        #[arg(long)]
        signer: bool,
        /// Administrator yang menambahkan (tidak perlu untuk pengguna pertama).
        #[arg(long = "as")]
        actor: Option<String>,
        /// Penandatangan yang menyetujui peran --admin atau --signer (bila sudah ada
        /// penandatangan); kata sandinya dari LAJUR_SIGNER_PASSWORD atau ditanyakan.
        #[arg(long = "disetujui")]
        approver: Option<String>,
    },
    /// Mulai kegiatan baru dari berkas SOP.
    Start {
        #[arg(long)]
        sop: PathBuf,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long = "as")]
        actor: String,
        /// Mulai dari langkah awal ini (id-nya), bila SOP punya beberapa awal.
        /// Tanpa ini: awal di lajur pengguna.
        #[arg(long = "start")]
        start: Option<String>,
    },
    /// Kerjakan langkah yang sedang berjalan: selesai, atau jawab keputusan dengan --answer.
    Act {
        kegiatan: i64,
        /// Label cabang keputusan, misalnya Ya atau Tidak.
        #[arg(long)]
        answer: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long = "as")]
        actor: String,
        /// Bertindak atas nama pengguna lain (hanya administrator).
        #[arg(long = "for")]
        on_behalf_of: Option<String>,
    },
    /// Lampirkan berkas draf ke langkah sebuah kegiatan.
    Attach {
        kegiatan: i64,
        #[arg(long)]
        step: String,
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        draft: Option<String>,
        #[arg(long = "as")]
        actor: String,
    },
    /// Batalkan kegiatan (administrator), dengan alasan.
    Cancel {
        kegiatan: i64,
        #[arg(long)]
        reason: String,
        #[arg(long = "as")]
        actor: String,
    },
    /// Daftar tugas seorang pengguna, yang paling mendesak dulu.
    Tasks {
        #[arg(long = "as")]
        actor: String,
    },
    /// Tanpa KODE: periksa rantai catatan kegiatan (log). Dengan KODE (kode verifikasi
    /// di kertas, atau teks QR-nya): periksa apakah kertas itu cocok dengan catatan.
    /// Keluar dengan kode 1 bila tidak utuh atau tidak cocok.
    Verify {
        code: Option<String>,
        /// Folder atau drive lain berisi cadangan (titik periksa *.kepala) untuk
        /// dibandingkan dengan catatan, misalnya salinan di kecamatan. Boleh berulang.
        #[arg(long = "cadangan")]
        checkpoints: Vec<PathBuf>,
    },
    /// Sahkan kegiatan yang semua langkahnya selesai (penandatangan; kata sandi dari LAJUR_PASSWORD).
    SignOff {
        kegiatan: i64,
        #[arg(long = "as")]
        actor: String,
    },
    /// Kembalikan kegiatan yang menunggu pengesahan ke langkah terakhirnya, dengan catatan.
    Return {
        kegiatan: i64,
        #[arg(long)]
        note: String,
        #[arg(long = "as")]
        actor: String,
    },
    /// Buat cadangan sekarang (basis data, berkas lampiran, titik periksa), atau
    /// pulihkan dari sebuah cadangan. Pemulihan menampilkan isi cadangan dan meminta
    /// konfirmasi; data yang ada disimpan di samping, tidak dihapus.
    Backup {
        #[arg(long)]
        restore: Option<PathBuf>,
        /// Ke folder ini (misalnya flash disk), bukan folder cadangan di folder data.
        #[arg(long = "ke")]
        into: Option<PathBuf>,
        /// Pulihkan tanpa bertanya (untuk skrip).
        #[arg(long)]
        ya: bool,
    },
}

pub struct Context<'a> {
    pub data: PathBuf,
    pub lang: Lang,
    pub json: bool,
    pub out: &'a mut dyn Write,
    /// The SOP folder the window reads (its lanes are known lanes too).
    pub sops: &'a lajur_records::library::SopSource,
}

fn password_for(var: &str, lang: Lang) -> String {
    use std::io::IsTerminal;
    if let Ok(p) = std::env::var(var) {
        return p;
    }
    // At a terminal: a prompt, and the password is not shown as it is typed.
    if std::io::stdin().is_terminal() {
        let prompt = match var {
            "LAJUR_NEW_PASSWORD" => Text::CliNewPasswordPrompt,
            "LAJUR_SIGNER_PASSWORD" => Text::CliSignerPasswordPrompt,
            _ => Text::CliPasswordPrompt,
        };
        return read_secret(&format!("{} ", prompt.get(lang)));
    }
    read_secret("")
}

/// A secret from the terminal (not shown as it is typed), else one line of
/// standard input (scripts).
pub fn read_secret(prompt: &str) -> String {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt).unwrap_or_default();
    }
    let mut line = String::new();
    // Nothing to read (input closed) reads as an empty password, which the
    // records refuse in words.
    if std::io::stdin().read_line(&mut line).is_err() {
        line.clear();
    }
    line.trim_end_matches(['\r', '\n']).to_string()
}

pub(super) fn login(store: &Store, username: &str, lang: Lang) -> Result<User, StoreError> {
    store.authenticate(username, &password_for("LAJUR_PASSWORD", lang))
}

/// One JSON value on its own line (`--json`), through serde_json.
fn print_json(out: &mut dyn Write, value: &serde_json::Value) {
    // serde_json escapes control characters; the marks that reverse text
    // direction are escaped here, the JSON way.
    let text: String = value
        .to_string()
        .chars()
        .map(|c| match c {
            '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                format!("\\u{:04x}", c as u32)
            }
            c => c.to_string(),
        })
        .collect();
    writeln!(out, "{text}").unwrap_or_default();
}

pub fn run(command: RecordCommand, ctx: &mut Context<'_>) -> ExitCode {
    let lang = ctx.lang;
    // A restore never opens the live records: they may be what is damaged.
    if let RecordCommand::Backup {
        restore: Some(backup),
        ya,
        ..
    } = &command
    {
        return restore(&ctx.data, backup, *ya, lang, ctx.out);
    }
    let checks_only = matches!(command, RecordCommand::Verify { .. });
    let mut copy = None;
    let mut opened = match Store::open_with(&ctx.data, lajur_records::Access::Shared) {
        Ok(s) => Some(s),
        // A folder Lajur may not write to (a copy on a CD) is still checked.
        Err(e) if checks_only && cannot_write(&e) => match Store::open_for_checking(&ctx.data) {
            Ok(c) => {
                copy = Some(c);
                None
            }
            Err(e) => {
                say(ctx.out, format_args!("{}", e.message(lang)));
                return ExitCode::FAILURE;
            }
        },
        Err(e) => {
            say(ctx.out, format_args!("{}", e.message(lang)));
            return ExitCode::FAILURE;
        }
    };
    let store = match (&mut opened, &mut copy) {
        (Some(store), _) => store,
        (None, Some(copy)) => &mut copy.store,
        (None, None) => return ExitCode::FAILURE,
    };
    // Records shared through the office server: read what the other PCs
    // wrote first. With the server down the command still reads this PC's
    // copy (and says so); writing is refused by the records themselves.
    if store.is_linked()
        && let Err(e) = store.catch_up()
    {
        say(
            &mut std::io::stderr(),
            format_args!("{} {}", e.message(lang), Text::CliShownFromThisPc.get(lang)),
        );
    }
    match execute(command, store, ctx) {
        Ok(code) => code,
        Err(e) => {
            say(ctx.out, format_args!("{}", e.message(lang)));
            ExitCode::FAILURE
        }
    }
}

/// Whether opening failed only because the data folder cannot be written.
fn cannot_write(e: &StoreError) -> bool {
    matches!(
        e.failure(),
        lajur_core::failure::Failure::File(lajur_core::failure::FileProblem::PermissionDenied)
    )
}

fn execute(
    command: RecordCommand,
    store: &mut Store,
    ctx: &mut Context<'_>,
) -> Result<ExitCode, StoreError> {
    match command {
        RecordCommand::UserAdd {
            username,
            name,
            jabatan,
            nip,
            lanes,
            admin,
            signer,
            actor,
            approver,
        } => {
            let by = match actor {
                Some(a) => Some(login(store, &a, ctx.lang)?),
                None => None,
            };
            let password = password_for("LAJUR_NEW_PASSWORD", ctx.lang);
            if password.chars().count() < 6 {
                say(
                    ctx.out,
                    format_args!("{}", Text::CliPasswordTooShort.get(ctx.lang)),
                );
                return Ok(ExitCode::FAILURE);
            }
            let user = store.create_user(
                by.as_ref(),
                NewUser {
                    username,
                    name,
                    jabatan,
                    nip,
                    lanes,
                    is_admin: admin,
                    is_signer: signer,
                    password,
                    approval: approver.map(|signer| lajur_records::Approval {
                        signer,
                        password: password_for("LAJUR_SIGNER_PASSWORD", ctx.lang),
                    }),
                },
            )?;
            // A lane no SOP has gives the user no tasks: said, not refused (the
            // SOP may be imported after the user is added).
            let mut known = store.known_lanes()?;
            if let Ok(loaded) = ctx.sops.load() {
                for doc in loaded.iter().filter_map(|l| l.document.as_ref().ok()) {
                    known.extend(doc.sop.lanes.iter().map(|l| l.id.0.clone()));
                }
            }
            let unknown: Vec<&str> = user
                .lanes
                .iter()
                .filter(|l| !known.contains(&l.0))
                .map(|l| l.0.as_str())
                .collect();
            if ctx.json {
                print_json(
                    ctx.out,
                    &serde_json::json!({"id": user.id, "username": user.username, "admin": user.is_admin, "unknown_lanes": unknown}),
                );
            } else {
                say(
                    ctx.out,
                    format_args!(
                        "{} {} ({})",
                        Text::CliUserAdded.get(ctx.lang),
                        user.username,
                        user.id
                    ),
                );
                for lane in unknown {
                    say(
                        ctx.out,
                        i18n::fill(Text::CliUnknownLane, ctx.lang, &[("lane", lane)]),
                    );
                }
            }
        }
        RecordCommand::Start {
            sop,
            title,
            description,
            actor,
            start,
        } => {
            let user = login(store, &actor, ctx.lang)?;
            let text = match lajur_records::library::read_text(&sop) {
                Ok(text) => text,
                Err(failure) => {
                    say(
                        ctx.out,
                        format_args!(
                            "{}: {}",
                            sop.display(),
                            i18n::read_failure_message(&failure, ctx.lang)
                        ),
                    );
                    return Ok(ExitCode::FAILURE);
                }
            };
            let start = start.map(lajur_core::sop::StepId);
            let kegiatan =
                store.start_kegiatan_at(&user, &text, &title, &description, start.as_ref())?;
            if ctx.json {
                print_json(ctx.out, &serde_json::json!({ "kegiatan": kegiatan }));
            } else {
                say(
                    ctx.out,
                    format_args!("{} {kegiatan}", Text::CliStarted.get(ctx.lang)),
                );
            }
        }
        RecordCommand::Act {
            kegiatan,
            answer,
            note,
            actor,
            on_behalf_of,
        } => {
            let user = login(store, &actor, ctx.lang)?;
            let other = match on_behalf_of {
                Some(name) => Some(store.user_by_name(&name)?),
                None => None,
            };
            let acting = other.as_ref().unwrap_or(&user);
            let action = match &answer {
                None => {
                    // A decision is answered, not completed: name its answers.
                    let choices = store.allowed(acting, kegiatan)?;
                    let labels: Vec<String> = choices
                        .iter()
                        .filter_map(|a| match a {
                            Allowed::Answer { label, .. } => Some(label.clone()),
                            _ => None,
                        })
                        .collect();
                    let completes = choices
                        .iter()
                        .any(|a| matches!(a, Allowed::Complete { .. }));
                    if !labels.is_empty() && !completes {
                        let options = labels
                            .iter()
                            .map(|l| format!("--answer {l}"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        say(
                            ctx.out,
                            i18n::fill(Text::CliAnswerNeeded, ctx.lang, &[("options", &options)]),
                        );
                        return Ok(ExitCode::FAILURE);
                    }
                    Action::Complete
                }
                Some(label) => {
                    let choices = store.allowed(acting, kegiatan)?;
                    let exit = choices.iter().find_map(|a| match a {
                        Allowed::Answer { exit, label: l, .. } if l.eq_ignore_ascii_case(label) => {
                            Some(*exit)
                        }
                        _ => None,
                    });
                    match exit {
                        Some(e) => Action::Answer(e),
                        None => {
                            return Err(StoreError::Engine(
                                lajur_core::workflow::EngineError::NoSuchExit,
                            ));
                        }
                    }
                }
            };
            let outcome = store.act(&user, other.as_ref(), kegiatan, action, &note)?;
            let entered = outcome
                .entered
                .as_ref()
                .map(|(s, v)| format!("{s} ({v})"))
                .unwrap_or_default();
            if ctx.json {
                print_json(
                    ctx.out,
                    &serde_json::json!({"kegiatan": kegiatan, "entered": entered, "finished": outcome.finished}),
                );
            } else if outcome.finished {
                say(
                    ctx.out,
                    format_args!("{}", Text::CliReachedEnd.get(ctx.lang)),
                );
            } else if entered.is_empty() {
                say(ctx.out, format_args!("{}", Text::CliPartDone.get(ctx.lang)));
            } else {
                say(
                    ctx.out,
                    format_args!("{} {entered}", Text::CliMovedTo.get(ctx.lang)),
                );
            }
        }
        RecordCommand::Attach {
            kegiatan,
            step,
            file,
            draft,
            actor,
        } => {
            let user = login(store, &actor, ctx.lang)?;
            let a = store.attach(&user, kegiatan, &StepId(step), &file, draft.as_deref())?;
            if ctx.json {
                print_json(
                    ctx.out,
                    &serde_json::json!({"attachment": a.id, "sha256": a.sha256, "version": a.version}),
                );
            } else {
                say(
                    ctx.out,
                    format_args!(
                        "{} {} v{} ({})",
                        Text::CliAttached.get(ctx.lang),
                        a.draft,
                        a.version,
                        &a.sha256[..12]
                    ),
                );
            }
        }
        RecordCommand::Cancel {
            kegiatan,
            reason,
            actor,
        } => {
            let user = login(store, &actor, ctx.lang)?;
            store.cancel(&user, kegiatan, &reason)?;
            say(
                ctx.out,
                format_args!("{}", Text::CliCancelled.get(ctx.lang)),
            );
        }
        RecordCommand::Tasks { actor } => {
            let user = login(store, &actor, ctx.lang)?;
            let tasks = store.tasks(&user, 500)?;
            let now = store.now();
            // A signer's work includes what waits for their sign-off.
            let sign_offs = if user.is_signer && user.active {
                store.awaiting_sign_off(500)?
            } else {
                Vec::new()
            };
            if ctx.json {
                let items: Vec<serde_json::Value> = tasks
                    .iter()
                    .map(|t| {
                        serde_json::json!({
                            "kegiatan": t.kegiatan,
                            "title": t.title,
                            "step": t.step.0,
                            "due": t.due_at.map(|d| d.to_rfc3339()),
                            "overdue": t.due_at.is_some_and(|d| d < now),
                        })
                    })
                    .chain(sign_offs.iter().map(|id| {
                        serde_json::json!({
                            "kegiatan": id,
                            "title": store.kegiatan(*id).map(|k| k.title).unwrap_or_default(),
                            "sign_off": true,
                        })
                    }))
                    .collect();
                print_json(ctx.out, &serde_json::Value::Array(items));
            } else {
                if tasks.is_empty() && sign_offs.is_empty() {
                    say(ctx.out, format_args!("{}", Text::CliNoTasks.get(ctx.lang)));
                }
                for id in &sign_offs {
                    let title = store.kegiatan(*id).map(|k| k.title).unwrap_or_default();
                    say(
                        ctx.out,
                        format_args!("{id}\t{title}\t{}", Text::AwaitingYourSignOff.get(ctx.lang)),
                    );
                }
                for t in tasks {
                    let late = t.due_at.is_some_and(|d| d < now);
                    let mark = if late {
                        format!(" {}", Text::CliOverdue.get(ctx.lang))
                    } else {
                        String::new()
                    };
                    say(
                        ctx.out,
                        format_args!("{}\t{}\t{}{}", t.kegiatan, t.title, t.step, mark),
                    );
                }
            }
        }
        RecordCommand::Verify {
            code: Some(code), ..
        } => {
            let v = store.verify_code(&code)?;
            say(
                ctx.out,
                format_args!(
                    "{}",
                    i18n::verification_message(&v, store.calendar().utc_offset_minutes, ctx.lang)
                ),
            );
            return Ok(if v.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            });
        }
        RecordCommand::SignOff { kegiatan, actor } => {
            let user = store.user_by_name(&actor)?;
            let seal =
                store.sign_off(&user, &password_for("LAJUR_PASSWORD", ctx.lang), kegiatan)?;
            say(
                ctx.out,
                format_args!("{} {}", Text::CliSignedOff.get(ctx.lang), seal.code),
            );
        }
        RecordCommand::Return {
            kegiatan,
            note,
            actor,
        } => {
            let user = login(store, &actor, ctx.lang)?;
            store.return_for_rework(&user, kegiatan, &note)?;
            say(ctx.out, format_args!("{}", Text::CliReturned.get(ctx.lang)));
        }
        RecordCommand::Verify {
            code: None,
            checkpoints,
        } => {
            let audit = store.audit(&checkpoints)?;
            say(
                ctx.out,
                format_args!("{}", i18n::audit_message(&audit, ctx.lang)),
            );
            if !audit.ok() {
                return Ok(ExitCode::FAILURE);
            }
        }
        RecordCommand::Backup { into, .. } => {
            let path = match into {
                Some(dir) => store.backup_into(&dir, "manual")?,
                None => store.backup_named("manual")?,
            };
            say(
                ctx.out,
                format_args!("{} {}", Text::CliBackupMade.get(ctx.lang), path.display()),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `lajur backup --restore`: shows what the backup holds, asks (unless
/// `--ya`), and restores it; the records as they were are kept aside.
fn restore(data: &Path, backup: &Path, yes: bool, lang: Lang, out: &mut dyn Write) -> ExitCode {
    let summary = match lajur_records::check_backup(backup) {
        Ok(Ok(summary)) => summary,
        Ok(Err(problem)) => {
            say(
                out,
                format_args!("{}", i18n::backup_problem_message(&problem, lang)),
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            say(out, format_args!("{}", e.message(lang)));
            return ExitCode::FAILURE;
        }
    };
    say(
        out,
        format_args!("{}", i18n::backup_summary_message(&summary, lang)),
    );
    if !yes {
        say(out, format_args!("{}", Text::CliRestoreAsk.get(lang)));
        out.flush().unwrap_or_default();
        let mut line = String::new();
        if std::io::stdin().read_line(&mut line).is_err()
            || !line
                .trim()
                .eq_ignore_ascii_case(Text::CliRestoreYes.get(lang))
        {
            say(out, format_args!("{}", Text::CliRestoreCancelled.get(lang)));
            return ExitCode::FAILURE;
        }
    }
    match lajur_records::restore(data, backup) {
        Ok((_, aside)) => {
            say(
                out,
                format_args!("{} {}", Text::CliRestored.get(lang), aside.display()),
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            say(out, format_args!("{}", e.message(lang)));
            ExitCode::FAILURE
        }
    }
}

/// The data folder: `--data`, else the platform's (portable mode included).
pub fn data_dir(explicit: Option<&Path>) -> PathBuf {
    explicit
        .map(Path::to_path_buf)
        .or_else(lajur_records::location::data_dir)
        .unwrap_or_else(|| PathBuf::from("lajur-data"))
}

/// `lajur export kegiatan`: the filled sheet of a signed-off kegiatan.
pub fn export_kegiatan(
    data: &Path,
    id: i64,
    output: &Path,
    settings: &lajur_layout::PageSettings,
    actor: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> ExitCode {
    let result = (|| -> Result<PathBuf, crate::exports::SaveError> {
        let mut store = Store::open_with(data, lajur_records::Access::Shared)?;
        let user = login(&store, actor, lang)?;
        crate::exports::save_sheet(&mut store, &user, id, settings, output)
    })();
    report_export(result.map(|path| (path, None)), lang, out)
}

/// The outcome of an export, one line: the file written (and the seal's
/// code), or why nothing was written.
fn report_export(
    result: Result<(PathBuf, Option<lajur_records::Seal>), crate::exports::SaveError>,
    lang: Lang,
    out: &mut dyn Write,
) -> ExitCode {
    match result {
        Ok((path, seal)) => {
            say(
                out,
                format_args!(
                    "{}: {}{}",
                    path.display(),
                    lajur_core::locale::Text::ExportDone.get(lang),
                    seal.map(|s| format!(
                        " ({} {})",
                        lajur_core::locale::Text::VerificationCode.get(lang),
                        s.code
                    ))
                    .unwrap_or_default()
                ),
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            say(out, format_args!("{}", e.message(lang)));
            ExitCode::FAILURE
        }
    }
}

/// What `lajur export log` was asked for.
pub struct RegisterRequest {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub sop: Option<String>,
    pub user: Option<String>,
    pub per_action: bool,
}

/// `lajur export log`: the register for a period; sealed when a signer issues it.
pub fn export_register(
    data: &Path,
    request: &RegisterRequest,
    output: &Path,
    settings: &lajur_layout::PageSettings,
    actor: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> ExitCode {
    use crate::exports::save_register;
    use lajur_core::paperwork::RegisterRows;
    let result =
        (|| -> Result<(PathBuf, Option<lajur_records::Seal>), crate::exports::SaveError> {
            let mut store = Store::open_with(data, lajur_records::Access::Shared)?;
            let password = password_for("LAJUR_PASSWORD", lang);
            let issuer = store.authenticate(actor, &password)?;
            let person = match &request.user {
                Some(name) => Some(store.user_by_name(name)?.id),
                None => None,
            };
            let filter = lajur_records::KegiatanFilter {
                sop: request.sop.clone(),
                from: request.from,
                to: request.to,
                person,
                ..Default::default()
            };
            let rows = if request.per_action {
                RegisterRows::PerAction
            } else {
                RegisterRows::PerKegiatan
            };
            let seal_with = issuer.is_signer.then_some(password.as_str());
            save_register(
                &mut store, &issuer, seal_with, &filter, rows, settings, output,
            )
        })();
    report_export(result, lang, out)
}
