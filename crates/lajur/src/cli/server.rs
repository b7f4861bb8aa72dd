//! `lajur server`: preparing the office server (PostgreSQL) and testing a
//! PC's connection to it. (The PCs' records moving onto it comes later; see
//! issue 18.)

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
    /// Tes sambungan: apakah server dapat dihubungi, sudah disiapkan, dan apa hak
    /// peran ini.
    Tes {
        /// Alamat server, mis. postgresql://lajur_pc@192.168.1.10/lajur
        /// (bawaan: LAJUR_DATABASE_URL).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
}

pub fn run(command: ServerCommand, lang: Lang, out: &mut dyn Write) -> std::process::ExitCode {
    let (given, pc_role) = match &command {
        ServerCommand::Init { database, pc_role } => (database.as_deref(), Some(pc_role.as_str())),
        ServerCommand::Tes { database } => (database.as_deref(), None),
    };
    let address = match Address::from_environment(given) {
        Some(Ok(address)) => address,
        Some(Err(e)) => return failed(&e.message(lang)),
        None => return failed(Text::ServerAddressMissing.get(lang)),
    };
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
                say(
                    out,
                    i18n::fill(
                        Text::ServerReached,
                        lang,
                        &[
                            ("place", &summary.place),
                            ("version", &summary.server_version),
                            ("entries", &summary.entries.to_string()),
                        ],
                    ),
                );
                if summary.may_rewrite {
                    say(out, Text::ServerRoleMayRewrite.get(lang));
                } else if !summary.may_write {
                    say(out, Text::ServerRoleReadOnly.get(lang));
                }
            }),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => failed(&e.message(lang)),
    }
}

fn failed(message: &str) -> std::process::ExitCode {
    say(&mut std::io::stderr(), message);
    std::process::ExitCode::FAILURE
}
