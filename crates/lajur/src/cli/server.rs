//! `lajur server`: preparing the office server (PostgreSQL), testing a
//! PC's connection to it, and joining this PC's records to the office's.

use std::io::Write;

use clap::Subcommand;

use super::output::say;
use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_records::server::{self, Address, Server};

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Siapkan basis data kantor di server (dijalankan pengelola TI dengan peran
    /// pemilik basis data): tabel Lajur, lalu hak peran komputer kantor (boleh
    /// membaca dan menambah riwayat, tidak pernah mengubah atau menghapusnya).
    /// Aman dijalankan ulang; dua komputer sekaligus tetap menyiapkan sekali.
    Init {
        /// Alamat server sebagai pemilik, mis. postgresql://lajur_pemilik@192.168.1.10/lajur
        /// (bawaan: LAJUR_DATABASE_URL; kata sandi dari alamat atau PGPASSWORD).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
        /// Peran yang dipakai komputer-komputer kantor.
        #[arg(long = "peran", default_value = "lajur_pc", value_name = "PERAN")]
        pc_role: String,
    },
    /// Gabungkan komputer ini dengan catatan kantor di server. Komputer pertama
    /// memindahkan seluruh catatan dan berkasnya ke server (yang masih kosong);
    /// komputer lain (folder data baru) menerima seluruh catatan kantor. Sesudahnya
    /// setiap pekerjaan di folder data ini disimpan lewat server. Alamat server
    /// disimpan di folder data tanpa kata sandi (kata sandi dari PGPASSWORD).
    #[command(alias = "join", alias = "migrate", alias = "pindahkan")]
    Gabung {
        /// Alamat server dengan peran komputer kantor, mis.
        /// postgresql://lajur_pc@192.168.1.10/lajur (bawaan: LAJUR_DATABASE_URL).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
        /// Nama komputer ini di riwayat kantor, mis. pc-seksi.
        #[arg(long = "nama-pc", value_name = "NAMA")]
        pc: String,
        /// Administrator yang menggabungkan (tidak perlu bila folder data ini belum
        /// punya pengguna); kata sandinya dari LAJUR_PASSWORD atau ditanyakan.
        #[arg(long = "as", value_name = "PENGGUNA")]
        actor: Option<String>,
    },
    /// Simpan kata sandi peran server di penyimpan kredensial komputer ini
    /// (Windows: Pengelola Kredensial), agar tidak diketik setiap kali. Kata
    /// sandi dari PGPASSWORD, atau diketik. Alamat bawaan: server folder data ini.
    Sandi {
        /// Alamat server, mis. postgresql://lajur_pc@192.168.1.10/lajur.
        #[arg(long, value_name = "URL")]
        database: Option<String>,
        /// Hanya periksa apakah kata sandi tersimpan.
        #[arg(long = "periksa", conflicts_with = "forget")]
        check: bool,
        /// Hapus kata sandi yang tersimpan.
        #[arg(long = "hapus")]
        forget: bool,
    },
    /// Sertifikat TLS server kantor: yang dicatat komputer ini saat bergabung,
    /// dan yang ditunjukkan server sekarang. Dengan --terima, yang sekarang
    /// dicatat (hanya bila pengelola TI memang mengganti sertifikat server;
    /// bandingkan dulu sidiknya dengan yang di server).
    Sertifikat {
        /// Catat sertifikat yang ditunjukkan server sekarang.
        #[arg(long = "terima")]
        accept: bool,
        /// Administrator yang menerima sertifikat baru (untuk --terima); kata
        /// sandinya dari LAJUR_PASSWORD atau ditanyakan.
        #[arg(long = "as", value_name = "PENGGUNA", requires = "accept")]
        actor: Option<String>,
    },
    /// Tes sambungan: apakah server dapat dihubungi, sudah disiapkan, dan apa hak
    /// peran ini.
    Tes {
        /// Alamat server, mis. postgresql://lajur_pc@192.168.1.10/lajur
        /// (bawaan: LAJUR_DATABASE_URL).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
}

pub fn run(
    command: ServerCommand,
    data: &std::path::Path,
    lang: Lang,
    out: &mut dyn Write,
) -> std::process::ExitCode {
    if let ServerCommand::Sandi {
        database,
        check,
        forget,
    } = &command
    {
        return password(database.as_deref(), *check, *forget, data, lang, out);
    }
    if let ServerCommand::Sertifikat { accept, actor } = &command {
        return certificate(*accept, actor.as_deref(), data, lang, out);
    }
    let (given, pc_role) = match &command {
        ServerCommand::Init { database, pc_role } => (database.as_deref(), Some(pc_role.as_str())),
        ServerCommand::Tes { database }
        | ServerCommand::Gabung { database, .. }
        | ServerCommand::Sandi { database, .. } => (database.as_deref(), None),
        ServerCommand::Sertifikat { .. } => (None, None),
    };
    let address = match Address::from_environment(given) {
        Some(Ok(address)) => address,
        Some(Err(e)) => return failed(&e.message(lang)),
        None => return failed(Text::ServerAddressMissing.get(lang)),
    };
    if let ServerCommand::Gabung { pc, actor, .. } = &command {
        return join(&address, pc, actor.as_deref(), data, lang, out);
    }
    let result = match pc_role {
        Some(role) => server::prepare(&address, role).map(|before| {
            say(
                out,
                match before {
                    None => i18n::fill(Text::ServerPrepared, lang, &[("place", &address.place())]),
                    Some(v) if v < server::SCHEMA_VERSION => i18n::fill(
                        Text::ServerMigrated,
                        lang,
                        &[("place", &address.place()), ("from", &v.to_string())],
                    ),
                    Some(_) => {
                        i18n::fill(Text::ServerUpToDate, lang, &[("place", &address.place())])
                    }
                },
            );
        }),
        None => Server::connect(&address)
            .and_then(|mut s| s.summary())
            .map(|summary| {
                for sentence in crate::server_words::tested(&summary, lang) {
                    say(out, sentence);
                }
            }),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => failed(&e.message(lang)),
    }
}

/// `lajur server sandi`: the role's password in this PC's credential store,
/// for the address given or the one this data folder is shared through.
fn password(
    given: Option<&str>,
    check: bool,
    forget: bool,
    data: &std::path::Path,
    lang: Lang,
    out: &mut dyn Write,
) -> std::process::ExitCode {
    use lajur_records::credentials;
    let address = match Address::from_environment(given) {
        Some(Ok(address)) => address,
        Some(Err(e)) => return failed(&e.message(lang)),
        None => match lajur_records::journal::Shared::read(data) {
            Ok(Some(shared)) => shared.address,
            Ok(None) => return failed(Text::ServerAddressMissing.get(lang)),
            Err(e) => return failed(&lajur_records::StoreError::from(e).message(lang)),
        },
    };
    let place = address.without_password();
    let store = credentials::store_name().get(lang);
    let fill = |text: Text| {
        i18n::fill(
            text,
            lang,
            &[
                ("place", &place),
                ("store", store),
                ("role", address.role()),
            ],
        )
    };
    if check {
        return match credentials::recall(&address) {
            Some(_) => {
                say(out, fill(Text::ServerPasswordStored));
                std::process::ExitCode::SUCCESS
            }
            None => failed(&fill(Text::ServerPasswordNotStored)),
        };
    }
    if forget {
        return match credentials::forget(&address) {
            Ok(()) => {
                say(out, fill(Text::ServerPasswordForgotten));
                std::process::ExitCode::SUCCESS
            }
            Err(why) => failed(&i18n::fill(
                Text::ServerPasswordStoreFailed,
                lang,
                &[("store", store), ("why", &why.0)],
            )),
        };
    }
    let typed = match std::env::var("PGPASSWORD") {
        Ok(p) => p,
        Err(_) => super::records::read_secret(&format!("{} ", fill(Text::ServerPasswordPrompt))),
    };
    if typed.is_empty() {
        return failed(Text::ServerPasswordEmpty.get(lang));
    }
    match credentials::remember(&address, &typed) {
        Ok(()) => {
            say(out, fill(Text::ServerPasswordStored));
            std::process::ExitCode::SUCCESS
        }
        Err(why) => failed(&i18n::fill(
            Text::ServerPasswordStoreFailed,
            lang,
            &[("store", store), ("why", &why.0)],
        )),
    }
}

/// `lajur server sertifikat`: the certificate this PC holds the server to,
/// the one it shows now, and (`--terima`) taking the new one.
fn certificate(
    accept: bool,
    actor: Option<&str>,
    data: &std::path::Path,
    lang: Lang,
    out: &mut dyn Write,
) -> std::process::ExitCode {
    let shared = match lajur_records::journal::Shared::read(data) {
        Ok(Some(shared)) => shared,
        Ok(None) => return failed(Text::ServerNotShared.get(lang)),
        Err(e) => return failed(&lajur_records::StoreError::from(e).message(lang)),
    };
    let kept = shared.address.pin().map(str::to_string);
    let shown = match shared.certificate_shown_now() {
        Ok(shown) => shown,
        Err(problem) => {
            return failed(&lajur_records::StoreError::Server(problem).message(lang));
        }
    };
    let none = Text::ServerCertificateNone.get(lang);
    say(
        out,
        i18n::fill(
            Text::ServerCertificates,
            lang,
            &[
                ("kept", kept.as_deref().unwrap_or(none)),
                ("shown", shown.as_deref().unwrap_or(none)),
            ],
        ),
    );
    if !accept || kept == shown {
        return std::process::ExitCode::SUCCESS;
    }
    let taken = lajur_records::Store::open_with(data, lajur_records::Access::Shared).and_then(
        |mut store| {
            let by = match actor {
                Some(actor) => Some(super::records::login(&store, actor, lang)?),
                None => None,
            };
            store.accept_server_certificate(by.as_ref(), shown)
        },
    );
    match taken {
        Ok(()) => {
            say(out, Text::ServerCertificateTaken.get(lang));
            std::process::ExitCode::SUCCESS
        }
        Err(e) => failed(&e.message(lang)),
    }
}

/// `lajur server gabung`: this data folder's records become, or join, the
/// office's.
fn join(
    address: &Address,
    pc: &str,
    actor: Option<&str>,
    data: &std::path::Path,
    lang: Lang,
    out: &mut dyn Write,
) -> std::process::ExitCode {
    let joined = lajur_records::Store::open_with(data, lajur_records::Access::Exclusive).and_then(
        |mut store| {
            let by = match actor {
                Some(actor) => Some(super::records::login(&store, actor, lang)?),
                None => None,
            };
            store.join_office_server(by.as_ref(), address, pc)
        },
    );
    match joined {
        Ok(joined) => {
            say(
                out,
                crate::server_words::joined(&joined, &address.place(), lang),
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => failed(&e.message(lang)),
    }
}

fn failed(message: &str) -> std::process::ExitCode {
    say(&mut std::io::stderr(), message);
    std::process::ExitCode::FAILURE
}
